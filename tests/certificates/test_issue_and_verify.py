"""Issuing once when everything is passed; verification by URL and by typed code."""

import base64
import hashlib
import io
import math

import pytest
from pypdf import PdfReader

from certificates.codes import ALPHABET, CODE_CHARS, code_normalise, public_id_new
from certificates.eligibility import certificate_eligibility
from certificates.exceptions import NotEligible
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_notify
from tests.fixtures.courses import steps_of
from tests.fixtures.progress import practical_passed, theory_complete


def test_not_eligible_until_the_practical_is_passed(course, trainee):
    theory_complete(course=course, user=trainee)
    *_, practical = steps_of(course)
    missing = certificate_eligibility(user=trainee, course=course).missing
    assert [m.url for m in missing] == [practical.url]
    with pytest.raises(NotEligible):
        certificate_issue(user=trainee, course=course)
    assert not Certificate.objects.exists()


def test_issued_once_with_a_readable_pdf(course, trainee, instructor, offline_printer, mailoutbox):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    certificate = certificate_issue(user=trainee, course=course)
    assert certificate_issue(user=trainee, course=course).pk == certificate.pk
    assert Certificate.objects.count() == 1
    assert certificate_notify(certificate=certificate) is True
    assert certificate_notify(certificate=certificate) is False  # never twice
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [trainee.email]
    assert mailoutbox[0].subject == "Votre certificat\u00a0: Initiation FDM"
    assert certificate.verify_url in mailoutbox[0].body
    reader = PdfReader(certificate.pdf.open("rb"))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Camille Martin" in text and certificate.code in text
    assert certificate.farm_name == "Ferme de test" and "Ferme de test" in text
    assert certificate.verify_url in text.replace("\n", "")


def test_identifiers_are_strong_enough():
    assert CODE_CHARS * math.log2(len(ALPHABET)) >= 64
    public_id = public_id_new()
    assert len(base64.urlsafe_b64decode(public_id + "==")) * 8 == 128
    assert len({public_id_new() for _ in range(1000)}) == 1000
    assert code_normalise("abcd-efgh-jkmn-pqrs") == "ABCD-EFGH-JKMN-PQRS"
    assert code_normalise("0O1I-L000-0000-0000") == "0011-1000-0000-0000"
    assert code_normalise("too-short") is None


def test_public_verification_page(client, course, trainee, instructor, offline_printer):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    certificate = certificate_issue(user=trainee, course=course)
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    assert "Valide" in response.text and "Camille Martin" in response.text
    assert trainee.email not in response.text


def test_typed_code_leads_to_the_certificate(client, course, trainee, instructor, offline_printer):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    certificate = certificate_issue(user=trainee, course=course)
    typed = certificate.code.lower().replace("-", " ")
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == certificate.get_absolute_url()


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "hello", "'; drop table--"])
def test_wrong_code_gets_the_same_clear_answer(client, db, typed):
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 404
    assert "Aucun certificat ne correspond à ce code" in response.text


def test_unknown_url_id_is_404(client, db):
    response = client.get("/v/not-a-real-id-at-all-123/")
    assert response.status_code == 404
    assert "Aucun certificat ne correspond à cette adresse" in response.text


def test_only_the_holder_downloads_the_pdf(
    client, course, trainee, other_trainee, instructor, offline_printer
):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    certificate = certificate_issue(user=trainee, course=course)
    url = f"/certificates/{certificate.public_id}/download/"
    client.force_login(other_trainee)
    assert client.get(url).status_code == 404
    client.force_login(trainee)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_holder_gets_the_other_language_signed_too(client, course, trainee, passed):
    from certificates.signing import pdf_signature_check

    certificate = certificate_issue(user=trainee, course=course, language="fr")
    client.force_login(trainee)
    url = f"/certificates/{certificate.public_id}/download/"
    english = b"".join(client.get(url, {"lang": "en"}).streaming_content)
    again = b"".join(client.get(url, {"lang": "en"}).streaming_content)
    assert english == again  # made once, then kept
    assert "This certifies that" in PdfReader(io.BytesIO(english)).pages[0].extract_text()
    assert pdf_signature_check(english).signed_by_us
    certificate.refresh_from_db()
    assert certificate.pdf_other_sha256 == hashlib.sha256(english).hexdigest()
    assert client.get(url, {"lang": "de"}).status_code == 404
