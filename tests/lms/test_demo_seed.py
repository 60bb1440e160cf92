"""The demo content loads, twice without duplicates, and makes two courses one can follow."""

from certificates.models import Certificate
from courses.models import CoursePage, ModulePage, QuizAttempt, QuizPage
from courses.selectors import course_outline, course_steps
from lms.demo.seed import demo_seed
from practicals.models import Booking, Farm, PracticalPage, PrintAttempt

COURSE_TITLES = ["Initiation à l’impression 3D FDM", "Opérer une ferme d’impression 3D"]


def test_demo_seed_is_idempotent(db):
    first = demo_seed()
    second = demo_seed()
    assert first["course"].pk == second["course"].pk
    assert CoursePage.objects.count() == 2 and Farm.objects.count() == 1
    trainee = next(u for u in second["users"] if u.email.startswith("stagiaire"))
    outline = course_outline(course=second["course"], user=trainee)
    kinds = [step.specific_class.__name__ for m in outline.modules for step, _ in m.steps][:5]
    assert kinds == ["LessonPage", "LessonPage", "QuizPage", "LessonPage", "LessonPage"]
    assert trainee.emailaddress_set.get().verified


def test_demo_seed_twice_adds_nothing(db):
    def counts():
        return [m.objects.count() for m in (QuizAttempt, PrintAttempt, Certificate, Booking)]

    demo_seed()
    before = counts()
    demo_seed()
    assert counts() == before and all(before)


def test_demo_courses_are_full_courses(db):
    courses = demo_seed()["courses"]
    assert [c.title for c in courses] == COURSE_TITLES
    for course in courses:
        assert ModulePage.objects.child_of(course).count() >= 5
        steps = course_steps(course=course)
        assert sum(isinstance(s, PracticalPage) for s in steps) >= 1
        assert all(s.estimated_time() for s in steps)
        kinds = {b.block_type for q in steps if isinstance(q, QuizPage) for b in q.questions}
        assert {"single_choice", "multiple_choice", "true_false", "numeric", "picture"} <= kinds
        blocks = {b.block_type for s in steps if hasattr(s, "body") for b in s.body}
        assert {"heading", "paragraph", "callout", "procedure", "image"} <= blocks
        assert course.certified_competencies.count() >= 5
        # Every competency a course certifies is given evidence by some question.
        tagged = {
            int(pk)
            for q in steps
            if isinstance(q, QuizPage)
            for b in q.questions
            for pk in b.value["competencies"]
        }
        certified = set(course.certified_competencies.values_list("competency_id", flat=True))
        assert certified <= tagged


def test_demo_text_follows_french_typography(db):
    course = demo_seed()["course"]
    quiz = QuizPage.objects.descendant_of(course).first()
    assert quiz.title == "Quiz\u00a0: sécurité et machine"
    texts = [b.value["question"] for b in quiz.questions]
    assert "Quand peut-on toucher la buse après une impression\u00a0?" in texts
    lesson = course_steps(course=course)[0]
    html = str(lesson.body)
    assert "«\u00a0thermal runaway\u00a0»" in html and "260\u00a0°C" in html
    assert " :" not in html and " ;" not in html


def test_demo_home_page_serves_the_catalogue(client, db):
    demo_seed()
    response = client.get("/")
    assert response.status_code == 200
    for title in COURSE_TITLES:
        assert title in response.text


def test_demo_cohort_has_trainees_at_different_stages(db):
    from practicals.cohorts.progress import cohort_grid

    demo_seed()
    seeded = demo_seed()
    cohort = seeded["cohort"]
    (grid,) = cohort_grid(cohort=cohort)
    percents = sorted(row.total.percent for row in grid.rows)
    assert len(percents) == 5 and len(set(percents)) >= 3
    assert percents[-1] == 100
    assert cohort.instructors.filter(email="formatrice@atelier.test").exists()
    attempts = QuizAttempt.objects.filter(user__cohorts=cohort)
    assert attempts.filter(passed=False).exists() and attempts.filter(passed=True).exists()
    certificate = Certificate.objects.get(status=Certificate.Status.VALID)
    assert certificate.holder.email == "zoe@atelier.test"
    # A print waits for its grade in the second cohort, and one is booked ahead.
    assert PrintAttempt.objects.filter(grade="").count() == 1
    assert len(seeded["cohorts"]) == 2
