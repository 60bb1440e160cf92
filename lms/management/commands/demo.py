"""`make demo`: seed, then run the site, a Celery worker and two real OctoPrint printers.

Everything runs on this machine with no server to install: SQLite, a filesystem broker,
and OctoPrint's bundled Virtual Printer. Ctrl-C stops all of it.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from lms.celery import worker_argv
from lms.demo.seed import demo_printers_register, demo_seed
from lms.demo.users import DEMO_PASSWORD, DEMO_USERS
from lms.virtual_farm import virtual_farm_start


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the demo: site, Celery worker and a farm of virtual OctoPrint printers."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_PORT", 8000)))
        parser.add_argument("--printers", type=int, default=2)
        parser.add_argument("--octoprint-base-port", type=int, default=5081)

    def handle(self, *args, port, printers, octoprint_base_port, **options):
        started = time.monotonic()
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
            ports=[octoprint_base_port + i for i in range(printers)],
        )
        demo_printers_register(farm=seeded["farm"], servers=servers)

        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "SITE_URL": url, "PYTHONUNBUFFERED": "1"}
        python = sys.executable
        children = [
            subprocess.Popen(
                worker_argv(
                    loglevel="warning",
                    beat_schedule=str(Path(settings.VAR_DIR) / "celerybeat-schedule"),
                ),
                cwd=base,
                env=env,
            ),
            subprocess.Popen(
                [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=base,
                env=env,
            ),
        ]

        def stop(*_args):
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for server in servers:
                server.stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

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
            stop()

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
