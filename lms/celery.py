"""The Celery application: configuration from Django settings (CELERY_*), tasks from apps."""

import os
import sys

from celery import Celery
from celery.signals import task_prerun, worker_init

# `celery -A lms` runs where production runs: its default is the production settings, like
# `lms.wsgi`'s. `manage.py` (and so the demo) and pytest choose theirs before importing this.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, kept in code. Run `celery -A lms beat` beside the workers (the demo runs
# the worker with an embedded beat).
app.conf.beat_schedule = {
    # A follower for every printer that needs one (one lost with a worker is replaced
    # within the printer lease's 15 s plus this period).
    "practicals-printers-follow-sweep": {
        "task": "practicals.tasks.printers_follow_sweep_task",
        "schedule": 5.0,
    },
    # Idle printers (no follower) asked whether they still answer, for the farm board.
    "practicals-printers-probe": {
        "task": "practicals.tasks.printers_probe_task",
        "schedule": 30.0,
    },
    # Booking no-shows released, reminders, printers due for maintenance, unsent e-mails.
    "practicals-bookings-sweep": {
        "task": "practicals.tasks.bookings_sweep_task",
        "schedule": 60.0,
    },
    # Certificates a lost task did not issue, expiries and renewals, e-mails not yet sent.
    "certificates-sweep": {
        "task": "certificates.tasks.certificates_sweep_task",
        "schedule": 300.0,
    },
}


@worker_init.connect
def _broker_folders(**kwargs):
    _ensure_broker_folders()


@task_prerun.connect
def _content_types_fresh(**kwargs):
    """A test worker outlives the test database's flushes, which recreate content types
    with new ids: forget the cached ones (Wagtail's `.type()` queries go through them)."""
    if os.environ.get("ATELIER_WORKER_USES_TEST_DB"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


def _ensure_broker_folders() -> None:
    """The filesystem transport needs its folders to exist before anyone sends."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


def worker_argv(
    *, loglevel: str, beat_schedule: str | None = None, concurrency: int = 8
) -> list[str]:
    """The command that runs a worker of this app (the demo's and the tests')."""
    argv = [sys.executable, "-m", "celery", "-A", "lms", "--quiet", "worker"]
    # Threads: a printer's follower is a long task that mostly waits on its socket, so a
    # worker holds many of them (one per printer it follows) beside the short tasks.
    argv += ["--loglevel", loglevel, "--pool", "threads", "--concurrency", str(concurrency)]
    argv += ["--without-gossip", "--without-mingle"]
    if beat_schedule:
        argv += ["--beat", "--schedule", beat_schedule]
    return argv
