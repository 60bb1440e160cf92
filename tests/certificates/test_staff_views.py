"""Instructors' screens and the holder's pages: permissions, reasons, history, what's missing."""

from certificates import services
from certificates.models import Certificate
from tests.fixtures.progress import theory_complete


def test_trainee_cannot_reach_staff_screens(client, trainee, course, passed):
    certificate = services.certificate_issue(user=trainee, course=course)
    client.force_login(trainee)
    assert client.get("/certificates/manage/").status_code == 403
    assert client.get("/certificates/manage/issue/").status_code == 403
    url = f"/certificates/manage/{certificate.public_id}/revoke/"
    assert client.post(url, {"revoke-reason": "x"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.state == "valid"


def test_instructor_revokes_with_a_reason_and_sees_the_history(
    client, instructor, trainee, course, passed
):
    certificate = services.certificate_issue(user=trainee, course=course)
    client.force_login(instructor)
    url = f"/certificates/manage/{certificate.public_id}/revoke/"
    response = client.post(url, {"revoke-reason": "   "})
    assert response.status_code == 400
    assert "Champ requis." in response.text
    certificate.refresh_from_db()
    assert certificate.state == "valid"
    response = client.post(url, {"revoke-reason": "Fraude au TP"}, follow=True)
    assert response.status_code == 200
    assert "Certificat révoqué." in response.text
    assert "Fraude au TP" in response.text and "Nadia Benali" in response.text
    certificate.refresh_from_db()
    assert certificate.state == "revoked"
    # Twice: a clear refusal, nothing changes.
    response = client.post(url, {"revoke-reason": "Encore"})
    assert response.status_code == 400
    assert "Ce certificat ne peut pas changer ainsi." in response.text


def test_instructor_issues_by_hand(client, instructor, trainee, course):
    theory_complete(course=course, user=trainee)
    client.force_login(instructor)
    response = client.post(
        "/certificates/manage/issue/",
        {"email": "inconnu@example.org", "course": course.pk, "reason": "TP en présentiel"},
    )
    assert response.status_code == 400
    assert "Aucun compte actif n’a cette adresse e-mail." in response.text
    response = client.post(
        "/certificates/manage/issue/",
        {"email": trainee.email, "course": course.pk, "reason": "TP en présentiel"},
        follow=True,
    )
    certificate = Certificate.objects.get()
    assert certificate.events.get().reason == "TP en présentiel"
    assert "Délivré manuellement" in response.text


def test_course_page_lists_what_is_missing(client, trainee, course):
    theory_complete(course=course, user=trainee)
    client.force_login(trainee)
    response = client.get(course.url)
    assert "Reste à faire pour votre certificat" in response.text
    assert "TP\u00a0: TP première impression" in response.text


def test_new_legal_name_from_the_profile(
    client, trainee, course, passed, django_capture_on_commit_callbacks
):
    old = services.certificate_issue(user=trainee, course=course)
    client.force_login(trainee)
    # The task runs in this process here; test_tasks shows the worker path.
    from certificates import tasks

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/profile/", {"full_name": "Camille Martin-Durand"})
    assert response.status_code == 302
    # One task queued by the profile (other callbacks renew cached versions of the user).
    queued = [
        c for c in callbacks if getattr(c, "__code__", None) and c.__code__.co_name == "<lambda>"
    ]
    queued = [c for c in queued if c.__code__.co_filename.endswith("lms/accounts/views.py")]
    assert len(queued) == 1
    assert tasks.certificates_name_update_task.run(trainee.pk) == 1
    old.refresh_from_db()
    assert old.state == "replaced"
    assert old.replaced_by.holder_name == "Camille Martin-Durand"
