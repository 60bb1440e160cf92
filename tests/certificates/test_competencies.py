"""Competencies on certificates: mastery is a requirement, and the certificate states them."""

import io
import json

import jwt
import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates import badges, services
from certificates.eligibility import certificate_eligibility
from courses.quiz.services import quiz_attempt_start, quiz_attempt_submit
from tests.courses.quizzes import certify, competency_make, every_kind_questions, quiz_add
from tests.fixtures.progress import quiz_right_answers


@pytest.fixture
def first_layer(db):
    return competency_make("Calibrer la première couche", "premiere-couche")


@pytest.fixture
def slicing(db):
    return competency_make("Trancher un modèle", "trancher")


def _submit(quiz, user, wrong: int):
    """An attempt with the first `wrong` questions answered wrong (the rest right)."""
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    answers = quiz_right_answers(attempt)
    for question in attempt.questions[:wrong]:
        if question["type"] == "numeric":
            answers[question["id"]] = ["1000"]
        elif question["type"] == "true_false":
            answers[question["id"]] = ["true"]
        else:
            right = answers[question["id"]]
            answers[question["id"]] = [next(i for i in question["order"] if i not in right)]
    return quiz_attempt_submit(user=user, quiz=quiz, attempt_id=attempt.pk, answers=answers)


def test_mastered_competencies_are_printed_and_published(
    client, course, trainee, passed, first_layer, slicing
):
    certify(course=course, competency=first_layer, threshold=75)
    certify(course=course, competency=slicing)  # no question for it in this course
    quiz = quiz_add(course=course, pass_mark=50, questions=every_kind_questions(tags=[first_layer]))
    assert _submit(quiz, trainee, wrong=0).passed

    assert certificate_eligibility(user=trainee, course=course).eligible
    certificate = services.certificate_issue(user=trainee, course=course, language="fr")
    # Only what the trainee mastered; a competency the course cannot assess is not stated.
    assert certificate.competencies == ["Calibrer la première couche"]

    text = PdfReader(io.BytesIO(certificate.pdf.open("rb").read())).pages[0].extract_text()
    assert "Calibrer la première couche" in text
    assert "Trancher un modèle" not in text

    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Calibrer la première couche" in page
    data = json.loads(client.get(f"/api/certificates/{certificate.code}/").content)
    assert data["competencies"] == ["Calibrer la première couche"]
    claims = jwt.decode(
        badges.certificate_badge(certificate=certificate),
        badges.public_key_pem(),
        algorithms=["ES256"],
        options={"verify_aud": False},
    )
    achievement = claims["credentialSubject"]["achievement"]
    assert "Calibrer la première couche" in json.dumps(achievement, ensure_ascii=False)


def test_a_competency_not_mastered_is_missing(course, trainee, passed, first_layer):
    certify(course=course, competency=first_layer, threshold=80)
    quiz = quiz_add(course=course, pass_mark=50, questions=every_kind_questions(tags=[first_layer]))
    assert _submit(quiz, trainee, wrong=2).passed  # every step done, half the tagged right

    eligibility = certificate_eligibility(user=trainee, course=course)
    assert [m.kind for m in eligibility.missing] == ["competency"]
    assert "Calibrer la première couche" in eligibility.missing[0].label
    assert eligibility.missing[0].url == reverse("courses:competencies")

    _submit(quiz, trainee, wrong=0)  # the rest right in another passed attempt
    assert certificate_eligibility(user=trainee, course=course).eligible


def test_a_course_without_competencies_states_none(course, trainee, passed):
    certificate = services.certificate_issue(user=trainee, course=course, language="fr")
    assert certificate.competencies == []
