"""Real OctoPrint servers with the bundled Virtual Printer, on loopback: for tests and the demo.

Never used in production. Each server gets its own basedir (config, users, API key, logs)
and port; one OctoPrint virtualenv serves them all. A basedir is reused as is on the next
start (its user, API key and config stay), so a second start costs only OctoPrint's boot.

This module deliberately does not import octorest: printers are driven only through
`practicals.octoprint`; here we only start processes and wait for them to answer.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

USERNAME = "atelier"
APP_ID = "atelier"
API_KEY_FILE = "atelier-api-key"

# Everything that would try the network (no network here, and a demo should not phone
# home), or costs boot time for nothing in a simulated farm.
DISABLED_PLUGINS = [
    "announcements",
    "softwareupdate",
    "tracking",
    "pluginmanager",
    "health_check",
    "discovery",
    "achievements",
    "errortracking",
    "pi_support",
]

CONFIG = {
    "server": {"firstRun": False, "onlineCheck": {"enabled": False}},
    "serial": {
        "port": "VIRTUAL",
        "baudrate": 115200,
        "autoconnect": True,
        # Temperatures reported every second (OctoPrint's default is 2 s), so that Atelier's
        # telemetry has a reading at least every 2 s even on a loaded machine.
        "timeout": {"temperatureAutoreport": 1},
    },
    "plugins": {
        "_disabled": DISABLED_PLUGINS,
        # The default injects resends at lines 100-115; tests want deterministic prints.
        "virtual_printer": {"enabled": True, "simulated_errors": []},
    },
}


@dataclass
class VirtualPrinterServer:
    name: str
    basedir: Path
    port: int
    api_key: str
    octoprint_bin: Path
    process: subprocess.Popen | None = field(default=None, repr=False, compare=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """OctoPrint's stdout and stderr (its own log is `basedir/logs/octoprint.log`)."""
        return self.basedir / "serve.log"

    def start(self) -> None:
        if self.process and self.process.poll() is None:
            return
        command = [
            str(self.octoprint_bin),
            "--basedir",
            str(self.basedir),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        if os.geteuid() == 0:
            # A `serve` option: given before `serve` it is ignored and OctoPrint exits
            # silently with status 0 right after "You should not run OctoPrint as root!".
            command.append("--iknowwhatimdoing")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C in the terminal is for us, not for it
            )

    def wait_ready(self, timeout: float = 60) -> None:
        """Block until `GET /api/version` with the key answers 200 (404 while booting)."""
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(
            f"{self.url}/api/version", headers={"X-Api-Key": self.api_key}
        )
        last_error: object = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"OctoPrint {self.name} exited with status {self.process.returncode}; "
                    f"see {self.log_path}:\n{self._log_tail()}"
                )
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            # While booting, OctoPrint may answer a bare "Not found" line that is not HTTP
            # at all (http.client.BadStatusLine), or 404.
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                last_error = exc
            time.sleep(0.1)
        raise TimeoutError(
            f"OctoPrint {self.name} on {self.url} not ready after {timeout} s "
            f"(last error: {last_error}); see {self.log_path}:\n{self._log_tail()}"
        )

    def stop(self, grace: float = 5) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def virtual_farm_start(
    *, count: int, root: Path, octoprint_bin: Path, ports: list[int] | None = None
) -> list[VirtualPrinterServer]:
    """Start `count` OctoPrint servers under `root/printer-N` and wait until all answer.

    Reuses existing basedirs (same API key each time). Ports are picked free unless given.
    On failure, the servers already started are stopped before the error propagates.
    """
    octoprint_bin = Path(octoprint_bin)
    if not octoprint_bin.exists():
        raise FileNotFoundError(f"OctoPrint binary not found: {octoprint_bin}")
    if ports is not None and len(ports) != count:
        raise ValueError(f"{count} printers need {count} ports, got {len(ports)}")
    ports = ports if ports is not None else _free_ports(count)
    root = Path(root)

    def prepare(index: int) -> VirtualPrinterServer:
        name = f"printer-{index + 1}"
        basedir = root / name
        api_key = _basedir_prepare(basedir=basedir, octoprint_bin=octoprint_bin)
        return VirtualPrinterServer(
            name=name,
            basedir=basedir,
            port=ports[index],
            api_key=api_key,
            octoprint_bin=octoprint_bin,
        )

    # Threads only wait on subprocesses (user creation, boot), so they run truly in parallel.
    with ThreadPoolExecutor(max_workers=max(count, 1)) as pool:
        servers = list(pool.map(prepare, range(count)))
        try:
            for server in servers:
                server.start()
            list(pool.map(lambda server: server.wait_ready(), servers))
        except BaseException:
            virtual_farm_stop(servers)
            raise
    return servers


def virtual_farm_stop(servers: list[VirtualPrinterServer]) -> None:
    for server in servers:
        server.stop()


def _basedir_prepare(*, basedir: Path, octoprint_bin: Path) -> str:
    """Create (or keep) config, user and app key in `basedir`; return the API key."""
    basedir.mkdir(parents=True, exist_ok=True)
    config_path = basedir / "config.yaml"
    if not config_path.exists():
        # JSON is valid YAML; OctoPrint rewrites this file in its own format later, so it
        # is written only once and then left to OctoPrint.
        config_path.write_text(json.dumps(CONFIG, indent=2))

    users_path = basedir / "users.yaml"
    if not (users_path.exists() and f"\n{USERNAME}:" in "\n" + users_path.read_text()):
        # The password is never used: Atelier authenticates with the app key below.
        subprocess.run(
            [
                str(octoprint_bin),
                "--basedir",
                str(basedir),
                "user",
                "add",
                USERNAME,
                "--password",
                secrets.token_urlsafe(16),
                "--admin",
            ],
            check=True,
            capture_output=True,
        )

    key_path = basedir / API_KEY_FILE
    if key_path.exists():
        api_key = key_path.read_text().strip()
    else:
        api_key = secrets.token_urlsafe()  # 43 url-safe characters, as OctoPrint 1.11 makes
        key_path.write_text(api_key)
    # The appkeys plugin's file: {user_id: [{app_id, api_key}]}, read once at startup.
    keys_path = basedir / "data" / "appkeys" / "keys.yaml"
    keys_path.parent.mkdir(parents=True, exist_ok=True)
    keys_path.write_text(json.dumps({USERNAME: [{"app_id": APP_ID, "api_key": api_key}]}))
    return api_key


def _free_ports(count: int) -> list[int]:
    # Hold all sockets open until every port is picked, so the same port is not given twice.
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
