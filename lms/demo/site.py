"""The page tree's top: one catalogue page served at the site's root."""

from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site

from courses.models import CatalogPage


def catalog_ensure(*, title: str = "Formations", hostname: str = "localhost") -> CatalogPage:
    """Return the catalogue at the site root, creating it (and the site) if needed."""
    root = _root_ensure()
    catalog = CatalogPage.objects.first()
    if catalog is None:
        catalog = root.add_child(
            instance=CatalogPage(
                title=title,
                slug="formations",
                intro="<p>Apprenez l’impression 3D sur de vraies imprimantes, "
                "dans les fermes du réseau, et obtenez un certificat vérifiable.</p>",
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=80,
            root_page=catalog,
            is_default_site=True,
            site_name="Atelier",
        )
    elif site.root_page_id != catalog.pk:
        site.root_page = catalog
        site.site_name = "Atelier"
        site.save()
    # Wagtail's own migration leaves a bare "Welcome" page: the catalogue replaces it.
    for page in root.get_children().exclude(pk=catalog.pk):
        if page.specific_class is Page:
            page.delete()
    return catalog


def _root_ensure() -> Page:
    """Wagtail's root page, root collection and default locale, which its migrations create.

    A flushed database (transactional tests) has lost them; put them back.
    """
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root
