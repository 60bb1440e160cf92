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
