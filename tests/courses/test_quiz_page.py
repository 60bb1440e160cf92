"""The quiz page through the test client: start, answer, review; nothing leaks, bad posts."""

import pytest

from courses.models import QuizAttempt, QuizPage
from tests.courses.quizzes import quiz_add
from tests.fixtures.progress import quiz_right_answers


@pytest.fixture
def quiz(course):
    return quiz_add(course=course)


@pytest.fixture
def enrolled(client, course, trainee):
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    return client


def _start(client, quiz):
    response = client.post(quiz.url, {"intent": "start"})
    assert response.status_code == 302
    return QuizAttempt.objects.get(quiz=quiz, status="started")


def _post(client, quiz, attempt, answers):
    data = {f"q-{qid}": given for qid, given in answers.items()}
    data["attempt"] = attempt.pk
    return client.post(quiz.url, data)


def test_correct_answers_never_reach_the_page_before_submission(enrolled, quiz):
    response = enrolled.get(quiz.url)
    assert "Commencer le quiz" in response.text
    attempt = _start(enrolled, quiz)
    html = enrolled.get(quiz.url).text
    assert "Température de buse pour le PLA" in html and "°C" in html
    for secret in ("Trop chaud", "Le PLA n’en émet pas", "Exact.", "Bien.", "60 °C", "correct"):
        assert secret not in html
    # The choices are named by their ids, which say nothing of which one is right.
    for question in attempt.questions:
        for choice_id in question["order"]:
            assert f'value="{choice_id}"' in html


def test_failed_attempt_shows_what_was_wrong_the_answers_and_the_feedback(enrolled, quiz):
    attempt = _start(enrolled, quiz)
    answers = quiz_right_answers(attempt)
    single = attempt.questions[0]
    answers[single["id"]] = [next(i for i in single["order"] if i not in answers[single["id"]])]
    numeric = next(q["id"] for q in attempt.questions if q["type"] == "numeric")
    answers[numeric] = ["80"]
    response = _post(enrolled, quiz, attempt, answers)
    assert response.status_code == 302
    html = enrolled.get(quiz.url).text
    assert "non réussi" in html and "Votre score\u00a0: 50\u00a0%" in html
    assert html.count("faux") == 2
    assert "<q>300 °C</q>" in html and "Trop chaud : le PLA se dégrade." in html
    assert "<q>80 °C</q>" in html and "Le PLA colle bien à 60 °C." in html
    assert "Bonne réponse" not in html  # the quiz shows feedback, not the right answers
    assert "Recommencer" in html


def test_quiz_may_show_the_right_answers_after_submission(enrolled, quiz):
    QuizPage.objects.filter(pk=quiz.pk).update(review=QuizPage.Review.CORRECT)
    attempt = _start(enrolled, quiz)
    answers = quiz_right_answers(attempt)
    answers[attempt.questions[0]["id"]] = [attempt.questions[0]["order"][1]]
    _post(enrolled, quiz, attempt, answers)
    html = enrolled.get(quiz.url).text
    assert "Bonne réponse\u00a0: <q>200 °C</q>" in html and "<q>60 °C (± 5 °C)</q>" in html


def test_forged_choice_keeps_the_attempt_open_with_a_french_message(enrolled, quiz):
    attempt = _start(enrolled, quiz)
    answers = quiz_right_answers(attempt)
    answers[attempt.questions[0]["id"]] = ["forged"]
    response = _post(enrolled, quiz, attempt, answers)
    assert response.status_code == 400
    assert "Cette réponse n’appartient pas à ce quiz." in response.text
    assert QuizAttempt.objects.get(pk=attempt.pk).status == "started"


def test_error_keeps_the_answers_given(enrolled, quiz):
    attempt = _start(enrolled, quiz)
    answers = quiz_right_answers(attempt)
    numeric = next(q["id"] for q in attempt.questions if q["type"] == "numeric")
    answers.pop(numeric)
    response = _post(enrolled, quiz, attempt, answers)
    assert response.status_code == 400
    assert "Répondez à toutes les questions" in response.text
    kept = answers[attempt.questions[0]["id"]][0]
    assert f'value="{kept}" checked' in response.text


def test_replayed_submission_is_refused(enrolled, quiz):
    attempt = _start(enrolled, quiz)
    answers = quiz_right_answers(attempt)
    assert _post(enrolled, quiz, attempt, answers).status_code == 302
    response = _post(enrolled, quiz, attempt, answers)
    assert response.status_code == 409
    assert "déjà été envoyée" in response.text
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_past_the_limit_the_page_says_so(enrolled, course):
    quiz = quiz_add(course=course, title="Quiz limité", max_attempts=1)
    attempt = _start(enrolled, quiz)
    answers = {q["id"]: [q["order"][-1]] for q in attempt.questions if q["type"] != "numeric"}
    answers.update({q["id"]: ["0"] for q in attempt.questions if q["type"] == "numeric"})
    _post(enrolled, quiz, attempt, answers)
    html = enrolled.get(quiz.url).text
    assert "toutes les tentatives" in html and "Recommencer" not in html
    response = enrolled.post(quiz.url, {"intent": "start"})
    assert response.status_code == 403
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_not_enrolled_cannot_start(client, quiz, trainee):
    client.force_login(trainee)
    response = client.post(quiz.url, {"intent": "start"})
    assert response.status_code == 403
    assert "pas inscrit" in response.text
    assert not QuizAttempt.objects.exists()


def test_unpublished_quiz_is_404(enrolled, quiz):
    quiz.unpublish()
    assert enrolled.get(quiz.url).status_code == 404
    assert enrolled.post(quiz.url, {"intent": "start"}).status_code == 404
    assert not QuizAttempt.objects.exists()


def test_picture_question_shows_its_picture_not_its_answer(enrolled, course):
    from django.core.files.base import ContentFile
    from wagtail.images.models import Image

    from tests.courses.quizzes import choices
    from tests.courses.test_authoring import _png

    photo = Image.objects.create(title="Défaut", file=ContentFile(_png(), name="defaut.png"))
    quiz = quiz_add(
        course=course,
        title="Quiz défauts",
        questions=[
            (
                "picture",
                {
                    "image": photo,
                    "alt_text": "Une pièce aux couches décalées",
                    "question": "Quel défaut voyez-vous ?",
                    "choices": choices(
                        ("Décalage de couches", True, "Courroie détendue."),
                        ("Stringing", False, "Non : pas de fils."),
                    ),
                    "competencies": [],
                },
            )
        ],
    )
    attempt = _start(enrolled, quiz)
    html = enrolled.get(quiz.url).text
    assert 'alt="Une pièce aux couches décalées"' in html and "<img" in html
    assert "Courroie" not in html and "Non : pas de fils" not in html
    right = quiz_right_answers(attempt)
    assert _post(enrolled, quiz, attempt, right).status_code == 302
    assert QuizAttempt.objects.get(pk=attempt.pk).score == 100


def test_instructor_preview_shows_the_questions_without_the_answers(client, quiz, instructor):
    quiz.save_revision()
    client.force_login(instructor)
    html = client.get(f"/admin/pages/{quiz.pk}/view_draft/").text
    assert "Température de buse pour le PLA" in html
    for secret in ("Trop chaud", "Exact.", "correct"):
        assert secret not in html
    assert not QuizAttempt.objects.exists()
