"""The benchmark's smoke check at size S, run by `make test` (never on timings).

Every page `make bench` measures answers with the right page, and the number of
queries per request does not depend on the size of the course: a 10-lesson and a
500-lesson course cost the same queries on every page (issue 12).
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.data import PERSONAS, SIZES, course_bulk_create, personas_progress, size_load
from bench.targets import targets
from courses.models import CatalogPage


@pytest.fixture
def size_s(db):
    return size_load(SIZES["S"])


def _answer(client, target):
    client.logout()
    if target.persona:
        client.force_login(get_user_model().objects.get(email=PERSONAS[target.persona]))
    client.get(target.path)  # the first request may fill caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target.path)
    return response, len(queries)


def test_every_page_of_size_s_answers_right(size_s, client):
    for target in targets():
        response, _queries = _answer(client, target)
        assert target.check(response.status_code, response.content.decode()) == [], target.name


def test_queries_per_request_do_not_grow_with_the_course(size_s, client):
    catalog = CatalogPage.objects.get()
    users = get_user_model().objects
    learner = users.get(email=PERSONAS["learner"])
    booker = users.get(email=PERSONAS["booker"])
    counts = {}
    for lessons, (modules, per_module) in {10: (2, 5), 500: (50, 10)}.items():
        course = course_bulk_create(
            catalog=catalog,
            title=f"Parcours de {lessons} leçons",
            modules=modules,
            lessons=per_module,
            number=100 + lessons,
        )
        personas_progress(course=course, learner=learner.pk, booker=booker.pk)
        for target in targets(course=course):
            if target.name in {"lesson", "course", "booking"}:
                response, counts[lessons, target.name] = _answer(client, target)
                assert target.check(response.status_code, response.content.decode()) == []
        # The dashboard of a trainee enrolled in this course only.
        trainee = users.create_user(email=f"seul-{lessons}@example.org", password="x" * 12)
        personas_progress(course=course, learner=trainee.pk)
        client.force_login(trainee)
        client.get("/dashboard/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        counts[lessons, "dashboard"] = len(queries)
    for page in ("lesson", "course", "booking", "dashboard"):
        assert counts[10, page] == counts[500, page], (page, counts)
