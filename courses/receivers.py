"""Keep cached course outlines true: any change to a page inside a course gives the
course a new outline version (on commit); and the routing's cached sites and restricted
paths (`courses.routing`). Connected in `CoursesConfig.ready`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .catalogue_version import catalogue_invalidate
from .outline import courses_containing, outline_invalidate
from .routing import restricted_paths_forget, sites_cached, sites_forget


def _invalidate(page: Page) -> None:
    catalogue_invalidate()
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


@receiver(post_save, sender="courses.CourseCompetency")
@receiver(post_delete, sender="courses.CourseCompetency")
def course_competency_changed(sender, instance, **kwargs):
    # The outline holds the competencies the course certifies (`Outline.competency_ids`).
    outline_invalidate(course_id=instance.course_id)


@receiver(post_page_move)
def page_moved_somewhere(sender, instance, parent_page_before, parent_page_after, **kwargs):
    _invalidate(instance)
    _invalidate(parent_page_before)
    _invalidate(parent_page_after)


@receiver(post_save, sender="courses.Topic")
@receiver(post_delete, sender="courses.Topic")
def topic_changed(sender, instance, **kwargs):
    catalogue_invalidate()  # the catalogue's topic filter and each course's topics


# Routing (`courses.routing`): the cached sites, and the cached set of restricted paths.


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    sites_forget()
    catalogue_invalidate()  # the shared catalogue page is per host


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    restricted_paths_forget()
    catalogue_invalidate()  # it lists public courses only


@receiver(post_save)
def page_saved_for_routing(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        return
    if instance.alias_of_id is not None:  # an alias of a restricted page is restricted
        restricted_paths_forget()
    if any(row["root_page_id"] == instance.pk for row in sites_cached()):
        sites_forget()  # a site's root: its url_path may have changed


@receiver(post_delete)
def page_deleted_for_routing(sender, instance, **kwargs):
    if isinstance(instance, Page):
        restricted_paths_forget()


@receiver(post_page_move)
def page_moved_for_routing(sender, instance, **kwargs):
    restricted_paths_forget()  # the paths below it changed
    sites_forget()
