"""When a step of a course is completed, check (in a worker) whether a certificate is due."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import translation

from courses.signals import step_completed


@receiver(step_completed, dispatch_uid="certificates.step_completed")
def _certificate_check(sender, user, course, **kwargs):
    from .tasks import certificate_issue_task

    # The language the holder chose (kept on their account); else that of the request that
    # completed the step (the trainee's, most often; an instructor's when a grade completes
    # it). The holder can download the other language from the dashboard anyway.
    language = getattr(user, "language", "") or translation.get_language() or ""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    certificate_issue_task.delay(user.pk, course.pk, language)
