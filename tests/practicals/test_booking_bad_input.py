"""Issue 11's bad booking input, through the trainee's booking page: a slot in the past,
outside the opening hours, on a closure day, overlapping a maintenance window, beyond the
booking window or the trainee's limit, on a printer due for maintenance. Each gets a clear
message in French and changes nothing saved."""

import datetime as dt
import zoneinfo

import pytest

from lms.roles import FARM_MANAGER
from practicals.models import Booking, Closure, Downtime, Farm, OpeningHours, Printer
from practicals.services import booking_create, downtime_create
from tests.fixtures.courses import PASSWORD, _person, course_build
from tests.fixtures.practicals import pla
from tests.fixtures.progress import theory_complete

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _local(days: int, hour: int) -> dt.datetime:
    day = dt.datetime.now(PARIS).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)


@pytest.fixture
def setting(db, trainee):
    manager = _person(email="gerante@example.org", full_name="Inès Gérante", password=PASSWORD,
                      role=FARM_MANAGER)  # fmt: skip
    farm = Farm.objects.create(
        name="Ferme", booking_window_days=7, max_active_bookings=1, withdraw_when_service_due=True
    )
    farm.managers.add(manager)
    OpeningHours.objects.bulk_create(
        OpeningHours(farm=farm, weekday=day, opens_at=opens, closes_at=closes)
        for day in range(7)
        for opens, closes in ((dt.time(9), dt.time(12)), (dt.time(14), dt.time(18)))
    )
    Closure.objects.create(
        farm=farm, starts_on=_local(3, 0).date(), ends_on=_local(3, 0).date(), reason="Inventaire"
    )
    printer, due = (
        Printer.objects.create(
            farm=farm, name=name, octoprint_url="http://192.0.2.1", api_key="x" * 43,
            material=pla(),
        )
        for name in ("P1", "P2")
    )  # fmt: skip
    Printer.objects.filter(pk=due.pk).update(service_due_since=dt.datetime.now(dt.UTC))
    downtime_create(
        by=manager,
        farm=farm,
        printer=printer,
        kind=Downtime.Kind.MAINTENANCE,
        starts_at=_local(2, 9),
        ends_at=_local(2, 11),
        reason="Graissage",
    )
    return printer, due, theory_complete(course=course_build(title="Cours A"), user=trainee)


@pytest.mark.parametrize(
    ("which", "days", "hour", "text"),
    [
        ("printer", -1, 10, "Ce créneau est déjà passé"),
        ("printer", 1, 12, "en dehors des heures d’ouverture"),
        ("printer", 1, 7, "en dehors des heures d’ouverture"),
        ("printer", 3, 10, "La ferme est fermée ce jour-là (Inventaire)"),
        ("printer", 2, 10, "chevauche une maintenance (Graissage)"),
        ("printer", 9, 10, "7 jours à l’avance au plus"),
        ("due", 1, 10, "doit être entretenue"),
    ],
)
def test_bad_slots_get_a_french_message_and_save_nothing(
    client, setting, trainee, which, days, hour, text
):
    printer, due, practical = setting
    client.force_login(trainee)
    before = list(Booking.objects.values_list("pk", "status", "starts_at"))
    response = client.post(
        f"/practicals/{practical.pk}/book/",
        {
            "printer": (printer if which == "printer" else due).pk,
            "starts_at": _local(days, hour).isoformat(),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert text in response.text
    assert list(Booking.objects.values_list("pk", "status", "starts_at")) == before


def test_beyond_the_trainees_limit(client, setting, trainee):
    printer, _, practical = setting
    other = theory_complete(course=course_build(title="Cours B"), user=trainee)
    booking_create(user=trainee, practical=other, printer=printer, starts_at=_local(1, 14))
    client.force_login(trainee)
    response = client.post(
        f"/practicals/{practical.pk}/book/",
        {"printer": printer.pk, "starts_at": _local(1, 15).isoformat()},
        follow=True,
    )
    assert "le nombre maximal de réservations à venir dans cette ferme (1)" in response.text
    assert Booking.objects.count() == 1
