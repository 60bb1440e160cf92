"""CPU time per request, in process: `python -m bench.cpu <page>... [--size S] [--runs 300]`.

Serves each page of `bench.targets` with Django's test client under the bench's
production settings, database and Redis (cache warm, the persona's real session), and
the bare view (`bench.bare`'s view, called the same way with no middleware), and prints
`time.process_time()` per request: this process's CPU only (PostgreSQL's and Redis's
own work is not in it). Steadier than wrk on a loaded machine; run it alternately on the
two versions being compared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def _cpu_per_request(get, runs: int) -> float:
    for _ in range(20):
        get()
    started = time.process_time()
    for _ in range(runs):
        get()
    return (time.process_time() - started) / runs * 1000


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--size", choices=["S", "L"], default="S")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="measures per page (min kept)")
    args = parser.parse_args(argv)

    from bench.run import ENV, ROOT, env_for

    env_for(args.size)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client, RequestFactory

    from bench.run import session_cookie
    from bench.targets import PERSONAS, targets

    def bare(request):  # bench/bare.py's view, without its own settings
        from django.http import HttpResponse

        return HttpResponse("bare Django view")

    factory = RequestFactory()
    figures = {"bare (view only)": [_cpu_per_request(lambda: bare(factory.get("/")), args.runs)]}
    pages = {t.name: t for t in targets()}
    for name in args.pages:
        target = pages[name]
        client = Client(HTTP_HOST="127.0.0.1")
        if target.persona:
            cookie_name, value = session_cookie(PERSONAS[target.persona]).split("=", 1)
            client.cookies[cookie_name] = value
        response = client.get(target.path)
        problems = target.check(response.status_code, response.content.decode())
        assert not problems, f"{name}: wrong page: {problems}"
        figures[name] = [
            _cpu_per_request(lambda t=target, c=client: c.get(t.path), args.runs)
            for _ in range(args.repeat)
        ]
    for name, values in figures.items():
        shown = ", ".join(f"{v:.3f}" for v in values)
        print(f"{name:18} {min(values):.3f} ms CPU per request (runs: {shown})")


if __name__ == "__main__":
    main()
