"""Where a page's time goes: `python -m bench.profile <page> [--size L] [--runs 20]`.

Serves the page in this process (Django's test client, production settings, the bench's
database and Redis, cache warm) under cProfile, then prints the queries of one request
and the share of time in each phase of the request. Pages: lesson, course, dashboard,
catalogue, verification, booking.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time

# Phases of a request, by the function that runs each (cumulative time).
PHASES = [
    ("Wagtail routing (find the page by its path)", "wagtail/models/pages.py", "route_for_request"),
    ("Wagtail view restrictions", "wagtail/models/pages.py", "get_view_restrictions"),
    ("the page's serve and get_context", "wagtail/models/pages.py", "serve"),
    ("template rendering", "django/template/response.py", "render"),
    ("database round trips (all)", "django/db/backends/utils.py", "execute"),
    ("cache (Redis) reads (all)", "django/core/cache/backends/redis.py", "get"),
    ("session and user (middleware)", "django/contrib/auth/middleware.py", "<lambda>"),
]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--size", choices=["S", "L"], default="L")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=0, help="also print the N costliest calls")
    args = parser.parse_args(argv)

    from bench.run import ENV, ROOT, env_for

    env_for(args.size)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.data import PERSONAS
    from bench.targets import targets

    target = next(t for t in targets() if t.name == args.page)
    client = Client(HTTP_HOST="127.0.0.1")
    if target.persona:
        client.force_login(get_user_model().objects.get(email=PERSONAS[target.persona]))
    for _ in range(3):
        client.get(target.path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target.path)
    assert not target.check(response.status_code, response.content.decode()), "wrong page"
    print(f"{target.name} {target.path}: {len(queries)} queries")
    for query in queries.captured_queries:
        print(f"  {query['sql'][:110]}")

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.runs):
        client.get(target.path)
    profile.disable()
    per_request = (time.perf_counter() - started) / args.runs
    stats = pstats.Stats(profile)
    total = sum(
        v[3] for k, v in stats.stats.items() if k[2] == "get_response" and "handlers/base" in k[0]
    )
    print(f"\n{per_request * 1000:.1f} ms per request under the profiler; share of each phase:")
    for label, file, function in PHASES:
        spent = sum(
            v[3] for k, v in stats.stats.items() if k[0].endswith(file) and k[2] == function
        )
        print(f"  {100 * spent / total:5.1f} %  {label}")
    if args.top:
        stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
