"""Course pages through the test client: French by default, access rules, quiz form."""

from tests.fixtures.courses import steps_of


def test_catalogue_is_french_by_default(client, course):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert "Initiation FDM" in response.text
    assert "Se connecter" in response.text or "Connexion" in response.text


def test_english_when_chosen(client, course):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.text


def test_lesson_of_a_course_one_is_not_enrolled_in(client, course, trainee):
    lesson, *_ = steps_of(course)
    client.force_login(trainee)
    response = client.get(lesson.url, follow=True)
    assert response.redirect_chain[-1][0] == course.url
    assert "Inscrivez-vous à cette formation" in response.text


def test_anonymous_is_sent_to_login(client, course):
    lesson, *_ = steps_of(course)
    response = client.get(lesson.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unpublished_lesson_is_404(client, course, trainee):
    lesson, *_ = steps_of(course)
    lesson.unpublish()
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    assert client.get(lesson.url).status_code == 404
    assert client.post(f"/courses/lessons/{lesson.pk}/done/").status_code == 404


def test_course_page_shows_progress(client, course, trainee):
    lesson, *_ = steps_of(course)
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    response = client.post(f"/courses/lessons/{lesson.pk}/done/")
    assert response.status_code == 302
    assert "Progression\u00a0: 25\u00a0%" in client.get(course.url).text
