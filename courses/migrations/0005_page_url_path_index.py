"""An index on Wagtail's page url_path: `courses.routing` finds a page and its ancestors
from the URL in one query on it (Wagtail's own routing walks the tree instead, so
Wagtail has no such index). Wagtail's table, Atelier's need: created here, idempotent."""

from django.db import migrations

INDEX = "atelier_page_url_path"


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_activity_record"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (url_path)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
