"""Booking a practical on a phone (375 px wide), in a real browser: the next free slots
first, then day by day with only the farm's opening hours, a confirmation page, and never
a sideways scroll. Then the farm staff's schedule page on the same screen."""

import datetime as dt
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from practicals.models import Booking, BookingMail, Farm, OpeningHours, Printer
from tests.fixtures.courses import PASSWORD, course_build
from tests.fixtures.practicals import pla
from tests.fixtures.progress import theory_complete

pytestmark = pytest.mark.e2e
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
OPEN = [(dt.time(9), dt.time(12)), (dt.time(14), dt.time(18))]


@pytest.fixture
def small_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        locale="fr-FR",
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _farm(instructor):
    farm = Farm.objects.create(name="Atelier de Lyon", booking_window_days=7)
    OpeningHours.objects.bulk_create(
        OpeningHours(farm=farm, weekday=day, opens_at=opens, closes_at=closes)
        for day in range(7)
        for opens, closes in OPEN
    )
    for name in ("Prusa 1", "Prusa 2"):
        Printer.objects.create(
            farm=farm, name=name, octoprint_url="http://127.0.0.1:9", api_key="x" * 43,
            material=pla(),
        )  # fmt: skip
    farm.instructors.add(instructor)
    return farm


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _opening_hours_only(page):
    for value in page.locator(".slots button.slot").evaluate_all(
        "els => els.map(e => [+e.dataset.startsAt, +e.dataset.endsAt])"
    ):
        start = dt.datetime.fromtimestamp(value[0], PARIS)
        end = dt.datetime.fromtimestamp(value[1], PARIS)
        assert any(o <= start.time() and end.time() <= c for o, c in OPEN), (start, end)


def test_a_trainee_books_a_practical_on_a_phone(small_phone, live_server, trainee, instructor):
    farm = _farm(instructor)
    course = course_build(title="Initiation FDM", slot_minutes=60)
    practical = theory_complete(course=course, user=trainee)
    page = small_phone
    _login(page, trainee.email)

    page.goto(practical.url)
    soonest = page.get_by_role("heading", name="Prochains créneaux libres")
    by_day = page.get_by_role("heading", name="Jour par jour")
    expect(soonest).to_be_visible()
    # The next free slots come first, then the days; not a wall of buttons.
    assert soonest.bounding_box()["y"] < by_day.bounding_box()["y"]
    assert page.locator(".soonest button.slot").count() == 6
    _opening_hours_only(page)
    _no_sideways_scroll(page)

    # Day by day: the second day offered shows that day's times, opening hours only.
    days = page.locator("nav.days a")
    assert days.count() >= 6
    days.nth(1).click()
    page.wait_for_url(re.compile(r"\?day=\d{4}-\d{2}-\d{2}"))
    expect(days.nth(1)).to_have_attribute("aria-current", "date")
    day = dt.date.fromisoformat(page.url.split("day=")[1][:10])
    times = page.locator(".slots:not(.soonest) button.slot")
    assert times.count() == 7  # 9, 10, 11, 14, 15, 16, 17
    starts = [int(s) for s in times.evaluate_all("els => els.map(e => e.dataset.startsAt)")]
    assert {dt.datetime.fromtimestamp(s, PARIS).date() for s in starts} == {day}
    _opening_hours_only(page)
    _no_sideways_scroll(page)

    # Book the first afternoon time: the confirmation page.
    times.nth(3).click()
    expect(page.get_by_text("Votre créneau est réservé.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mon créneau")).to_be_visible()
    expect(page.get_by_text("Atelier de Lyon")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"\.ics"))).to_be_visible()
    _no_sideways_scroll(page)
    booking = Booking.objects.get(trainee=trainee)
    assert booking.starts_at == dt.datetime.combine(day, dt.time(14), tzinfo=PARIS)
    assert booking.printer.farm == farm
    assert BookingMail.objects.filter(booking=booking, kind="confirmed").exists()


def test_the_staff_schedule_fits_a_phone(small_phone, live_server, trainee, instructor):
    farm = _farm(instructor)
    page = small_phone
    _login(page, instructor.email)
    page.goto(f"/practicals/farms/{farm.pk}/schedule/")
    expect(page.get_by_role("heading", name="Réserver pour un stagiaire")).to_be_visible()
    expect(page.get_by_role("heading", name="Bloquer du temps")).to_be_visible()
    _no_sideways_scroll(page)
