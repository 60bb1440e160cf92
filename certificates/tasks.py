"""Celery tasks of certificates."""

from celery import shared_task
from django.contrib.auth import get_user_model

from courses.models import CoursePage

from .selectors import is_eligible
from .services import certificate_issue


@shared_task(bind=True, max_retries=3, default_retry_delay=5, acks_late=True)
def certificate_issue_task(self, user_id: int, course_id: int) -> str:
    """Issue if every requirement is met; idempotent, safe to run twice."""
    user = get_user_model().objects.filter(pk=user_id).first()
    course = CoursePage.objects.filter(pk=course_id).first()
    if user is None or course is None:
        return "gone"
    if not is_eligible(user=user, course=course):
        return "not eligible"
    try:
        return certificate_issue(user=user, course=course).code
    except OSError as error:  # the PDF could not be written: try again a little later
        raise self.retry(exc=error) from error
