"""The demo course's quizzes: several kinds of question, tagged, passable, and passing them
all masters every competency the course certifies."""

from courses import services
from courses.competencies import CompetencyStatus, competency_states
from courses.models import QuizPage
from lms.demo.builder import course_build
from lms.demo.courses import fdm
from lms.demo.site import catalog_ensure
from tests.fixtures.progress import quiz_pass


def test_demo_quizzes_have_several_kinds_and_lead_to_competencies(trainee):
    course = course_build(catalog=catalog_ensure(), data=fdm.COURSE)
    quizzes = list(QuizPage.objects.descendant_of(course).order_by("path"))
    first = quizzes[0]
    kinds = {block.block_type for block in first.questions}
    assert kinds == {"single_choice", "true_false", "multiple_choice", "numeric"}
    assert all(block.value["competencies"] for q in quizzes for block in q.questions)
    services.enrolment_create(user=trainee, course=course)
    for quiz in quizzes:
        assert quiz_pass(user=trainee, quiz=quiz).score == 100
    states = {s.competency.code: s.status for s in competency_states(user=trainee)}
    assert states == {c["code"]: CompetencyStatus.MASTERED for c in fdm.COMPETENCIES}
