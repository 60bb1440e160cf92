"""`make bench`: Atelier under gunicorn with its production settings, against a bare view.

    python -m bench.run [--size S|L] [--rounds 3] [--seconds 8] [--connections 16]

1. Loads the data of the size into PostgreSQL (BENCH_DATABASE_URL, default
   atelier_bench_s or atelier_bench_l) unless it is already there.
2. Starts gunicorn (2 × cores + 1 workers) twice on free loopback ports: Atelier
   (lms.wsgi, production settings over plain HTTP, Redis cache BENCH_REDIS_URL, default
   db 2) and a bare Django view from the same virtualenv (bench.bare).
3. Checks every page once (status and content) and counts its queries (in this
   process, with the same settings, cache warm), then measures with wrk in rounds:
   each round runs the bare view then every page, so that noise on a shared machine
   hits both alike. Each page's share is its requests per second over the bare view's
   in the same round; the table gives the medians over the rounds.
4. Renders the certificate PDF N times in a separate process (bench.pdf).

Prints one table and writes it to var/bench/bench-<size>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
ENV = {
    "CELERY_BROKER_URL": REDIS,
    "CELERY_QUEUE": "atelier-bench",
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "bench-only-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # Production settings refuse a loopback SITE_URL (it is printed in QR codes) and console
    # e-mail; the bench sends no e-mail and prints no certificate anyone will scan.
    "SITE_URL": "https://atelier.bench.invalid",
    "EMAIL_URL": "smtp://127.0.0.1:25",
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci11c2U=",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_PROXY_SSL": "false",
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_ROOT": str(VAR / "static"),
    "MEDIA_ROOT": str(VAR / "media"),
    "LOG_LEVEL": "WARNING",
    # wrk asks from one address far more than a person would: the limit is still counted
    # on every verification (its cost is measured), never reached.
    "CERTIFICATES_VERIFY_RATES": "1000000000/60,1000000000/3600",
}


def env_for(size: str) -> None:
    """One database per size, so that S and L can both stay loaded, and a cache key
    prefix per size: the two databases share page ids, their outlines must not mix."""
    ENV["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL",
        f"postgres://postgres@127.0.0.1:5432/atelier_bench_{size.lower()}",
    )
    ENV["CACHE_URL"] = f"{REDIS}?key_prefix=bench-{size.lower()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def services_check() -> None:
    import psycopg
    import redis

    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        raise SystemExit(f"PostgreSQL is not answering on 127.0.0.1:5432: {error}") from None
    try:
        redis.Redis.from_url(REDIS, socket_timeout=3).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis is not answering at {REDIS}: {error}") from None


def data_ensure(size: str) -> None:
    from django.db.utils import OperationalError

    from bench.data import SIZES, size_loaded

    try:
        loaded = size_loaded(SIZES[size])
    except OperationalError:  # no database yet
        loaded = False
    finally:
        from django.db import connection

        connection.close()
    if loaded:
        print(f"Size {size} already loaded in {ENV['DATABASE_URL'].rsplit('/', 1)[-1]}.")
        return
    print(f"Loading size {size}…", flush=True)
    subprocess.run(
        ["nice", "-n", "10", PY, "-m", "bench.load", size, "--recreate"],
        env={**os.environ, **ENV, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
        check=True,
        cwd=ROOT,
    )


def session_cookie(email: str) -> str:
    """A logged-in session for `email`, as a browser would hold it after logging in."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806

    user = get_user_model().objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def queries_per_request(path: str, cookie: str) -> int:
    """Queries of one request, the cache warmed by the one before."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def wrk(url: str, *, marker: str, cookie: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
        + ["-s", str(ROOT / "bench" / "wrk.lua"), url, "--", marker, cookie],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def drain(port: int, workers: int) -> None:
    """Wait until the requests a run left queued are served (a slow page's backlog would
    otherwise eat into the next page's run): sync workers take connections in turn, so
    once `workers` new requests are all answered, what came before them is done."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/verify/", timeout=300).read()

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(workers)))


def gunicorn_start(app: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [GUNICORN, app, "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        + ["--graceful-timeout", "5", "--timeout", "120"]
        + ["--access-logfile", "/dev/null", "--error-logfile", str(log)],
        env={**os.environ, **ENV},
        cwd=ROOT,
    )


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        mem = f"{int(mem) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        mem = ""
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average at start {load}"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Atelier's benchmark")
    parser.add_argument("--size", choices=["S", "L"], default=os.environ.get("SIZE", "L"))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 3)))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("SECONDS_PER_RUN", 8)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pdf-runs", type=int, default=20)
    args = parser.parse_args(argv)
    started = time.monotonic()
    VAR.mkdir(parents=True, exist_ok=True)
    env_for(args.size)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    services_check()
    subprocess.run(  # before this process reads the manifest of static files
        [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env={**os.environ, **ENV},
        check=True,
        cwd=ROOT,
    )
    import django

    django.setup()
    data_ensure(args.size)
    import redis

    redis.Redis.from_url(REDIS).flushdb()  # the bench's own db: a cold start

    from bench.data import PERSONAS
    from bench.targets import targets

    pages = targets()
    cookies = {key: session_cookie(email) for key, email in PERSONAS.items()}
    workers = 2 * (os.cpu_count() or 1) + 1
    # Free ports by default; BENCH_SITE_PORT and BENCH_BARE_PORT pin them (a shared machine
    # where each person has a range).
    site_port = int(os.environ.get("BENCH_SITE_PORT") or free_port())
    bare_port = int(os.environ.get("BENCH_BARE_PORT") or free_port())
    servers = [
        gunicorn_start("lms.wsgi", site_port, workers, VAR / "gunicorn-site.log"),
        gunicorn_start("bench.bare:application", bare_port, workers, VAR / "gunicorn-bare.log"),
    ]
    try:
        wait_up(f"http://127.0.0.1:{bare_port}/")
        wait_up(f"http://127.0.0.1:{site_port}/verify/")
        rows = measure(args, pages, cookies, site_port, bare_port, workers)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    pdf = json.loads(
        subprocess.run(
            [PY, "-m", "bench.pdf", str(args.pdf_runs)],
            env={**os.environ, **ENV},
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    report = table(args, rows, pdf, workers, time.monotonic() - started)
    print(report)
    out = VAR / f"bench-{args.size}.md"
    out.write_text(report)
    print(f"Written to {out.relative_to(ROOT)}")
    if any(row["bad"] or row["errors"] for row in rows):
        raise SystemExit("Some answers were wrong: see the 'wrong' column.")


def measure(args, pages, cookies, site_port: int, bare_port: int, workers: int) -> list[dict]:
    from urllib.request import Request

    for page in pages:  # one right answer from the real server first, and its queries
        cookie = cookies.get(page.persona, "")
        request = Request(f"http://127.0.0.1:{site_port}{page.path}", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as response:
            problems = page.check(response.status, response.read().decode())
        if problems:
            raise SystemExit(f"{page.name} ({page.path}) answers wrongly: {problems}")
        page.queries = queries_per_request(page.path, cookie)

    print("Warming up every worker…", flush=True)
    wrk(f"http://127.0.0.1:{bare_port}/", marker="", cookie="", seconds=2, connections=16)
    for page in pages:
        wrk(
            f"http://127.0.0.1:{site_port}{page.path}",
            marker="",
            cookie=cookies.get(page.persona, ""),
            seconds=3,
            connections=args.connections,
        )
        drain(site_port, workers)

    runs: dict[str, list[dict]] = {"bare": []}
    for page in pages:
        runs[page.name] = []
    for round_ in range(args.rounds):
        print(f"Round {round_ + 1}/{args.rounds}…", flush=True)
        bare = wrk(
            f"http://127.0.0.1:{bare_port}/",
            marker="bare Django view",
            cookie="",
            seconds=args.seconds,
            connections=args.connections,
        )
        runs["bare"].append(bare | {"share": 1.0})
        for page in pages:
            result = wrk(
                f"http://127.0.0.1:{site_port}{page.path}",
                marker=page.markers[0],
                cookie=cookies.get(page.persona, ""),
                seconds=args.seconds,
                connections=args.connections,
            )
            runs[page.name].append(result | {"share": result["rps"] / bare["rps"]})
            drain(site_port, workers)

    rows = []
    queries = {page.name: page.queries for page in pages} | {"bare": 0}
    for name, results in runs.items():
        rows.append(
            {
                "page": name,
                "rps": statistics.median(r["rps"] for r in results),
                "p50": statistics.median(r["p50_us"] for r in results) / 1000,
                "p99": statistics.median(r["p99_us"] for r in results) / 1000,
                "share": statistics.median(r["share"] for r in results),
                "queries": queries[name],
                "checked": sum(r["checked"] for r in results),
                "bad": sum(r["bad"] for r in results),
                "errors": sum(r["errors"] for r in results),
                "statuses": sorted({r["bad_status"] for r in results} - {0}),
            }
        )
    return rows


def table(args, rows, pdf, workers: int, elapsed: float) -> str:
    lines = [
        f"## Size {args.size} — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {machine()}.",
        f"gunicorn {workers} sync workers each side; wrk -t2 -c{args.connections}, "
        f"{args.rounds} rounds × {args.seconds} s per page, medians over the rounds.",
        "",
        "| page | req/s | p50 ms | p99 ms | share of bare | queries | answers checked | wrong |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{100 * r['share']:.1f} % | {r['queries']} | {r['checked']} | "
            f"{r['bad'] + r['errors']}"
            + (f" (status {', '.join(map(str, r['statuses']))})" if r["statuses"] else "")
            + " |"
        )
    lines += [
        "",
        f"Certificate PDF ({pdf['runs']} renders after a first one of {pdf['first_ms']} ms): "
        f"p50 {pdf['p50_ms']} ms, p95 {pdf['p95_ms']} ms, peak memory of the render process "
        f"{pdf['render_peak_rss_mb']} MB (the Django process asking: {pdf['peak_rss_mb']} MB).",
        "",
        f"Whole run: {elapsed / 60:.1f} min.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
