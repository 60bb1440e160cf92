"""When a step of a course is completed, check (in a worker) whether a certificate is due."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import translation

from courses.signals import step_completed


@receiver(step_completed, dispatch_uid="certificates.step_completed")
def _certificate_check(sender, user, course, **kwargs):
    from .tasks import certificate_issue_task

    # The language of the request that completed the step (the trainee's, most often); the
    # holder can download the other language from the dashboard anyway.
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    certificate_issue_task.delay(user.pk, course.pk, language)
