"""Many trainees clicking the same slot at once: exactly one booking, the others told."""

import threading

from django.db import connection

from practicals.exceptions import SlotTaken
from practicals.models import Booking
from practicals.services import booking_create
from practicals.slots import slots_free
from tests.fixtures.courses import PASSWORD
from tests.fixtures.progress import theory_complete

RACERS = 12


def test_concurrent_bookings_of_one_slot(transactional_db, course, offline_printer):
    from lms.demo.users import user_ensure

    users = [
        user_ensure(email=f"racer{i}@example.org", full_name=f"Racer {i}", password=PASSWORD)
        for i in range(RACERS)
    ]
    practical = None
    for user in users:
        practical = theory_complete(course=course, user=user)
    slot = slots_free(practical=practical)[1]
    barrier = threading.Barrier(RACERS)
    outcomes = []

    def race(user):
        try:
            barrier.wait()
            booking_create(
                user=user, practical=practical, printer=offline_printer, starts_at=slot.starts_at
            )
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        except Exception as error:  # any other error is a failure of the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["taken"] * (RACERS - 1), outcomes
    assert Booking.objects.filter(starts_at=slot.starts_at, printer=offline_printer).count() == 1
