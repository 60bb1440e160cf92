"""The Celery application: configuration from Django settings (CELERY_*), tasks from apps."""

import os
import sys

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks, kept in code. Run `celery -A lms beat` beside the workers (the demo runs
# the worker with an embedded beat).
app.conf.beat_schedule = {
    # A follower for every printer that needs one (one lost with a worker is replaced
    # within the printer lease's 10 s plus this period).
    "practicals-printers-follow-sweep": {
        "task": "practicals.tasks.printers_follow_sweep_task",
        "schedule": 5.0,
    },
}


@worker_init.connect
def _broker_folders(**kwargs):
    _ensure_broker_folders()


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
