"""Keep cached course outlines true: any change to a page inside a course gives the
course a new outline version (on commit). Connected in `CoursesConfig.ready`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .outline import courses_containing, outline_invalidate


def _invalidate(page: Page) -> None:
    for course_id in courses_containing(page):
        outline_invalidate(course_id=course_id)


@receiver(post_save)
@receiver(post_delete)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _invalidate(instance)


@receiver(page_published)
@receiver(page_unpublished)
def page_published_or_not(sender, instance, **kwargs):
    _invalidate(instance)


@receiver(post_page_move)
def page_moved_somewhere(sender, instance, parent_page_before, parent_page_after, **kwargs):
    _invalidate(instance)
    _invalidate(parent_page_before)
    _invalidate(parent_page_after)
