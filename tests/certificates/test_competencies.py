"""Competencies on certificates: mastery is a requirement, and the certificate states them."""

import io
import json

import jwt
import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates import badges, services
from certificates.eligibility import certificate_eligibility
from tests.courses.quizzes import certify, competency_make, every_kind_questions, quiz_add
from tests.fixtures.progress import quiz_submit


@pytest.fixture
def first_layer(db):
    return competency_make("Calibrer la première couche", "premiere-couche")


@pytest.fixture
def slicing(db):
    return competency_make("Trancher un modèle", "trancher")


def test_mastered_competencies_are_printed_and_published(
    client, course, trainee, passed, first_layer, slicing
):
    certify(course=course, competency=first_layer, threshold=75)
    certify(course=course, competency=slicing)  # no question for it in this course
    quiz = quiz_add(course=course, pass_mark=50, questions=every_kind_questions(tags=[first_layer]))
    assert quiz_submit(user=trainee, quiz=quiz, wrong=0).passed

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
    # every step done, half the tagged right
    assert quiz_submit(user=trainee, quiz=quiz, wrong=2).passed

    eligibility = certificate_eligibility(user=trainee, course=course)
    assert [m.kind for m in eligibility.missing] == ["competency"]
    assert "Calibrer la première couche" in eligibility.missing[0].label
    assert eligibility.missing[0].url == reverse("courses:competencies")

    quiz_submit(user=trainee, quiz=quiz, wrong=0)  # the rest right in another passed attempt
    assert certificate_eligibility(user=trainee, course=course).eligible


def test_a_course_without_competencies_states_none(course, trainee, passed):
    certificate = services.certificate_issue(user=trainee, course=course, language="fr")
    assert certificate.competencies == []
