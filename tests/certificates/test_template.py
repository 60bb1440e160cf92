"""The per-course certificate template: staff edit it in Wagtail, the PDF follows it."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images.models import Image
from wagtail.models import Collection

from certificates import services
from certificates.models import CertificateTemplate, Signatory


def _image(title: str, colour: str) -> Image:
    if Collection.get_first_root_node() is None:  # a flushed test database has none
        Collection.add_root(name="Root")
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 100), colour).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def template_full(course) -> CertificateTemplate:
    template = CertificateTemplate.objects.create(
        course=course,
        title_fr="Attestation de compétences",
        title_en="Skills certificate",
        text_fr="a validé le parcours",
        text_en="has completed the path",
        logo=_image("logo", "#2a6f97"),
        ink_colour="#22313f",
        accent_colour="#2a6f97",
    )
    Signatory.objects.create(
        template=template, name="Nadia Benali", role="Formatrice", signature=_image("sig", "navy")
    )
    Signatory.objects.create(template=template, name="Julien Morel", role="Gestionnaire")
    return template


def test_pdf_follows_the_course_template(course, trainee, passed):
    template_full(course)
    certificate = services.certificate_issue(user=trainee, course=course, language="fr")
    reader = PdfReader(certificate.pdf.open("rb"))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Attestation de compétences".upper() in text.upper()
    assert "a validé le parcours" in text
    assert "Nadia Benali" in text and "GESTIONNAIRE" in text.upper(), text
    images = reader.pages[0]["/Resources"]["/XObject"]
    assert len(images) >= 2  # the logo and a signature


def test_instructor_edits_and_previews_it_in_wagtail(client, instructor, course):
    template = template_full(course)
    client.force_login(instructor)
    edit = f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/"
    page = client.get(edit)
    assert page.status_code == 200
    preview_url = f"/admin/snippets/certificates/certificatetemplate/preview/{template.pk}/"
    assert preview_url in page.text  # Wagtail's live preview panel
    response = template.make_preview_request(page.wsgi_request)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_a_trainee_cannot_edit_templates(client, trainee, course):
    template = template_full(course)
    client.force_login(trainee)
    edit = f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/"
    assert client.get(edit).status_code in (302, 403)
