"""Two real Celery workers issue N certificates (render, sign, store, e-mail): wall time.

    .venv/bin/python bench/certificates_issue.py [--count 1000]

Uses its own database, broker folder and media under var/bench-certificates/ (deleted
first), or DATABASE_URL / CELERY_BROKER_URL when given (PostgreSQL and Redis, as in
production). Target (issue 14): 1,000 certificates in under 90 s. Exits 1 when missed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench-certificates"


def _sql(statement: str) -> str:
    return f"from django.db import connection; connection.cursor().execute({statement!r})"


def _workers_wait(count: int) -> None:
    """Until every worker answers (started, connected, its PDF tools loaded): the time
    measured is the issuing, not the workers' start on a busy machine."""
    from lms.celery import app

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0)) >= count:
            return
    raise SystemExit("the workers did not answer within 180 s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--loglevel", default="warning", help="the workers' (info: task times)")
    args = parser.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{WORK / 'db.sqlite3'}"),
        "CELERY_BROKER_DIR": str(WORK / "broker"),
        "CELERY_QUEUE": "atelier-bench-certificates",
        "MEDIA_ROOT": str(WORK / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    if not env["DATABASE_URL"].startswith("sqlite"):
        # A PostgreSQL database of its own, given by the caller: emptied at each run.
        empty = "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", _sql(empty)], cwd=ROOT, env=env, check=True
        )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = env["MEDIA_ROOT"]

    from certificates.models import Certificate
    from certificates.receivers import _certificate_check
    from certificates.tasks import certificate_issue_task
    from courses.signals import step_completed
    from lms.celery import _ensure_broker_folders, worker_argv
    from practicals.models import Farm, Printer
    from tests.fixtures.courses import course_build
    from tests.fixtures.progress import practical_passed

    print(f"preparing {args.count} trainees who passed every step…", flush=True)
    step_completed.disconnect(dispatch_uid="certificates.step_completed")  # enqueue below
    course = course_build(title="Banc d’essai")
    farm = Farm.objects.create(name="Ferme du banc", timezone="Europe/Paris")
    printer = Printer.objects.create(
        farm=farm, name="P1", octoprint_url="http://127.0.0.1:9", api_key="x" * 43
    )
    from lms.demo.users import user_ensure
    from lms.roles import INSTRUCTOR, TRAINEE

    grader = user_ensure(
        email="banc@example.org", full_name="Banc", password="x" * 12, role=INSTRUCTOR
    )
    users = []
    for i in range(args.count):
        user = user_ensure(
            email=f"t{i}@example.org", full_name=f"Stagiaire {i}", password="x" * 12, role=TRAINEE
        )
        practical_passed(course=course, user=user, printer=printer, grader=grader)
        users.append(user)
    step_completed.connect(_certificate_check, dispatch_uid="certificates.step_completed")

    _ensure_broker_folders()
    logs = [open(WORK / f"worker{n}.log", "wb") for n in (1, 2)]  # noqa: SIM115
    workers = []
    for n, log in enumerate(logs, start=1):
        argv = worker_argv(loglevel=args.loglevel)
        argv[argv.index("--concurrency") + 1] = "1"
        argv += ["--hostname", f"bench{n}@%h"]
        workers.append(subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=log))
    try:
        _workers_wait(len(workers))
        start = time.monotonic()
        for user in users:
            certificate_issue_task.delay(user.pk, course.pk, "fr")
        while Certificate.objects.filter(notified_at__isnull=False).count() < args.count:
            if time.monotonic() - start > 900:
                print("gave up after 900 s")
                return 1
            time.sleep(0.5)
        elapsed = time.monotonic() - start
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    assert Certificate.objects.count() == args.count
    print(f"two workers issued and e-mailed {args.count} certificates in {elapsed:.1f} s")
    goal = 90 * args.count / 1000
    ok = elapsed < goal
    print("OK" if ok else f"MISSED: target under {goal:.0f} s for {args.count}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
