"""Load the benchmark data: `python -m bench.load S|L [--recreate]`.

Runs with the project's settings against DATABASE_URL (PostgreSQL). With --recreate the
database is dropped and created again, then migrated; refused for a database named
`test` or `postgres`, which belong to others.
"""

import argparse
import os
import sys
import time


def database_recreate(url: str) -> None:
    import environ
    import psycopg

    db = environ.Env.db_url_config(url)
    if db["NAME"] in {"test", "postgres", "template0", "template1"}:
        sys.exit(f"Refusing to drop the database {db['NAME']!r}.")
    admin = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}"')


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", choices=["S", "L"])
    parser.add_argument("--recreate", action="store_true", help="drop, create and migrate first")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (e.g. atelier_bench).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ["DEBUG"] = "false"  # no query log while a million rows go in
    started = time.monotonic()
    if args.recreate:
        database_recreate(url)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.data import SIZES, size_load

    if args.recreate:
        call_command("migrate", verbosity=0, interactive=False)
    size_load(SIZES[args.size], out=sys.stdout)
    print(f"size {args.size} loaded in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
