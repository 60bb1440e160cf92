"""`make demo`: seed, then run the site, a Celery worker and two real OctoPrint printers.

Everything runs on this machine with no server to install: SQLite, a filesystem broker,
and OctoPrint's bundled Virtual Printer. Ctrl-C stops all of it within a few seconds.

Two demos can run side by side with different ports (`DEMO_PORT=8001 make demo`): a demo
on another port than 8000 keeps its data in `var/demo-<port>/` (its own database, broker
folder and printers), OctoPrint gets free ports, and SITE_URL is the demo's own address,
so that e-mails and certificates name it.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lms.celery import worker_argv
from lms.demo.seed import demo_printers_register, demo_seed
from lms.demo.users import DEMO_PASSWORD, DEMO_USERS
from lms.virtual_farm import virtual_farm_start

DEFAULT_PORT = 8000
RESTARTED = "ATELIER_DEMO_RESTARTED"
STOP_SECONDS = 8  # everything is asked to stop at once, then killed after this


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _demo_environment(port: int) -> dict[str, str] | None:
    """The environment this demo must run in, or None when the current one is it."""
    wanted = {}
    url = f"http://127.0.0.1:{port}"
    if url != settings.SITE_URL:
        wanted["SITE_URL"] = url
    if port != DEFAULT_PORT and "ATELIER_VAR_DIR" not in os.environ:
        var_dir = Path(settings.BASE_DIR) / "var" / f"demo-{port}"
        if Path(settings.VAR_DIR) != var_dir:
            wanted["ATELIER_VAR_DIR"] = str(var_dir)
    if not wanted:
        return None
    return {**os.environ, **wanted, RESTARTED: "1"}


def _stop_all(children: list[subprocess.Popen], servers) -> None:
    """SIGTERM to every process group at once, SIGKILL to what is left after STOP_SECONDS."""
    processes = children + [s.process for s in servers if s.process is not None]
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in processes:
        # The whole group: a Celery worker's pool processes go with it.
        _signal_group(process, signal.SIGKILL)
        process.wait()
    for server in servers:
        server.process = None


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


class Command(BaseCommand):
    help = "Run the demo: site, Celery worker and a farm of virtual OctoPrint printers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("DEMO_PORT", DEFAULT_PORT))
        )
        parser.add_argument("--printers", type=int, default=2)
        parser.add_argument(
            "--octoprint-base-port",
            type=int,
            default=None,
            help="first OctoPrint port (default: free ports chosen at start)",
        )

    def handle(self, *args, port, printers, octoprint_base_port, **options):
        env = _demo_environment(port)
        if env is not None:
            # Settings are read once per process: start again in the demo's own environment.
            manage = str(Path(settings.BASE_DIR) / "manage.py")
            argv = [sys.executable, manage, "demo", "--port", str(port)]
            argv += ["--printers", str(printers)]
            if octoprint_base_port is not None:
                argv += ["--octoprint-base-port", str(octoprint_base_port)]
            os.execve(sys.executable, argv, env)
        started = time.monotonic()
        if os.environ.get(RESTARTED):
            # Its own database on another port, and the Site's domain (what allauth's
            # e-mails name) set to this demo's address: migrate does both.
            Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
            call_command("migrate", interactive=False, verbosity=0)
        seeded = demo_seed()
        base = Path(settings.BASE_DIR)
        octoprint_bin = Path(
            os.environ.get("OCTOPRINT_BIN", base / ".octoprint-venv" / "bin" / "octoprint")
        )
        self.stdout.write("Starting the virtual printers (OctoPrint)…")
        servers = virtual_farm_start(
            count=printers,
            root=Path(settings.VAR_DIR) / "octoprint",
            octoprint_bin=octoprint_bin,
            ports=(
                None
                if octoprint_base_port is None
                else [octoprint_base_port + i for i in range(printers)]
            ),
        )
        demo_printers_register(farm=seeded["farm"], servers=servers)

        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        python = sys.executable
        children = [
            subprocess.Popen(
                worker_argv(
                    loglevel="warning",
                    beat_schedule=str(Path(settings.VAR_DIR) / "celerybeat-schedule"),
                ),
                cwd=base,
                env=env,
                start_new_session=True,
            ),
            subprocess.Popen(
                [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=base,
                env=env,
                start_new_session=True,
            ),
        ]

        # Ctrl-C, `kill` or a closed terminal all stop everything. SIGINT is set explicitly:
        # a shell that starts the demo in the background hands it over ignored.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        try:
            self._wait_until_up(url, children)
            self._banner(url, servers, time.monotonic() - started)
            while all(child.poll() is None for child in children):
                time.sleep(1)
            self.stderr.write("A demo process stopped; stopping the others.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            _stop_all(children, servers)
            self.stdout.write("Stopped.")

    def _wait_until_up(self, url, children, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(child.poll() is not None for child in children):
                raise SystemExit("The site or the worker failed to start (see above).")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"The site did not answer at {url} within {timeout} s.")

    def _banner(self, url, servers, seconds):
        lines = [
            "",
            "=" * 64,
            f"  Atelier is running: {url}/   (ready in {seconds:.1f} s)",
            f"  Admin (Wagtail):    {url}/admin/",
            f"  Verify a certificate: {url}/verify/",
            "",
            f"  Demo logins (password for all: {DEMO_PASSWORD})",
        ]
        for email, name, role, _superuser in DEMO_USERS:
            lines.append(f"    {email:<28} {name} — {role or 'superuser'}")
        lines.append("")
        lines.append("  Virtual printers (OctoPrint):")
        for server in servers:
            lines.append(f"    {server.url}")
        lines += [
            "",
            "  New accounts: the e-mail confirmation link is printed in this",
            "  terminal (console e-mail backend).",
            "  Ctrl-C stops everything.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))
