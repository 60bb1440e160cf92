"""Content Security Policy: on every response, strict on the site, looser only in /admin/.

The browser tests (tests/fixtures/browser.py) fail on any console message about the
policy; this module checks the header itself and that Atelier's templates stay clean.
"""

import re
from pathlib import Path

import pytest

from lms.demo.users import user_ensure

ROOT = Path(__file__).resolve().parents[2]
# Rendered by WeasyPrint into the PDF, never sent to a browser.
PDF_ONLY = {ROOT / "certificates/templates/certificates/certificate_pdf.html"}
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/verify/", "/healthz", "/nope/"])
def test_site_pages_carry_the_strict_policy(client, db, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


def test_the_wagtail_admin_alone_allows_inline_code(client, db):
    admin = user_ensure(email="root@example.org", full_name="Root", password="pw", superuser=True)
    client.force_login(admin)
    policy = directives(client.get("/admin/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives(client.get("/dashboard/"))["script-src"] == ["'self'"]


def test_no_inline_script_style_or_handler_in_atelier_templates():
    apps = ["lms", "lms/accounts", "courses", "practicals", "certificates"]
    folders = [ROOT / "templates"] + [ROOT / app / "templates" for app in apps]
    offending = []
    for folder in folders:
        for path in folder.rglob("*.html"):
            if path in PDF_ONLY:
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if INLINE.search(line):
                    offending.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offending, "\n".join(offending)


def test_the_header_built_once_per_kind_of_page_is_django_csps_own(rf):
    """lms/csp.py builds each header once per worker: the same string django-csp builds."""
    from csp.utils import build_policy
    from django.http import HttpResponse

    from lms.csp import ADMIN_ADDITIONS, AtelierCSPMiddleware

    middleware = AtelierCSPMiddleware(lambda request: HttpResponse())
    for _ in range(2):  # built, then copied
        assert middleware(rf.get("/"))["Content-Security-Policy"] == build_policy()
        admin = middleware(rf.get("/admin/pages/"))["Content-Security-Policy"]
        assert admin == build_policy(update=ADMIN_ADDITIONS)
    assert "unsafe-inline" not in middleware(rf.get("/v/x/"))["Content-Security-Policy"]
