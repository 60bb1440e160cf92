"""Competencies: states across courses, the mastery rule, other evidence, the trainee's page."""

import pytest

from courses import services
from courses.competencies import (
    CompetencyStatus,
    Evidence,
    competencies_mastered,
    competency_evidence_register,
    competency_evidence_unregister,
    competency_states,
)
from tests.courses.quizzes import certify, competency_make, every_kind_questions, quiz_add
from tests.fixtures.courses import course_build
from tests.fixtures.progress import quiz_submit


@pytest.fixture
def first_layer(db):
    return competency_make("Calibrer la première couche", "premiere-couche")


def _status(user, competency):
    return next(s for s in competency_states(user=user) if s.competency == competency).status


def test_not_started_in_progress_then_mastered(course, trainee, first_layer):
    certify(course=course, competency=first_layer, threshold=75)
    quiz = quiz_add(course=course, pass_mark=50, questions=every_kind_questions(tags=[first_layer]))
    services.enrolment_create(user=trainee, course=course)
    assert _status(trainee, first_layer) == CompetencyStatus.NOT_STARTED

    failed = quiz_submit(user=trainee, quiz=quiz, wrong=3)  # 25 %: not passed
    assert failed.passed is False
    assert _status(trainee, first_layer) == CompetencyStatus.IN_PROGRESS

    # 50 %: passed, but only half the tagged right

    passed = quiz_submit(user=trainee, quiz=quiz, wrong=2)
    assert passed.passed
    state = competency_states(user=trainee)[0]
    assert (state.courses[0].questions_right, state.courses[0].questions_total) == (2, 4)
    assert state.status == CompetencyStatus.IN_PROGRESS

    # the rest answered right in another passed attempt

    quiz_submit(user=trainee, quiz=quiz, wrong=1)
    assert _status(trainee, first_layer) == CompetencyStatus.MASTERED
    assert competencies_mastered(user=trainee) == [first_layer]


def test_right_answers_in_a_failed_attempt_do_not_count(course, trainee, first_layer):
    certify(course=course, competency=first_layer, threshold=50)
    quiz = quiz_add(
        course=course, pass_mark=100, questions=every_kind_questions(tags=[first_layer])
    )
    services.enrolment_create(user=trainee, course=course)
    quiz_submit(user=trainee, quiz=quiz, wrong=1)  # 75 % right, but the quiz is not passed
    assert _status(trainee, first_layer) == CompetencyStatus.IN_PROGRESS


def test_a_competency_spans_courses(course, trainee, first_layer):
    other = course_build(title="Opérer une ferme")
    for c in (course, other):
        certify(course=c, competency=first_layer)
    quiz = quiz_add(course=other, questions=every_kind_questions(tags=[first_layer]))
    services.enrolment_create(user=trainee, course=course)
    services.enrolment_create(user=trainee, course=other)
    quiz_submit(user=trainee, quiz=quiz, wrong=0)
    [state] = competency_states(user=trainee)
    by_course = {p.course.pk: p.status for p in state.courses}
    assert by_course == {
        course.pk: CompetencyStatus.NOT_STARTED,
        other.pk: CompetencyStatus.MASTERED,
    }
    assert state.status == CompetencyStatus.MASTERED


def test_other_evidence_is_required_when_a_source_gives_some(course, trainee, first_layer):
    """The extension point practicals will use: rubric criteria tagged with a competency."""
    certify(course=course, competency=first_layer)
    quiz = quiz_add(course=course, questions=every_kind_questions(tags=[first_layer]))
    services.enrolment_create(user=trainee, course=course)
    criteria = {"passed": 0}

    def rubric_source(*, user, course_ids):
        return [Evidence(course.pk, first_layer.pk, passed=criteria["passed"], total=2)]

    competency_evidence_register(rubric_source)
    try:
        quiz_submit(user=trainee, quiz=quiz, wrong=0)
        assert _status(trainee, first_layer) == CompetencyStatus.IN_PROGRESS
        criteria["passed"] = 2
        assert _status(trainee, first_layer) == CompetencyStatus.MASTERED
    finally:
        competency_evidence_unregister(rubric_source)


def test_untagged_questions_do_not_count(course, trainee, first_layer):
    certify(course=course, competency=first_layer)
    quiz_add(course=course)  # no question tagged
    services.enrolment_create(user=trainee, course=course)
    [state] = competency_states(user=trainee)
    assert state.courses[0].questions_total == 0
    assert state.status == CompetencyStatus.NOT_STARTED


def test_my_competencies_page(client, course, trainee, other_trainee, first_layer):
    certify(course=course, competency=first_layer)
    quiz = quiz_add(course=course, questions=every_kind_questions(tags=[first_layer]))
    services.enrolment_create(user=trainee, course=course)
    quiz_submit(user=trainee, quiz=quiz, wrong=0)
    client.force_login(trainee)
    html = client.get("/courses/competencies/").text
    assert "Mes compétences" in html and "Calibrer la première couche" in html
    assert "maîtrisée" in html and "4 questions réussies sur 4" in html
    client.force_login(other_trainee)  # not enrolled: nothing of the other's
    html = client.get("/courses/competencies/").text
    assert "Calibrer la première couche" not in html
    assert "ne citent encore aucune compétence" in html


def test_my_competencies_needs_a_login(client):
    response = client.get("/courses/competencies/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
