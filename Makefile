# Atelier — the two commands that matter: `make demo` and `make test`.
# Both create or update the virtualenvs first; a second run reuses them (a stamp file
# records what was installed, redone only when pyproject.toml or a lock file changes).

PYTHON ?= python3.11
VENV := .venv
OCTO_VENV := .octoprint-venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test bench lint format check-system messages clean help

help:
	@echo "make demo   install, load demo content, run site + worker + virtual printers"
	@echo "make test   install, lint, run the whole test suite"
	@echo "make bench  load benchmark data (SIZE=L or S) and measure every page (PostgreSQL, Redis, wrk)"
	@echo "make lint   ruff, djhtml, import-linter, migrations and Django checks"
	@echo "make messages  refresh and compile the translation catalogues"

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	@touch $@

# OctoPrint lives in its own virtualenv: it pins Click<8.3, Celery needs click>=8.3.1.
$(OCTO_VENV)/.installed: requirements/octoprint.txt
	@test -x $(OCTO_VENV)/bin/python || $(PYTHON) -m venv $(OCTO_VENV)
	$(OCTO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OCTO_VENV)/bin/python -m pip install --quiet -r requirements/octoprint.txt
	@touch $@

venvs: $(VENV)/.installed $(OCTO_VENV)/.installed

# System packages the tests need: Chromium for the browser tests, poppler for reading PDFs.
check-system:
	@bash .ci/system-deps

demo: venvs
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) demo

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates */templates
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=lms.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=lms.settings.test $(MANAGE) check

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates */templates

test: venvs check-system lint
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Benchmark: PostgreSQL databases atelier_bench_s and atelier_bench_l, Redis db 2 by default
# (BENCH_DATABASE_URL, BENCH_REDIS_URL); see docs/PERFORMANCE.md.
SIZE ?= L
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } \
		|| { echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }
	@mkdir -p var/bench
	$(PY) -m bench.run --size $(SIZE)
	$(PY) -m bench.follow

I18N_IGNORE := .venv .octoprint-venv var tests bench "*/migrations/*"
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l fr -l en --no-location $(addprefix --ignore ,$(I18N_IGNORE)) -v 0
	$(MANAGE) compilemessages -v 0 $(addprefix --ignore ,$(I18N_IGNORE))

clean:
	rm -rf var/test-* .pytest_cache
