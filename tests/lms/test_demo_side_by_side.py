"""Two `make demo` on one machine, on two ports: both work, each names its own address,
and Ctrl-C stops each one, worker and printers included, within 10 s.

Runs the real command twice (site, Celery worker, two OctoPrint servers each); a demo on
another port than 8000 keeps its data in var/demo-<port>/, removed afterwards.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEARED = {"DJANGO_SETTINGS_MODULE", "SITE_URL", "ATELIER_VAR_DIR", "DEMO_PORT", "DATABASE_URL"}
CLEARED |= {"CELERY_BROKER_URL", "CELERY_BROKER_DIR", "CELERY_QUEUE", "CACHE_URL"}


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class Demo:
    def __init__(self, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.var_dir = ROOT / "var" / f"demo-{port}"
        self.output = ""
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "demo", "--port", str(port)],
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.output += line

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := re.search(pattern, self.output):
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        pytest.fail(f"{pattern!r} not seen from the demo on {self.port}:\n{self.output[-3000:]}")

    def processes(self) -> list[int]:
        """Every process started for this demo (they carry its ATELIER_VAR_DIR)."""
        marker = f"ATELIER_VAR_DIR={self.var_dir}\0".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if marker in (entry / "environ").read_bytes():
                        found.append(int(entry.name))
                except OSError:
                    continue
        return found

    def request_password_reset(self, email: str) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(f"{self.url}/accounts/password/reset/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email}).encode()
        request = urllib.request.Request(
            f"{self.url}/accounts/password/reset/", data=data, headers={"Referer": self.url}
        )
        opener.open(request, timeout=30).read()


@pytest.fixture
def two_demos():
    demos = [Demo(port) for port in free_ports(2)]
    yield demos
    for demo in demos:
        if demo.process.poll() is None:
            os.killpg(demo.process.pid, signal.SIGKILL)
        for pid in demo.processes():
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(demo.var_dir, ignore_errors=True)


def test_two_demos_side_by_side(two_demos):
    a, b = two_demos
    for demo in two_demos:
        demo.wait_for(rf"Atelier is running: {demo.url}/", timeout=420)

    printers = {}
    for demo in two_demos:
        block = demo.output.split("Virtual printers (OctoPrint):", 1)[1]
        printers[demo.port] = re.findall(r"http://127\.0\.0\.1:(\d+)", block)[:2]
        with urllib.request.urlopen(f"{demo.url}/", timeout=30) as response:
            assert response.status == 200
    assert len(set(printers[a.port] + printers[b.port])) == 4  # four distinct free ports

    # Each demo's e-mails name its own address.
    for demo in two_demos:
        demo.request_password_reset("stagiaire@atelier.test")
    for demo, other in [(a, b), (b, a)]:
        link = demo.wait_for(r"http://127\.0\.0\.1:\d+/accounts/password/reset/key/\S+", 30)
        assert link[0].startswith(f"{demo.url}/"), link[0]
        assert f"{other.url}/" not in demo.output

    # Ctrl-C stops one demo entirely within 10 s; the other runs on.
    assert a.processes(), "the demo's processes should be found by their environment"
    started = time.monotonic()
    os.kill(a.process.pid, signal.SIGINT)
    a.process.wait(timeout=15)
    assert time.monotonic() - started < 10
    assert a.processes() == []
    with urllib.request.urlopen(f"{b.url}/", timeout=30) as response:
        assert response.status == 200
