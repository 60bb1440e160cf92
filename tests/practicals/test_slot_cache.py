"""The booking page's free times, computed once and cached (`practicals.slot_cache`): read
with no query while nothing changes, and never stale once a booking, a cancellation, a
downtime, a closure or a printer change has committed, on Redis as in production."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from practicals.exceptions import SlotTaken
from practicals.models import Booking, Closure, Downtime, Farm, OpeningHours, Printer
from practicals.selectors import NEXT_FREE, slots_by_day
from practicals.services import booking_cancel, booking_create
from practicals.slot_cache import free_times_cached
from practicals.slots import free_times
from tests.fixtures.practicals import pla
from tests.fixtures.progress import theory_complete


def _farm(name="Lyon", printers=2):
    farm = Farm.objects.create(name=name, timezone="Europe/Paris", booking_window_days=7)
    OpeningHours.objects.bulk_create(
        OpeningHours(farm=farm, weekday=d, opens_at=dt.time(9), closes_at=dt.time(17))
        for d in range(7)
    )
    for i in range(printers):
        Printer.objects.create(
            farm=farm,
            name=f"{name} {i + 1}",
            octoprint_url="http://192.0.2.1",
            api_key="x" * 43,
            material=pla(),
        )
    return farm


def _offered(practical):
    """(start, printer id) of every free printer × time the page would offer now."""
    return {(t.starts_at, p.pk) for t in free_times_cached(practical=practical) for p in t.printers}


def _truth(practical):
    return {(t.starts_at, p.pk) for t in free_times(practical=practical) for p in t.printers}


def test_the_free_times_are_read_from_the_cache_with_no_query(
    db, course, trainee, django_assert_num_queries
):
    practical = theory_complete(course=course, user=trainee)
    _farm()
    first = free_times_cached(practical=practical)
    assert first
    with django_assert_num_queries(0):
        again = free_times_cached(practical=practical)
    assert [(t.starts_at, [p.pk for p in t.printers]) for t in again] == [
        (t.starts_at, [p.pk for p in t.printers]) for t in first
    ]
    choices = slots_by_day(practical=practical)
    assert len(choices.soonest) == NEXT_FREE
    assert choices.times and {t.farm.pk for t in choices.times} == {choices.farm.pk}


def test_every_change_is_seen_at_once(db, course, trainee):
    """Booking, cancelling, a downtime, a closure, a printer disabled or withdrawn: the
    cached free times are the computed ones after each."""
    practical = theory_complete(course=course, user=trainee)
    farm = _farm()
    other = _farm("Nantes", printers=1)
    assert _offered(practical) == _truth(practical)

    start, printer_id = sorted(_offered(practical))[0]
    booking = booking_create(
        user=trainee,
        practical=practical,
        printer=Printer.objects.get(pk=printer_id),
        starts_at=start,
    )
    assert (start, printer_id) not in _offered(practical)
    assert _offered(practical) == _truth(practical)

    booking_cancel(user=trainee, booking=booking)
    assert (start, printer_id) in _offered(practical)

    tomorrow = timezone.localdate(timezone.now(), farm.tzinfo) + dt.timedelta(days=1)
    at = dt.datetime.combine(tomorrow, dt.time(10), tzinfo=farm.tzinfo).astimezone(dt.UTC)
    Downtime.objects.create(
        farm=farm, kind=Downtime.Kind.MAINTENANCE, starts_at=at, ends_at=at + dt.timedelta(hours=2),
        reason="Nettoyage",
    )  # fmt: skip
    offered = _offered(practical)
    assert not {(at, p.pk) for p in farm.printers.all()} & offered
    assert offered == _truth(practical)

    Closure.objects.create(farm=farm, starts_on=tomorrow, ends_on=tomorrow, reason="Férié")
    offered = _offered(practical)
    assert offered == _truth(practical)
    nantes = other.printers.get()
    assert {p for s, p in offered if s.astimezone(farm.tzinfo).date() == tomorrow} == {nantes.pk}

    nantes.enabled = False
    nantes.save()
    assert not any(p == nantes.pk for s, p in _offered(practical))

    withdrawn = farm.printers.first()
    farm.withdraw_when_service_due = True
    farm.save()
    withdrawn.service_due_since = timezone.now()
    withdrawn.save()
    assert not any(p == withdrawn.pk for s, p in _offered(practical))
    assert _offered(practical) == _truth(practical)


def test_another_practical_or_a_changed_slot_length_reads_its_own_entry(db, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    _farm()
    hourly = free_times_cached(practical=practical)
    practical.slot_minutes = 120
    longer = free_times_cached(practical=practical)
    assert all(t.ends_at - t.starts_at == dt.timedelta(hours=2) for t in longer)
    assert len(longer) < len(hourly)


@pytest.mark.django_db(transaction=True)
def test_a_slot_taken_is_never_offered_once_the_booking_commits(redis_cache, course, trainee):
    """The worst moment: another request computes the free times after the booking's first
    renewal of the version but before its commit (it cannot see the booking yet). The
    renewal on commit makes that entry unreadable: the slot is not offered afterwards."""
    practical = theory_complete(course=course, user=trainee)
    _farm(printers=1)
    start, printer_id = sorted(_offered(practical))[0]
    computed = []

    def another_request():
        try:
            computed.append(_offered(practical))
        finally:
            connection.close()

    with transaction.atomic():
        Booking.objects.create(
            trainee=trainee, printer_id=printer_id, practical=practical,
            starts_at=start, ends_at=start + dt.timedelta(minutes=practical.slot_minutes),
        )  # fmt: skip
        thread = threading.Thread(target=another_request)
        thread.start()
        thread.join()
    assert (start, printer_id) in computed[0]  # computed (and cached) before the commit
    assert (start, printer_id) not in _offered(practical)
    assert _offered(practical) == _truth(practical)


def test_the_page_shows_one_farm_s_day_and_the_next_free_times_of_all(client, db, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    lyon, nantes = _farm("Lyon"), _farm("Nantes")
    client.force_login(trainee)
    html = client.get(practical.url).content.decode()
    soonest, day = html.split('<div class="slots">')
    assert soonest.count('class="secondary slot"') == NEXT_FREE
    assert "Lyon, " in soonest and "Nantes, " in soonest  # the next free times of both
    assert f'href="?farm={nantes.pk}#book"' in html
    assert 'aria-current="page">Lyon</a>' in html
    assert "Lyon, " in day and "Nantes, " not in day  # one farm's day
    html = client.get(f"{practical.url}?farm={nantes.pk}").content.decode()
    assert 'aria-current="page">Nantes</a>' in html
    assert f"?farm={nantes.pk}&amp;day=" in html
    day = html.split('<div class="slots">')[1]
    assert "Nantes, " in day and "Lyon, " not in day
    assert client.get(f"{practical.url}?farm=x&day=nope").status_code == 200
    assert client.get(f"{practical.url}?farm={lyon.pk + 1000}").status_code == 200


def test_an_entry_read_later_drops_what_ended_or_is_within_the_notice(db, course, trainee):
    """Computed at 10:20 on a Monday in Paris, read at 11:40 the same day: the 10:00 slot
    has ended, 11:00 is under way (still bookable without notice), 12:00 falls within a
    30-minute notice once the farm asks for one."""
    practical = theory_complete(course=course, user=trainee)
    farm = _farm()
    monday = dt.date(2026, 11, 30)

    def at(hour, minute=0):
        return dt.datetime.combine(monday, dt.time(hour, minute), tzinfo=farm.tzinfo)

    free_times_cached(practical=practical, now=at(10, 20))
    later = at(11, 40)
    read = [(t.starts_at, [p.pk for p in t.printers]) for t in free_times_cached(
        practical=practical, now=later)]  # fmt: skip
    truth = [(t.starts_at, [p.pk for p in t.printers]) for t in free_times(
        practical=practical, now=later)]  # fmt: skip
    assert read == truth and read[0][0] == at(11)

    farm.min_notice_minutes = 30
    farm.save()
    free_times_cached(practical=practical, now=at(10, 20))
    read = free_times_cached(practical=practical, now=at(11, 40))
    assert read[0].starts_at == at(13)  # 12:00 starts within 30 minutes of 11:40


def test_a_time_taken_on_one_printer_is_booked_on_another_free_one_of_the_farm(
    client, db, course, trainee
):
    """The page offers a time at a farm: when the printer it named was taken in the
    meantime, the server books another printer of the farm free then; once none is
    left, the trainee is told the slot was just taken."""
    from lms.demo.users import user_ensure
    from tests.fixtures.courses import PASSWORD

    practical = theory_complete(course=course, user=trainee)
    farm = _farm(printers=2)
    first, second = farm.printers.order_by("name")
    start = free_times_cached(practical=practical)[0].starts_at
    others = []
    for i in range(2):
        other = user_ensure(
            email=f"other{i}@example.org", full_name=f"Other {i}", password=PASSWORD
        )
        theory_complete(course=course, user=other)
        others.append(other)
    booking_create(user=others[0], practical=practical, printer=first, starts_at=start)

    client.force_login(trainee)
    url = f"/practicals/{practical.pk}/book/"
    form = {"printer": first.pk, "starts_at": start.isoformat()}
    assert client.post(url, form).status_code == 302
    assert Booking.objects.get(trainee=trainee).printer == second

    Booking.objects.get(trainee=trainee).delete()
    booking_create(user=others[1], practical=practical, printer=second, starts_at=start)
    response = client.post(url, form, follow=True)
    assert not Booking.objects.filter(trainee=trainee).exists()
    assert [str(m) for m in response.context["messages"]][-1] == str(SlotTaken.default_message)
