"""The anonymous catalogue served whole from memory (`lms.middleware.SharedPageMiddleware`):
never stale after a change, never anyone's own page, the same headers as a built one."""

import re

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import PageViewRestriction

from courses.models import CoursePage

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _url(course):
    return course.get_parent().url


def _served(client, url, **extra):
    """GET `url` until the page comes from memory (a first request learns its versions,
    the next stores it); a page served from memory renders no template."""
    built = None
    for _ in range(3):
        response = client.get(url, **extra)
        if not response.templates:
            return built, response
        built = response
    raise AssertionError("never served from memory")


def test_the_catalogue_is_served_from_memory_without_a_query_nor_a_session(
    client, course, django_assert_num_queries
):
    built, _ = _served(client, _url(course))
    with django_assert_num_queries(0):
        served = client.get(_url(course))
    assert served.status_code == 200 and not served.templates
    assert course.title in served.text
    assert served.wsgi_request.session.accessed is False
    assert settings.SESSION_COOKIE_NAME not in served.cookies
    assert served.content == built.content


def test_served_pages_carry_the_same_headers_as_built_ones(client, course, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    built, served = _served(client, _url(course), secure=True)
    assert not served.templates
    assert "Strict-Transport-Security" in served.headers
    assert "Content-Security-Policy" in served.headers and "X-Frame-Options" in served.headers

    def headers(response):
        return {k: v for k, v in response.headers.items() if k != "Set-Cookie"}

    assert headers(served) == headers(built)
    # A fresh visitor gets the same page and no cookie at all: nothing to tell apart.
    fresh = Client()
    fresh.handler = client.handler  # the same worker's memory
    response = fresh.get(_url(course), secure=True)
    assert not response.templates and not response.cookies
    assert headers(response) == headers(built)


def test_an_anonymous_page_carries_no_token_and_sets_no_cookie(client, course, trainee):
    built, served = _served(client, _url(course))
    for response in (built, served):
        assert "csrfmiddlewaretoken" not in response.text and not response.cookies
    client.force_login(trainee)  # the log-out form of a member's header keeps its token
    assert TOKEN.search(client.get(_url(course)).text)


def test_the_language_switch_is_a_get_that_only_sets_the_language(client, db):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/verify/"})
    assert response.status_code == 302 and response["Location"] == "/verify/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Verify a certificate" in client.get("/verify/").text
    elsewhere = client.get("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/"
    unknown = client.get("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies
    # A POST is Django's set_language, behind the CSRF check as before.
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_a_publish_or_an_unpublish_shows_at_once(
    client, course, django_capture_on_commit_callbacks
):
    url = _url(course)
    _served(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Initiation FDM, édition 2027"
        course.save_revision().publish()
    assert "Initiation FDM, édition 2027" in client.get(url).text

    _served(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        other = course.get_parent().add_child(
            instance=CoursePage(title="Maintenance des imprimantes", summary="Entretien.")
        )
    assert "Maintenance des imprimantes" in client.get(url).text

    _served(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        other.unpublish()
    assert "Maintenance des imprimantes" not in client.get(url).text

    _served(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert "Initiation FDM, édition 2027" not in client.get(url).text


def test_a_change_before_its_commit_is_never_kept(client, course):
    """The version is renewed at once and again on commit: a page built from the rows as
    they were before the commit is stored under a version already gone."""
    url = _url(course)
    _served(client, url)
    course.title = "Titre pas encore validé"
    course.save_revision().publish()  # inside the test's transaction: renewed at once only
    assert "Titre pas encore validé" in client.get(url).text


def test_each_language_gets_its_own_page(client, course):
    url = _url(course)
    _, french = _served(client, url)
    assert '<html lang="fr">' in french.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert '<html lang="en">' in english.text and english["Content-Language"] == "en"
    _, english = _served(client, url)
    assert not english.templates and '<html lang="en">' in english.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="fr">' in client.get(url).text


@pytest.mark.parametrize("cookie", ["session", "messages"])
def test_a_visitor_with_a_session_or_messages_always_gets_their_own_page(
    client, course, trainee, cookie
):
    url = _url(course)
    _served(client, url)
    if cookie == "session":
        client.force_login(trainee)
        page = client.get(url)
        assert page.templates and "/accounts/logout/" in page.text  # their own header
    else:
        client.cookies["messages"] = "anything"
        assert client.get(url).templates


def test_a_filtered_catalogue_is_never_shared(client, course):
    url = _url(course)
    for _ in range(3):
        assert client.get(url, {"level": "beginner"}).templates
