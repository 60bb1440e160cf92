"""The demo course's quiz: several kinds of question, tagged, passable, and competencies."""

from courses import services
from courses.competencies import CompetencyStatus, competency_states
from courses.models import QuizPage
from lms.demo.content import course_seed
from lms.demo.site import catalog_ensure
from tests.fixtures.progress import quiz_pass


def test_demo_quiz_has_several_kinds_and_leads_to_competencies(trainee):
    course = course_seed(catalog=catalog_ensure())
    quiz = QuizPage.objects.descendant_of(course).get()
    kinds = {block.block_type for block in quiz.questions}
    assert kinds == {"single_choice", "true_false", "multiple_choice", "numeric"}
    assert all(block.value["competencies"] for block in quiz.questions)
    services.enrolment_create(user=trainee, course=course)
    assert quiz_pass(user=trainee, quiz=quiz).score == 100
    states = {s.competency.code: s.status for s in competency_states(user=trainee)}
    assert states == {
        "securite-atelier": CompetencyStatus.MASTERED,
        "machine-fdm": CompetencyStatus.MASTERED,
        "temperatures-materiaux": CompetencyStatus.MASTERED,
    }
