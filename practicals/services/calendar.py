"""A trainee's private calendar feed: created on demand, revoked by a new secret token."""

import secrets

from django.db import transaction

from ..models import CalendarFeed


def calendar_feed_ensure(*, user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> CalendarFeed:
    """Replace the token: the old feed URL stops working at once."""
    feed = calendar_feed_ensure(user=user)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token", "created_at"])
    return feed
