"""On PostgreSQL, the database itself forbids two confirmed bookings of one printer that
overlap in time, whatever their lengths (an exclusion constraint over the time range, which
needs the btree_gist extension for the printer's equality). SQLite serialises bookings with
IMMEDIATE transactions instead; there this migration does nothing."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE practicals_booking ADD CONSTRAINT booking_no_overlap_per_printer
    EXCLUDE USING gist (printer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status = 'confirmed');
"""
DROP = "ALTER TABLE practicals_booking DROP CONSTRAINT IF EXISTS booking_no_overlap_per_printer;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("practicals", "0006_farm_booking_rules_practical_printer_needs")]

    operations = [migrations.RunPython(forward, backward)]
