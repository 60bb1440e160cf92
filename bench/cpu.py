"""CPU per request in process: `python -m bench.cpu [page …] [--size S] [--runs 150]`.

Serves each page with Django's test client under the bench's production settings,
database and Redis (a real session, as `bench.profile`), warm cache, and prints the CPU
time (`time.process_time()`) per request, best and median of 5 series, with the queries
of one request and the load average. Run it alternately on two checkouts to compare
them: steadier than wrk on a shared machine.
"""

import argparse
import os
import sys
import time


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*", default=["lesson"])
    parser.add_argument("--size", choices=["S", "L"], default="S")
    parser.add_argument("--runs", type=int, default=150)
    args = parser.parse_args(argv)

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

    for name in args.pages:
        target = next(t for t in targets() if t.name == name)
        client = Client(HTTP_HOST="127.0.0.1")
        if target.persona:
            cookie, value = session_cookie(PERSONAS[target.persona]).split("=", 1)
            client.cookies[cookie] = value
        for _ in range(3):
            response = client.get(target.path)
        problems = target.check(response.status_code, response.content.decode())
        assert not problems, f"wrong page: {problems}"
        with CaptureQueriesContext(connection) as queries:
            client.get(target.path)
        count = len(queries)  # before the next request resets the log
        series = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(args.runs):
                client.get(target.path)
            series.append((time.process_time() - started) / args.runs * 1000)
        series.sort()
        load = os.getloadavg()[0]
        print(
            f"{name}: {count} queries; CPU per request best {series[0]:.2f} ms,"
            f" median {series[2]:.2f} ms (load average {load:.1f})"
        )


if __name__ == "__main__":
    main()
