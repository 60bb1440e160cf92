"""Course pages through the test client: French by default, access rules, quiz form."""

from courses.models import QuizAttempt
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


def test_quiz_page_hides_the_right_answers(client, course, trainee):
    _lesson, quiz, *_ = steps_of(course)
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    html = client.get(quiz.url).text
    assert "Sous 50 °C" in html
    assert "correct" not in html.lower().replace("correction", "")


def test_quiz_with_an_unanswered_question_keeps_the_answers_given(client, course, trainee):
    _lesson, quiz, *_ = steps_of(course)
    first = quiz.questions[0].id
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    response = client.post(quiz.url, {f"q-{first}": "1"})
    assert response.status_code == 400
    assert "Répondez à toutes les questions" in response.text
    assert f'name="q-{first}" value="1" checked' in response.text
    assert not QuizAttempt.objects.exists()


def test_quiz_answer_for_another_question_is_refused_in_french(client, course, trainee):
    _lesson, quiz, *_ = steps_of(course)
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    data = {f"q-{b.id}": "0" for b in quiz.questions}
    data["q-not-a-question-of-this-quiz"] = "0"
    response = client.post(quiz.url, data)
    assert response.status_code == 400
    assert "Cette réponse n’appartient pas à ce quiz" in response.text
    assert not QuizAttempt.objects.exists()


def test_course_page_shows_progress(client, course, trainee):
    lesson, *_ = steps_of(course)
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    response = client.post(f"/courses/lessons/{lesson.pk}/done/")
    assert response.status_code == 302
    assert "Progression : 25 %" in client.get(course.url).text


def test_quiz_posted_without_enrolment_is_refused(client, course, trainee):
    _lesson, quiz, *_ = steps_of(course)
    client.force_login(trainee)
    response = client.post(quiz.url, {f"q-{b.id}": "1" for b in quiz.questions})
    assert response.status_code == 403
    assert "Vous n’êtes pas inscrit·e à cette formation." in response.text
    assert not QuizAttempt.objects.exists()
