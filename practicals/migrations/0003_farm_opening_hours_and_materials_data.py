"""Each farm's old single opening hour becomes opening hours for every weekday; the
common filament materials are seeded (staff edit them afterwards in the admin)."""

import datetime as dt

from django.db import migrations

# name, other names, nozzle min/max, bed min/max (°C): the ranges filament makers print on
# their spools, kept wide enough for every usual brand.
MATERIALS = [
    ("PLA", "PLA+, PLA Basic, PLA Matte, PLA Silk", 180, 230, 0, 70),
    ("PETG", "PET, PETG Basic, PCTG", 220, 260, 60, 90),
    ("ABS", "", 220, 260, 80, 110),
    ("ASA", "", 230, 270, 80, 110),
    ("TPU", "FLEX, TPU 95A, TPU 98A", 200, 240, 0, 60),
]


def forward(apps, schema_editor):
    Farm = apps.get_model("practicals", "Farm")
    OpeningHours = apps.get_model("practicals", "OpeningHours")
    Material = apps.get_model("practicals", "Material")
    for farm in Farm.objects.all():
        opens = dt.time(farm.opening_hour)
        closes = dt.time(0) if farm.closing_hour >= 24 else dt.time(farm.closing_hour)
        OpeningHours.objects.bulk_create(
            OpeningHours(farm=farm, weekday=day, opens_at=opens, closes_at=closes, sort_order=day)
            for day in range(7)
        )
    for name, aliases, nozzle_min, nozzle_max, bed_min, bed_max in MATERIALS:
        Material.objects.get_or_create(
            name=name,
            defaults={
                "aliases": aliases,
                "nozzle_min": nozzle_min,
                "nozzle_max": nozzle_max,
                "bed_min": bed_min,
                "bed_max": bed_max,
            },
        )


def backward(apps, schema_editor):
    Farm = apps.get_model("practicals", "Farm")
    for farm in Farm.objects.all():
        hours = list(farm.opening_hours.all())
        if hours:
            farm.opening_hour = min(h.opens_at for h in hours).hour
            farm.closing_hour = max(24 if h.closes_at == dt.time(0) else h.closes_at.hour for h in hours)
            farm.save(update_fields=["opening_hour", "closing_hour"])


class Migration(migrations.Migration):
    dependencies = [("practicals", "0002_farm_hours_materials_printer_specs")]

    operations = [migrations.RunPython(forward, backward)]
