"""Instructors author in the Wagtail admin: a module offers every kind of step."""

from courses.models import ModulePage


def test_a_module_offers_lessons_quizzes_and_practicals(client, course, instructor):
    module = ModulePage.objects.child_of(course).first()
    client.force_login(instructor)
    response = client.get(f"/admin/pages/{module.pk}/add_subpage/")
    assert response.status_code == 200
    for kind in (
        "/add/courses/lessonpage/",
        "/add/courses/quizpage/",
        "/add/practicals/practicalpage/",
    ):
        assert kind in response.text
    assert "/add/courses/coursepage/" not in response.text


def test_trainees_have_no_admin(client, course, trainee):
    client.force_login(trainee)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _png() -> bytes:
    from io import BytesIO

    from wagtail.models import Collection

    # Images and documents need the root collection (a flushed database has none).
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), (217, 98, 43)).save(buffer, "PNG")
    return buffer.getvalue()


STL = (
    b"solid cube\nfacet normal 0 0 1\nouter loop\n"
    b"vertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid cube\n"
)


def every_block_body():
    """A lesson body with one block of each type, on real images and documents."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    image = Image.objects.create(title="Buse", file=ContentFile(_png(), name="buse.png"))
    stl = Document.objects.create(title="Cube", file=ContentFile(STL, name="cube.stl"))
    gcode = Document.objects.create(
        title="Cube G-code", file=ContentFile(b"G28\nM104 S200\n", name="cube.gcode")
    )
    video = Document.objects.create(
        title="Nivelage", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="nivelage.mp4")
    )
    return [
        ("heading", "Calibrer la première couche"),
        ("paragraph", "<p>La première couche décide de tout.</p>"),
        (
            "image",
            {"image": image, "alt_text": "Buse à 0,1 mm du plateau", "caption": "Réglage"},
        ),
        (
            "video",
            {
                "file": video,
                "embed": None,
                "title": "Niveler le plateau",
                "transcript": "<p>On glisse une feuille de papier sous la buse.</p>",
            },
        ),
        ("callout", {"kind": "safety", "text": "<p>Buse à 200 °C : ne la touchez pas.</p>"}),
        (
            "procedure",
            {
                "title": "Nivelage au papier",
                "steps": [
                    {
                        "text": "<p>Chauffez le plateau.</p>",
                        "image": image,
                        "alt_text": "Plateau",
                    },
                    {"text": "<p>Glissez la feuille.</p>", "image": None, "alt_text": ""},
                ],
            },
        ),
        ("download", {"document": gcode, "label": "Télécharger le G-code du cube"}),
        ("gcode", {"code": "M104 S200 ; buse à 200 °C\nG28", "caption": "Chauffe et origine"}),
        ("stl_viewer", {"document": stl, "description": "Un cube de calibration"}),
    ]


def test_every_lesson_block_renders_without_inline_script(client, course, trainee):
    import re

    from courses.models import LessonPage

    module = ModulePage.objects.child_of(course).first()
    lesson = module.add_child(instance=LessonPage(title="Première couche", body=every_block_body()))
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    html = client.get(lesson.url).text
    for text in (
        "<h2>Calibrer la première couche</h2>",
        'alt="Buse à 0,1 mm du plateau"',
        "<figcaption>Réglage</figcaption>",
        "<video controls",
        "On glisse une feuille de papier",
        "callout-safety",
        "Nivelage au papier",
        "Télécharger le G-code du cube",
        "M104 S200 ; buse à 200 °C",
        'class="stl-viewer" data-src="/documents/',
        "/static/courses/vendor/stl-viewer.js",
    ):
        assert text in html, text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert ' style="' not in html and not re.search(r"\son[a-z]+=", html)


def test_stl_viewer_ships_with_its_licence():
    from pathlib import Path

    vendor = Path(__file__).resolve().parents[2] / "courses" / "static" / "courses" / "vendor"
    js = (vendor / "stl-viewer.js").read_text()
    assert "figure.stl-viewer[data-src]" in js and "solid" in js  # our mount + STLLoader
    assert "cdn" not in js.lower()
    assert "MIT License" in (vendor / "LICENSE-three.txt").read_text()


def test_blocks_refuse_a_missing_alt_text_and_wrong_files(db):
    import pytest
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from courses.blocks.lesson import DownloadBlock, FigureBlock, StlViewerBlock, VideoBlock

    with pytest.raises(ValidationError):
        FigureBlock().clean(FigureBlock().to_python({"image": None, "alt_text": ""}))
    exe = Document.objects.create(title="x", file=ContentFile(b"MZ", name="virus.exe"))
    with pytest.raises(ValidationError):
        DownloadBlock().clean(DownloadBlock().to_python({"document": exe.pk, "label": ""}))
    with pytest.raises(ValidationError):
        StlViewerBlock().clean(StlViewerBlock().to_python({"document": exe.pk, "description": "x"}))
    with pytest.raises(ValidationError):  # neither a file nor an embed
        VideoBlock().clean(
            VideoBlock().to_python({"title": "x", "transcript": "<p>x</p>", "embed": None})
        )


def test_instructor_previews_a_draft_lesson(client, course, instructor):
    from courses.models import LessonPage

    module = ModulePage.objects.child_of(course).first()
    lesson = module.add_child(
        instance=LessonPage(title="Brouillon", body=every_block_body(), live=False)
    )
    lesson.save_revision()
    client.force_login(instructor)
    response = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert "Nivelage au papier" in response.text and "stl-viewer" in response.text


def test_course_form_has_the_authoring_fields(client, course, instructor):
    client.force_login(instructor)
    html = client.get(f"/admin/pages/{course.pk}/edit/").text
    for name in (
        'name="summary"',
        'name="level"',
        'name="hours"',
        'name="cover"',
        'name="prerequisites"',
        'name="instructors"',
        "certified_competencies-",
    ):
        assert name in html, name


def test_instructor_adds_a_competency_to_the_library(client, instructor):
    from courses.models import Competency

    client.force_login(instructor)
    response = client.post(
        "/admin/snippets/courses/competency/add/",
        {"name": "Calibrer la première couche", "code": "premiere-couche", "description": ""},
    )
    assert response.status_code == 302
    assert Competency.objects.get().code == "premiere-couche"


def test_a_course_cannot_require_itself(course):
    import pytest
    from django.core.exceptions import ValidationError

    course.prerequisites.set([course])
    with pytest.raises(ValidationError):
        course.full_clean()
