"""Pages found by url_path in one query (`courses.routing`), with Wagtail's semantics kept:
an unpublished page is a 404, a private page sends to the login, a module sends to its
course, Wagtail's own helper URLs still answer, and nothing cached about the tree (the
sites, the restricted paths) outlives a change."""

from urllib.parse import unquote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from courses import services
from courses.routing import route_by_url_path
from tests.fixtures.courses import steps_of


def _page_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"' in q["sql"]]


def test_a_lesson_is_found_from_its_course_outline_with_one_query_for_its_row(
    client, course, trainee
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    client.get(lesson1.url)  # caches filled (sites, restricted paths, outline)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(lesson1.url)
    assert response.status_code == 200
    assert f"<h1>{lesson1.title}</h1>" in response.text
    page_queries = _page_queries(queries)
    # The course's path in the cached index of courses, the lesson in the course's cached
    # outline: one query for the lesson's own row, with the trainee's enrolment and
    # whether they have done it (before: one on url_path for the lesson and its
    # ancestors, then the lesson's fields, then enrolment, the course's `sequential`,
    # the « viewed » throttle and the completion, each a query of its own).
    assert len(page_queries) == 1, page_queries
    assert '"url_path" IN' not in page_queries[0]
    assert '"courses_enrolment"' in page_queries[0]
    assert '"courses_lessoncompletion"' in page_queries[0]
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not any("wagtailcore_site" in sql for sql in sqls)
    assert not any("wagtailcore_pageviewrestriction" in sql for sql in sqls)
    assert not any("courses_activity" in sql for sql in sqls)  # throttled in the cache
    assert [sql for sql in sqls if sql not in page_queries and "accounts_user" not in sql] == [
        sql for sql in sqls if "django_session" in sql
    ]  # nothing else but the session and the user


def test_the_routed_page_is_the_specific_page_with_its_course_and_parent(rf, course):
    lesson1, *_ = steps_of(course)
    path = lesson1.get_url_parts()[2]
    request = rf.get(path)
    path = unquote(path).lstrip("/")  # as Django's resolver hands it to the view
    page, args, kwargs = route_by_url_path(request, path)
    assert type(page) is type(lesson1) and page.pk == lesson1.pk
    assert page.title == lesson1.title
    assert [block.block_type for block in page.body] == ["paragraph"]
    module_pk = lesson1.get_parent().pk
    with CaptureQueriesContext(connection) as queries:
        assert page.course().pk == course.pk
        assert page.get_parent().pk == module_pk
    assert len(queries) == 0


def test_a_lesson_url_that_the_outline_does_not_know_takes_the_url_path_way(
    client, course, trainee
):
    lesson1, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    assert client.get(lesson1.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson1.url + "deeper/").status_code == 404
        assert client.get(course.url + "nothing/here/").status_code == 404
    assert any('"url_path" IN' in sql for sql in _page_queries(queries))


def test_an_unpublished_page_is_a_404_even_once_routed(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    assert client.get(lesson2.url).status_code == 200
    url = lesson2.url
    lesson2.unpublish()
    assert client.get(url).status_code == 404
    Page.objects.get(pk=lesson2.pk).specific.save_revision().publish()
    assert client.get(url).status_code == 200


def test_unknown_paths_are_404(client, course, trainee):
    lesson1, *_ = steps_of(course)
    client.force_login(trainee)
    assert client.get(course.url + "nothing-here/").status_code == 404
    assert client.get(lesson1.url + "deeper/").status_code == 404
    assert client.get("/no-such-course/module/lesson/").status_code == 404


def test_a_module_sends_to_its_course(client, course):
    module = course.get_children().first()
    response = client.get(module.url)
    assert response.status_code == 302
    assert response["Location"] == course.url


def test_a_renamed_page_answers_at_its_new_url_only(client, course):
    old = course.url
    course.slug = "initiation-renommee"
    course.save_revision().publish()
    assert client.get(old).status_code == 404
    response = client.get("/initiation-renommee/")
    assert response.status_code == 200
    assert f"<h1>{course.title}</h1>" in response.text


def test_a_private_page_sends_to_the_login_even_after_it_was_cached(client, course, trainee):
    lesson1, *_ = steps_of(course)
    assert client.get(course.url).status_code == 200  # the restricted set is now cached
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )
    for url in (course.url, lesson1.url):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"] and "next=" in response["Location"]
    client.force_login(trainee)
    assert client.get(course.url).status_code == 200
    client.logout()
    restriction.delete()
    assert client.get(course.url).status_code == 200


def test_a_password_restriction_asks_for_the_password(client, course):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="atelier"
    )
    response = client.get(course.url)
    assert response.status_code == 200
    assert f"<h1>{course.title}</h1>" not in response.text
    assert reverse("wagtailcore_authenticate_with_password", args=[1, 1])[:30] in (response.text)


def test_wagtails_helper_urls_still_answer(client, course):
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="atelier"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, course.pk])
    response = client.post(url, {"password": "atelier", "return_url": course.url})
    assert response.status_code == 302
    assert response["Location"] == course.url
    assert f"<h1>{course.title}</h1>" in client.get(course.url).text


def test_a_changed_site_is_seen_at_once(client, course):
    assert client.get(course.url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.hostname = "elsewhere.example.org"
    site.save()
    assert client.get(course.url).status_code == 404  # no site answers for this host
    site.is_default_site = True
    site.save()
    assert client.get(course.url).status_code == 200
