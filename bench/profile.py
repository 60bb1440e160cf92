"""Where a page's time goes: `python -m bench.profile <page> [--size L] [--runs 50]`.

Serves the page in this process (Django's test client, production settings, the bench's
database and Redis, cache warm) under pyinstrument (a sampling profiler: it does not
slow the code it watches the way cProfile does), then prints the queries of one request,
the share of the request's time in each phase, and pyinstrument's call tree
(`--tree`). Pages: those of `bench.targets` (lesson, course, dashboard, catalogue,
verification, status, booking).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

# Phases of a request: (label, end of the file path, function). A phase's time is the
# time of the outermost frames of that function (a recursive call is not counted twice).
PHASES = [
    ("Wagtail routing (walking the tree)", "wagtail/models/pages.py", "route_for_request"),
    ("Atelier routing (by url_path)", "courses/routing.py", "route_by_url_path"),
    ("Wagtail view restrictions", "wagtail/models/pages.py", "get_view_restrictions"),
    ("the page's serve and get_context", "wagtail/models/pages.py", "serve"),
    ("the view (any view function)", "django/core/handlers/base.py", "_get_response"),
    ("template rendering", "django/template/base.py", "render"),
    ("database round trips (all)", "django/db/backends/utils.py", "execute"),
    ("cache (Redis) calls (all)", "redis/client.py", "execute_command"),
    ("session load", "django/contrib/sessions/backends/base.py", "_get_session"),
    ("user (auth middleware)", "django/contrib/auth/__init__.py", "get_user"),
]


def _phase_time(frame, file: str, function: str) -> float:
    if frame.function == function and (frame.file_path or "").endswith(file):
        return frame.time
    return sum(_phase_time(child, file, function) for child in frame.children)


def _request_time(frame) -> float:
    """The time of the outermost `get_response` (the whole request inside the handler)."""
    return _phase_time(frame, "django/core/handlers/base.py", "get_response")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--size", choices=["S", "L"], default="L")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--tree", action="store_true", help="also print pyinstrument's tree")
    parser.add_argument("--html", help="also write pyinstrument's HTML report to this file")
    args = parser.parse_args(argv)

    from pyinstrument import Profiler

    from bench.run import ENV, ROOT, env_for

    env_for(args.size)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import session_cookie
    from bench.targets import PERSONAS, targets

    target = next(t for t in targets() if t.name == args.page)
    client = Client(HTTP_HOST="127.0.0.1")
    if target.persona:  # a real session, as the bench's (not force_login's)
        name, value = session_cookie(PERSONAS[target.persona]).split("=", 1)
        client.cookies[name] = value
    for _ in range(3):
        client.get(target.path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target.path)
    problems = target.check(response.status_code, response.content.decode())
    assert not problems, f"wrong page: {problems}"
    print(f"{target.name} {target.path}: {len(queries)} queries")
    for query in queries.captured_queries:
        print(f"  {query['sql'][:130]}")

    profiler = Profiler(interval=0.0002)
    started = time.perf_counter()
    profiler.start()
    for _ in range(args.runs):
        client.get(target.path)
    profiler.stop()
    per_request = (time.perf_counter() - started) / args.runs
    root = profiler.last_session.root_frame()
    total = _request_time(root) or root.time
    print(f"\n{per_request * 1000:.2f} ms per request (test client, sampled); share of each phase:")
    for label, file, function in PHASES:
        print(f"  {100 * _phase_time(root, file, function) / total:5.1f} %  {label}")
    if args.tree:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())


if __name__ == "__main__":
    main()
