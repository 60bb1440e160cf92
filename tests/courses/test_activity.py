"""The activity record: what services write, the throttle, the active-time rule."""

import datetime as dt

from django.utils import timezone

from courses import services
from courses.activity import (
    IDLE_GAP,
    Verb,
    active_time,
    active_time_by_user,
    activity_record,
    last_activity_by_user,
    last_step,
)
from courses.models import Activity
from courses.quiz.services import quiz_attempt_start, quiz_attempt_submit
from tests.fixtures.courses import PASSWORD, steps_of
from tests.fixtures.progress import quiz_right_answers

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def minutes(n):
    return dt.timedelta(minutes=n)


def test_active_time_counts_short_gaps_only():
    times = [T0, T0 + minutes(3), T0 + minutes(8), T0 + minutes(8 + 11), T0 + minutes(20)]
    # 3 + 5 count; the 11-minute gap does not; then 1 more minute.
    assert active_time(times) == minutes(9)


def test_active_time_gap_of_exactly_the_limit_counts_and_order_does_not_matter():
    times = [T0 + IDLE_GAP, T0]
    assert active_time(times) == IDLE_GAP
    assert active_time([T0]) == dt.timedelta()
    assert active_time([]) == dt.timedelta()


def test_a_tab_left_open_overnight_adds_nothing():
    evening = [T0, T0 + minutes(2)]
    morning = [T0 + dt.timedelta(hours=14), T0 + dt.timedelta(hours=14, minutes=4)]
    assert active_time(evening + morning) == minutes(6)


def test_services_write_one_row_per_thing_done(course, trainee):
    lesson, quiz, _lesson2, _practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    services.lesson_complete(user=trainee, lesson=lesson)
    services.lesson_complete(user=trainee, lesson=lesson)  # twice is still once
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    quiz_attempt_start(user=trainee, quiz=quiz)  # the open one again: no new row
    quiz_attempt_submit(
        user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=quiz_right_answers(attempt)
    )
    verbs = list(Activity.objects.filter(user=trainee).values_list("verb", "page_id", "course_id"))
    assert verbs == [
        (Verb.COMPLETED, lesson.pk, course.pk),
        (Verb.QUIZ_STARTED, quiz.pk, course.pk),
        (Verb.QUIZ_SUBMITTED, quiz.pk, course.pk),
    ]


def test_viewing_a_step_is_recorded_once_per_throttle_window(client, course, trainee):
    lesson, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.login(email=trainee.email, password=PASSWORD)
    for _ in range(3):
        assert client.get(lesson.url).status_code == 200
    assert Activity.objects.filter(user=trainee, verb=Verb.VIEWED, page=lesson).count() == 1
    later = timezone.now() + minutes(6)
    assert (
        activity_record(user=trainee, verb=Verb.VIEWED, course=course, page=lesson, at=later)
        is not None
    )
    assert last_step(user=trainee, course=course).pk == lesson.pk


def test_a_visitor_is_not_recorded(client, course):
    lesson, *_ = steps_of(course)
    client.get(lesson.url)
    assert not Activity.objects.exists()


def test_time_and_last_activity_per_trainee(course, trainee, other_trainee):
    lesson, quiz, *_ = steps_of(course)
    for offset in (0, 4, 9, 200):
        activity_record(
            user=trainee, verb=Verb.VIEWED, course=course, page=lesson, at=T0 + minutes(offset)
        )
    ids = [trainee.pk, other_trainee.pk]
    assert active_time_by_user(user_ids=ids, course=course) == {
        trainee.pk: minutes(9),
        other_trainee.pk: dt.timedelta(),
    }
    assert last_activity_by_user(user_ids=ids, course=course) == {
        trainee.pk: T0 + minutes(200),
        other_trainee.pk: None,
    }
