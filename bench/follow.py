"""Following 50 printers: how old each printer's recorded state gets, and what it costs.

    .venv/bin/python -m bench.follow [--printers 50] [--seconds 60] [--every 0.5]

Targets (issue 11): every printer's state at most 5 s old; the followers use at most 10 %
of one core. On PostgreSQL and Redis, as in production:
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/atelier_bench_follow; the
benchmark creates and drops `test_<name>`) and BENCH_REDIS_URL (default db 2).

1. A throw-away database with a course, a farm, N printers and one attempt printing on
   each (as `attempt_send` leaves it).
2. A stand-in OctoPrint per printer (`bench/standin_octoprint.py`, one asyncio process,
   ports from BENCH_FOLLOW_PORT, default 18110): the REST endpoints and the push socket
   the follower uses, a `current` message every `--every` s. The machine cannot hold 50
   real OctoPrints; tests never use the stand-in.
3. A real Celery worker (threads pool, embedded beat, as `make demo` runs it) follows them:
   one follower task per printer, started by `printer_follow_task`.
4. Once every printer has a follower and a first record, for `--seconds`: every 0.5 s,
   each attempt's recorded `print_time_s` against the stand-in's clock gives how old the
   record is (OctoPrint counts whole seconds, so this errs by up to 1 s on the old side);
   the worker's CPU time (its process and children, from /proc) over the wall time gives
   its share of one core; PostgreSQL's commit counter gives transactions per second.

Prints a table and writes it to var/bench/follow.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STALE_TARGET = 5.0
CPU_TARGET = 10.0


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--printers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--every", type=float, default=0.5, help="seconds between messages")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atelier_bench_follow"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_FOLLOW_PORT", 18110)))
    parser.add_argument(
        "--keepdb", action="store_true", help="keep the database for the next run (faster)"
    )
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["CELERY_BROKER_URL"] = args.redis_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ["CELERY_QUEUE"] = f"bench-follow-{uuid.uuid4().hex[:8]}"

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keepdb
    )
    try:
        if args.keepdb:
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        result = _run(args, connection)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keepdb)
    text = _table(args, result)
    print(text)
    out = ROOT / "var" / "bench" / "follow.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")


def _data(printers: int, base_port: int):
    """The course, farm, printers and one attempt printing on each; the stand-in's config."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from lms.roles import TRAINEE
    from practicals.models import Booking, Farm, PracticalPage, PrintAttempt, Printer
    from practicals.services.printing import remote_name
    from tests.fixtures.courses import _person, course_build
    from tests.fixtures.practicals import farm_open_always, pla

    course = course_build()
    practical = PracticalPage.objects.descendant_of(course).first()
    farm = farm_open_always(Farm.objects.create(name="Banc", timezone="Europe/Paris"))
    material = pla()
    now = timezone.now()
    attempts, entries = [], []
    for index in range(printers):
        port = base_port + index
        trainee = _person(
            email=f"banc{index}@example.org",
            full_name=f"Banc {index}",
            password="x" * 12,
            role=TRAINEE,
        )
        printer = Printer.objects.create(
            farm=farm,
            name=f"Banc {index:02d}",
            octoprint_url=f"http://127.0.0.1:{port}",
            api_key="b" * 43,
            material=material,
        )
        booking = Booking.objects.create(
            trainee=trainee,
            printer=printer,
            practical=practical,
            starts_at=now - dt.timedelta(minutes=1),
            ends_at=now + dt.timedelta(hours=2),
        )
        attempt = PrintAttempt(
            booking=booking,
            trainee=trainee,
            printer=printer,
            practical=practical,
            filename="piece.gcode",
            state=PrintAttempt.State.PRINTING,
            started_at=now,
        )
        attempt.gcode.save("piece.gcode", ContentFile(b"G28\n"), save=False)
        attempt.save()
        attempts.append(attempt)
        entries.append({"port": port, "file": remote_name(attempt), "started": now.timestamp()})
    return attempts, entries


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo += children.get(current, [])
    return total


def _commits(connection) -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def _run(args, connection) -> dict:
    from django.db.models import Count

    from lms.celery import worker_argv
    from practicals.models import PrintAttempt, PrinterLease
    from practicals.tasks import printer_follow_task

    ports = [args.port + i for i in range(args.printers)]
    busy = [p for p in ports if not _port_free(p)]
    if busy:
        sys.exit(f"ports in use: {busy[:5]}… (set BENCH_FOLLOW_PORT)")
    attempts, entries = _data(args.printers, args.port)
    started = {a.pk: a.started_at.timestamp() for a in attempts}
    tmp = Path(tempfile.mkdtemp(prefix="bench-follow-"))
    config = tmp / "printers.json"
    config.write_text(json.dumps({"every": args.every, "printers": entries}))
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    processes = []
    try:
        with open(logs / "follow-standin.log", "wb") as out:
            standin = subprocess.Popen(
                [sys.executable, "-m", "bench.standin_octoprint", str(config)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        processes.append(standin)
        _wait(lambda: not _port_free(ports[-1]), 30, "the stand-in OctoPrint")
        env = {
            **os.environ,
            "ATELIER_WORKER_USES_TEST_DB": "1",
            "PYTHONUNBUFFERED": "1",
        }
        worker_log = logs / "follow-worker.log"
        argv = worker_argv(
            loglevel="info",
            beat_schedule=str(tmp / "beat"),
            concurrency=args.printers + 8,
        )
        with open(worker_log, "wb") as out:
            worker = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        processes.append(worker)
        _wait(lambda: "ready." in worker_log.read_text(errors="replace"), 60, "the worker")
        for attempt in attempts:
            printer_follow_task.apply_async((attempt.printer_id,), queue=os.environ["CELERY_QUEUE"])
        ids = [a.pk for a in attempts]

        def all_followed():
            held = PrinterLease.objects.exclude(holder="").count()
            recorded = PrintAttempt.objects.filter(pk__in=ids, print_time_s__isnull=False)
            return held == args.printers and recorded.count() == args.printers

        warm_from = time.monotonic()
        _wait(all_followed, 120, "every printer to be followed")
        warmup = time.monotonic() - warm_from

        ages: list[float] = []
        worst_by_printer: dict[int, float] = {}
        commits0, cpu0, wall0 = _commits(connection), _cpu_seconds(worker.pid), time.monotonic()
        while time.monotonic() - wall0 < args.seconds:
            now = time.time()
            for pk, print_time in PrintAttempt.objects.filter(pk__in=ids).values_list(
                "pk", "print_time_s"
            ):
                age = (now - started[pk]) - (print_time if print_time is not None else 0)
                ages.append(age)
                worst_by_printer[pk] = max(worst_by_printer.get(pk, 0.0), age)
            time.sleep(0.5)
        wall = time.monotonic() - wall0
        cpu = _cpu_seconds(worker.pid) - cpu0
        commits1 = _commits(connection)
        generations = PrinterLease.objects.aggregate(n=Count("pk"))
        takeovers = sum(
            g - 1 for g in PrinterLease.objects.values_list("generation", flat=True) if g > 1
        )
        ages.sort()
        return {
            "warmup": warmup,
            "wall": wall,
            "cpu": cpu,
            "cpu_share": 100 * cpu / wall,
            "age_max": ages[-1],
            "age_p99": ages[min(len(ages) - 1, int(0.99 * len(ages)))],
            "age_median": statistics.median(ages),
            "samples": len(ages),
            "printers_over": sum(1 for v in worst_by_printer.values() if v > STALE_TARGET),
            "tps": (commits1 - commits0) / wall if commits0 is not None else None,
            "leases": generations["n"],
            "takeovers": takeovers,
            "vendor": connection.vendor,
        }
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.2)


def _table(args, r: dict) -> str:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    tps = f"{r['tps']:.1f}" if r["tps"] is not None else "n/a"
    lines = [
        f"## Following {args.printers} printers ({r['vendor']}, Redis, threads-pool worker "
        f"with beat; stand-in OctoPrint, a message every {args.every} s; "
        f"{r['wall']:.0f} s measured after {r['warmup']:.1f} s to follow them all; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})",
        "",
        "| measure | value | target | |",
        "|---|---|---|---|",
        f"| state age, max | {r['age_max']:.1f} s | ≤ {STALE_TARGET:.0f} s | "
        f"{verdict(r['age_max'] <= STALE_TARGET)} |",
        f"| state age, p99 | {r['age_p99']:.1f} s | ≤ {STALE_TARGET:.0f} s | "
        f"{verdict(r['age_p99'] <= STALE_TARGET)} |",
        f"| state age, median | {r['age_median']:.1f} s | | |",
        f"| printers ever over {STALE_TARGET:.0f} s | {r['printers_over']} | 0 | |",
        f"| worker CPU, share of one core | {r['cpu_share']:.1f} % | ≤ {CPU_TARGET:.0f} % | "
        f"{verdict(r['cpu_share'] <= CPU_TARGET)} |",
        f"| database commits per second | {tps} | | |",
        f"| lease takeovers during the run | {r['takeovers']} | 0 | |",
        "",
        f"{r['samples']} age readings (every printer every 0.5 s); CPU {r['cpu']:.1f} s "
        f"over {r['wall']:.1f} s. Command: `.venv/bin/python -m bench.follow "
        f"--printers {args.printers} --seconds {args.seconds:.0f} --every {args.every}`.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
