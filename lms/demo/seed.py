"""Everything the demo needs in the database; safe to run again (it reuses what exists)."""

import datetime as dt

from django.db import transaction

from courses.models import CoursePage
from practicals.models import Farm, Material, OpeningHours, Printer

from .builder import course_build
from .cohort import cohorts_seed
from .courses import COURSES
from .site import catalog_ensure
from .users import users_seed

DEMO_FARM = "Ferme de démonstration"
DEMO_PRINTERS = 2
# Until `make demo` starts the virtual printers and points these at them, they are
# disabled: nothing offers or follows them.
UNREGISTERED_URL = "http://127.0.0.1:5000"
UNREGISTERED_KEY = "0" * 32


def courses_seed(*, catalog) -> dict[str, CoursePage]:
    """The demo courses by slug (created once)."""
    return {data["slug"]: course_build(catalog=catalog, data=data) for data in COURSES}


def _printer_name(i: int) -> str:
    return f"Imprimante virtuelle {i}"


def demo_printers_ensure(*, farm: Farm) -> list[Printer]:
    pla = Material.objects.filter(name="PLA").first()
    return [
        Printer.objects.get_or_create(
            farm=farm,
            name=_printer_name(i),
            defaults={
                "octoprint_url": UNREGISTERED_URL,
                "api_key": UNREGISTERED_KEY,
                "enabled": False,
                "model_name": "Virtual Printer (OctoPrint)",
                "material": pla,
            },
        )[0]
        for i in range(1, DEMO_PRINTERS + 1)
    ]


@transaction.atomic
def demo_seed() -> dict:
    catalog = catalog_ensure()
    courses = courses_seed(catalog=catalog)
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
    printers = demo_printers_ensure(farm=farm)
    cohorts = cohorts_seed(courses=courses, farm=farm, instructor=instructor, printers=printers)
    return {
        "catalog": catalog,
        "course": courses[COURSES[0]["slug"]],
        "courses": list(courses.values()),
        "users": users,
        "farm": farm,
        "printers": printers,
        "cohort": cohorts[0],
        "cohorts": cohorts,
    }


def demo_printers_register(*, farm: Farm, servers) -> list[Printer]:
    """Point the demo farm's printers at the OctoPrint servers just started."""
    printers = []
    for i, server in enumerate(servers, start=1):
        printer, _ = Printer.objects.update_or_create(
            farm=farm,
            name=_printer_name(i),
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
