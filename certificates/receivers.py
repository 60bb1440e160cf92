"""When a step of a course is completed, check (in a worker) whether a certificate is due;
when a certificate changes, its public page is built again."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
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


@receiver(post_save, sender="certificates.Certificate", dispatch_uid="certificates.saved")
@receiver(post_delete, sender="certificates.Certificate", dispatch_uid="certificates.deleted")
def _certificate_changed(sender, instance, **kwargs):
    """Any change to a certificate's row gives it a new status version, at once and on
    commit: its public card and shared page are built again (`public_facts`)."""
    from .public_facts import public_facts_forget

    public_facts_forget(public_id=instance.public_id)
