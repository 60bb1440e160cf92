"""CPU time per request, in process: `python -m bench.cpu <page>... [--size S] [--runs 300]`.

Serves each page of `bench.targets` through Django's WSGI handler, called directly as
gunicorn would (the bench's production settings, database and Redis, cache warm, the
persona's real session cookie; the database connection checked and kept between requests
as in production, which Django's test client skips), and prints `time.process_time()` per
request: this process's CPU only (PostgreSQL's and Redis's own work is not in it).
Steadier than wrk on a loaded machine; run it alternately on the two versions compared.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time


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
    from django.core.handlers.wsgi import WSGIHandler

    from bench.run import session_cookie
    from bench.targets import PERSONAS, targets

    application = WSGIHandler()

    def get(path: str, cookie: str) -> tuple[int, bytes]:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        status = []
        body = application(environ, lambda line, headers: status.append(line))
        try:
            content = b"".join(body)
        finally:
            body.close()
        return int(status[0].split()[0]), content

    pages = {t.name: t for t in targets()}
    for name in args.pages:
        target = pages[name]
        cookie = session_cookie(PERSONAS[target.persona]) if target.persona else ""
        status, content = get(target.path, cookie)
        problems = target.check(status, content.decode())
        assert not problems, f"{name}: wrong page: {problems}"
        figures = []
        for _ in range(args.repeat):
            for _ in range(20):
                get(target.path, cookie)
            started = time.process_time()
            for _ in range(args.runs):
                get(target.path, cookie)
            figures.append((time.process_time() - started) / args.runs * 1000)
        shown = ", ".join(f"{v:.3f}" for v in figures)
        print(f"{name:14} {min(figures):.3f} ms CPU per request (runs: {shown})", flush=True)


if __name__ == "__main__":
    main()
