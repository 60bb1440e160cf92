"""The demo content loads, twice without duplicates, and makes a course one can follow."""

from courses.models import CoursePage
from courses.selectors import course_outline
from lms.demo.seed import demo_seed
from practicals.models import Farm


def test_demo_seed_is_idempotent(db):
    first = demo_seed()
    second = demo_seed()
    assert first["course"].pk == second["course"].pk
    assert CoursePage.objects.count() == 1 and Farm.objects.count() == 1
    trainee = next(u for u in second["users"] if u.email.startswith("stagiaire"))
    outline = course_outline(course=second["course"], user=trainee)
    kinds = [step.specific_class.__name__ for m in outline.modules for step, _ in m.steps]
    assert kinds == ["LessonPage", "LessonPage", "QuizPage", "LessonPage", "PracticalPage"]
    assert trainee.emailaddress_set.get().verified


def test_demo_home_page_serves_the_catalogue(client, db):
    demo_seed()
    response = client.get("/")
    assert response.status_code == 200
    assert "Initiation à l’impression 3D FDM" in response.text


def test_demo_cohort_has_trainees_at_different_stages(db):
    from practicals.cohorts.progress import cohort_grid

    demo_seed()
    cohort = demo_seed()["cohort"]
    (grid,) = cohort_grid(cohort=cohort)
    percents = sorted(row.total.percent for row in grid.rows)
    assert len(percents) == 5 and len(set(percents)) >= 3
    assert cohort.instructors.filter(email="formatrice@atelier.test").exists()
