"""The version of what the catalogue shows: rendered fragments that are the same for
everyone (the list of open courses) are cached under it, and any change to a page or to
a view restriction gives a new one (`receivers`), so a publish shows at once.

As for outlines (`courses.outline`), the version is read before the rows, so a fragment
rendered while a change commits is stored under the version that the change replaces,
and never read again; the version is renewed at once and again on commit.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

# Also the version of the whole anonymous catalogue page (`courses.shared_pages`).
CATALOGUE_VERSION_KEY = _KEY = "catalogue-version"


def catalogue_version() -> str:
    version = cache.get(_KEY)
    if version is None:
        cache.add(_KEY, uuid.uuid4().hex, None)
        version = cache.get(_KEY)
    return version


def catalogue_invalidate() -> None:
    def new_version():
        cache.set(_KEY, uuid.uuid4().hex, None)

    new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(new_version)
