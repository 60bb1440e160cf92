"""Everything the demo needs in the database; safe to run again (it reuses what exists)."""

import datetime as dt

from django.db import transaction

from practicals.models import Farm, Material, OpeningHours, Printer

from .cohort import cohort_seed
from .content import course_seed
from .site import catalog_ensure
from .users import users_seed

DEMO_FARM = "Ferme de démonstration"


@transaction.atomic
def demo_seed() -> dict:
    catalog = catalog_ensure()
    course = course_seed(catalog=catalog)
    users = users_seed()
    # The demo farm never closes, so that the demo can be walked at any hour.
    farm, created = Farm.objects.get_or_create(
        name=DEMO_FARM,
        defaults={"timezone": "Europe/Paris", "address": "12 rue des Tanneurs, 69001 Lyon"},
    )
    if created or not farm.opening_hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(farm=farm, weekday=d, opens_at=dt.time(0), closes_at=dt.time(0))
            for d in range(7)
        )
    manager = next(u for u in users if u.email == "gestionnaire@atelier.test")
    instructor = next(u for u in users if u.email == "formatrice@atelier.test")
    farm.managers.add(manager)
    farm.instructors.add(instructor)
    cohort = cohort_seed(course=course, farm=farm, instructor=instructor)
    return {"catalog": catalog, "course": course, "users": users, "farm": farm, "cohort": cohort}


def demo_printers_register(*, farm: Farm, servers) -> list[Printer]:
    """Point the demo farm's printers at the OctoPrint servers just started."""
    printers = []
    for i, server in enumerate(servers, start=1):
        printer, _ = Printer.objects.update_or_create(
            farm=farm,
            name=f"Imprimante virtuelle {i}",
            defaults={
                "octoprint_url": server.url,
                "api_key": server.api_key,
                "enabled": True,
                "model_name": "Virtual Printer (OctoPrint)",
                "material": Material.objects.filter(name="PLA").first(),
            },
        )
        printers.append(printer)
    Printer.objects.filter(farm=farm).exclude(pk__in=[p.pk for p in printers]).update(enabled=False)
    return printers
