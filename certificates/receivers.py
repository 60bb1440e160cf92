"""When a step of a course is completed, check (in a worker) whether a certificate is due."""

from django.dispatch import receiver

from courses.signals import step_completed


@receiver(step_completed, dispatch_uid="certificates.step_completed")
def _certificate_check(sender, user, course, **kwargs):
    from .tasks import certificate_issue_task

    certificate_issue_task.delay(user.pk, course.pk)
