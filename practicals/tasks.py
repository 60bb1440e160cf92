"""Celery tasks of practicals: thin callers of the printing services, keyed by id."""

from celery import shared_task

from . import services

POLL_SECONDS = 1.0


@shared_task(bind=True, max_retries=5, default_retry_delay=2, acks_late=True)
def attempt_send_task(self, attempt_id: int) -> str:
    attempt = services.attempt_send(attempt_id=attempt_id)
    if attempt is None:
        return "gone"
    if attempt.state == attempt.State.PRINTING:
        attempt_follow_task.apply_async((attempt_id,), countdown=POLL_SECONDS)
    return attempt.state


@shared_task(acks_late=True)
def attempt_follow_task(attempt_id: int) -> str:
    """Poll the printer once; enqueue the next poll while the print runs."""
    attempt = services.attempt_follow(attempt_id=attempt_id)
    if attempt is None:
        return "gone"
    if not attempt.finished:
        attempt_follow_task.apply_async((attempt_id,), countdown=POLL_SECONDS)
    return attempt.state


@shared_task
def attempts_sweep_task() -> dict:
    """Periodic (beat): pick up attempts whose sending or following task was lost."""
    to_send, to_follow = services.attempts_orphaned()
    for attempt_id in to_send:
        attempt_send_task.delay(attempt_id)
    for attempt_id in to_follow:
        attempt_follow_task.delay(attempt_id)
    return {"sent": len(to_send), "followed": len(to_follow)}
