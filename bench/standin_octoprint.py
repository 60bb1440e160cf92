"""A stand-in for many OctoPrint servers, for the following benchmark only (never for tests).

    .venv/bin/python -m bench.standin_octoprint CONFIG.json

The machine cannot hold 50 real OctoPrints (about 85 MiB each), so one asyncio process
answers for all of them, one port per printer, speaking the part of OctoPrint's API that
Atelier's follower uses, shaped like OctoPrint 1.11's answers:

- `GET /api/version`, `GET /api/job`, `GET /api/printer` (the REST liveness check);
- `POST /api/login` with `{"passive": true}` (name and session for the push socket);
- `/sockjs/websocket`: after the `auth` message, `connected`, then a `current` message
  every EVERY seconds (state, job, progress, current Z, temperatures once a second).

CONFIG lists the printers: `[{"port": 18110, "file": "atelier-12-cube.gcode",
"started": 1764470000.0}, ...]`, plus `"every"` (seconds between `current` messages).
Every printer prints for an hour: progress grows, Z rises every 30 s, heaters hold their
targets with a little noise. `printTime` is whole seconds since "started" on this
process's clock, which is how the benchmark tells how old the follower's record is.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time

from aiohttp import WSMsgType, web

DURATION = 3600.0
API_KEY_HEADER = "X-Api-Key"


class Printer:
    def __init__(self, *, port: int, file: str, started: float) -> None:
        self.port = port
        self.file = file
        self.started = started

    def elapsed(self) -> float:
        return max(0.0, time.time() - self.started)

    def job(self) -> dict:
        elapsed = self.elapsed()
        return {
            "job": {
                "file": {"name": self.file, "path": self.file, "origin": "local", "size": 1},
                "estimatedPrintTime": DURATION,
                "lastPrintTime": None,
                "filament": None,
                "user": "atelier",
            },
            "progress": {
                "completion": min(99.9, elapsed / DURATION * 100),
                "filepos": int(elapsed),
                "printTime": int(elapsed),
                "printTimeLeft": int(max(0.0, DURATION - elapsed)),
                "printTimeLeftOrigin": "estimate",
            },
            "state": "Printing",
        }

    def temperatures(self) -> dict:
        return {
            "tool0": {"actual": round(210 + random.uniform(-0.8, 0.8), 2), "target": 210.0},
            "bed": {"actual": round(60 + random.uniform(-0.4, 0.4), 2), "target": 60.0},
        }

    def current(self, *, with_temps: bool) -> dict:
        job = self.job()
        temps = []
        if with_temps:
            temps = [{"time": int(time.time()), **self.temperatures()}]
        return {
            "current": {
                "state": {"text": "Printing", "flags": {"printing": True, "operational": True}},
                "job": job["job"],
                "progress": job["progress"],
                "currentZ": round(0.2 + 0.2 * int(self.elapsed() // 30), 2),
                "offsets": {},
                "resends": {"count": 0, "transmitted": int(self.elapsed() * 20), "ratio": 0},
                "serverTime": time.time(),
                "temps": temps,
                "logs": [],
                "messages": [],
                "busyFiles": [],
            }
        }


def app_for(printer: Printer, every: float) -> web.Application:
    routes = web.RouteTableDef()

    def keyed(request: web.Request) -> None:
        if not request.headers.get(API_KEY_HEADER):
            raise web.HTTPForbidden()

    @routes.get("/api/version")
    async def version(request):
        keyed(request)
        return web.json_response({"api": "0.1", "server": "1.11.8", "text": "OctoPrint 1.11.8"})

    @routes.get("/api/job")
    async def job(request):
        keyed(request)
        return web.json_response(printer.job())

    @routes.get("/api/printer")
    async def state(request):
        keyed(request)
        return web.json_response({"temperature": printer.temperatures()})

    @routes.post("/api/login")
    async def login(request):
        keyed(request)
        return web.json_response({"name": "atelier", "session": f"s{printer.port}", "active": True})

    @routes.get("/sockjs/websocket")
    async def socket(request):
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        auth = await ws.receive(timeout=10)
        if auth.type != WSMsgType.TEXT or "auth" not in auth.data:
            await ws.close()
            return ws
        await ws.send_json({"connected": {"version": "1.11.8", "apikey": None}})
        last_temps = 0.0
        try:
            while not ws.closed:
                now = time.monotonic()
                with_temps = now - last_temps >= 0.95
                if with_temps:
                    last_temps = now
                await ws.send_json(printer.current(with_temps=with_temps))
                await asyncio.sleep(every)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return ws

    app = web.Application()
    app.add_routes(routes)
    return app


async def serve(config: dict) -> None:
    every = float(config.get("every", 0.5))
    runners = []
    for entry in config["printers"]:
        printer = Printer(port=entry["port"], file=entry["file"], started=entry["started"])
        runner = web.AppRunner(app_for(printer, every), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", printer.port).start()
        runners.append(runner)
    print(f"stand-in OctoPrint: {len(runners)} printers ready", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    with open(sys.argv[1]) as f:
        config = json.load(f)
    asyncio.run(serve(config))


if __name__ == "__main__":
    main()
