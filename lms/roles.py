"""The three roles of Atelier, as Django groups with their permissions.

Kept in code and applied after every `migrate`, so the groups exist on a fresh database
and a permission added here reaches existing installs at their next migration.
"""

from django.contrib.auth.models import Group, Permission

TRAINEE = "Trainee"
INSTRUCTOR = "Instructor"
FARM_MANAGER = "Farm manager"

ROLE_PERMISSIONS = {
    TRAINEE: [],
    INSTRUCTOR: [
        "wagtailadmin.access_admin",
        "practicals.grade_printattempt",
        "practicals.view_printattempt",
        "certificates.view_certificate",
        "courses.view_competency",
        "courses.add_competency",
        "courses.change_competency",
        "certificates.issue_certificate",
        "certificates.revoke_certificate",
        "certificates.view_certificatetemplate",
        "certificates.add_certificatetemplate",
        "certificates.change_certificatetemplate",
        "practicals.view_cohort",
        "practicals.add_cohort",
        "practicals.change_cohort",
    ],
    FARM_MANAGER: [
        "wagtailadmin.access_admin",
        "practicals.view_farm",
        "practicals.change_farm",
        "practicals.view_printer",
        "practicals.add_printer",
        "practicals.change_printer",
        "practicals.view_material",
        "practicals.view_booking",
        "practicals.view_printattempt",
        "practicals.view_cohort",
        "practicals.add_cohort",
        "practicals.change_cohort",
        "practicals.delete_cohort",
    ],
}


# Instructors author courses: on the whole page tree, from Wagtail's root.
INSTRUCTOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# … and upload the images and files (videos, STL, G-code, PDF) their lessons show.
INSTRUCTOR_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def roles_ensure(**kwargs) -> None:
    """Create the groups and give them their permissions (idempotent).

    Connected to post_migrate for every app, because each app's permissions only exist
    once that app has been migrated.
    """
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                group.permissions.add(perm)
    _instructor_pages_ensure()


def _instructor_pages_ensure() -> None:
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:  # a flushed test database has no page tree
        return
    group = Group.objects.get(name=INSTRUCTOR)
    for perm in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=INSTRUCTOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)
    _instructor_collections_ensure(group)


def _instructor_collections_ensure(group) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for dotted in INSTRUCTOR_COLLECTION_PERMISSIONS:
        app_label, codename = dotted.split(".")
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=perm
            )
