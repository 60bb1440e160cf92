"""The catalogue at the site root: level and topic filters, Wagtail search, « Aucun résultat »."""

import pytest

from courses.models import CoursePage, Topic
from tests.fixtures.courses import course_build


@pytest.fixture
def catalogue(db):
    fdm = course_build(title="Initiation à l’impression FDM")
    fdm.summary = "Les bases : la machine, les matériaux, le tranchage et la première couche."
    fdm.level = CoursePage.Level.BEGINNER
    farm = course_build(title="Opérer une ferme d’impression 3D")
    farm.summary = "File d’attente, contrôle qualité, plans de maintenance et stock de filament."
    farm.level = CoursePage.Level.INTERMEDIATE
    basics, operations = (
        Topic.objects.create(name="Bases", slug="bases"),
        Topic.objects.create(name="Exploitation", slug="exploitation"),
    )
    fdm.topics.set([basics])
    farm.topics.set([operations])
    for course in (fdm, farm):
        course.save_revision().publish()
    return fdm, farm


def _titles(html):
    return [
        t
        for t in ("Initiation à l’impression FDM", "Opérer une ferme d’impression 3D")
        if t in html
    ]


def test_the_site_root_lists_every_course_with_the_filters(client, catalogue):
    html = client.get("/").text
    assert _titles(html) == ["Initiation à l’impression FDM", "Opérer une ferme d’impression 3D"]
    assert 'method="get"' in html and 'name="q"' in html
    assert '<option value="intermediate">Intermédiaire</option>' in html
    assert '<option value="exploitation">Exploitation</option>' in html
    assert "Aucun résultat" not in html


def test_filters_by_level_and_topic_in_a_shareable_url(client, catalogue):
    html = client.get("/?level=intermediate").text
    assert _titles(html) == ["Opérer une ferme d’impression 3D"]
    assert '<option value="intermediate" selected>' in html
    assert "1 formation trouvée" in html

    html = client.get("/?topic=bases").text
    assert _titles(html) == ["Initiation à l’impression FDM"]
    assert '<option value="bases" selected>' in html

    html = client.get("/?topic=bases&level=intermediate").text
    assert _titles(html) == []
    assert "Aucun résultat" in html


def test_search_goes_through_wagtail_search(client, catalogue):
    html = client.get("/", {"q": "maintenance"}).text
    assert _titles(html) == ["Opérer une ferme d’impression 3D"]
    assert 'value="maintenance"' in html
    html = client.get("/", {"q": "tranchage", "level": "beginner"}).text
    assert _titles(html) == ["Initiation à l’impression FDM"]
    html = client.get("/", {"q": "maintenance", "topic": "bases"}).text
    assert _titles(html) == [] and "Aucun résultat" in html


def test_nothing_found_says_so_clearly(client, catalogue):
    response = client.get("/", {"q": "stéréolithographie"})
    assert response.status_code == 200
    html = response.text
    assert _titles(html) == []
    assert "Aucun résultat" in html
    assert "Aucune formation ne correspond à ces filtres." in html
    assert "Effacer les filtres" in html


@pytest.mark.parametrize(
    "query",
    [
        {"level": "expert"},
        {"topic": "x" * 500},
        {"q": "%' OR 1=1 --"},
        {"q": "   "},
        {"q": "a" * 5000},
    ],
)
def test_odd_input_is_a_clear_page_never_an_error(client, catalogue, query):
    response = client.get("/", query)
    assert response.status_code == 200
