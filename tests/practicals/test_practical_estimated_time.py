"""A practical says how long to plan for it, as lessons and quizzes do."""

from courses import services
from tests.fixtures.courses import PASSWORD, steps_of


def test_practical_page_shows_its_estimated_time(client, course, trainee):
    *_, practical = steps_of(course)
    practical.estimated_minutes = 75
    practical.save_revision().publish()
    assert practical.estimated_time() == 75
    services.enrolment_create(user=trainee, course=course)
    client.login(email=trainee.email, password=PASSWORD)
    response = client.get(practical.url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Environ 75 minutes" in response.text
