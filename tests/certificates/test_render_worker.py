"""The render process: WeasyPrint and pyHanko without Django, restarted when it dies or hangs."""

import datetime
import io
import os
import signal

import pytest
from pypdf import PdfReader

from certificates.pdf import _images_dir, certificate_html, certificate_pdf_render
from certificates.render.client import RenderFailed, RenderUnavailable, RenderWorker, render_worker
from certificates.render.jobs import RenderJob
from certificates.signing import pdf_signature_check, signing_files
from tests.waiting import wait_for


def _job(name: str = "Camille Martin", *, signed: bool = True, html: str = "") -> RenderJob:
    html = html or certificate_html(
        holder_name=name,
        course_title="Initiation à l’impression 3D FDM",
        issued_on=datetime.date(2026, 11, 30),
        code="7F3K-9QX2-ABCD-EFGH",
        verify_url="https://atelier.example.fr/v/Zr8m2QbTq3XWkN1aP0sLdA/",
    )
    return RenderJob(
        html=html, allowed_dirs=(_images_dir(),), signing=signing_files() if signed else None
    )


@pytest.fixture
def worker():
    worker = RenderWorker()
    yield worker
    worker.close()


def _text(pdf: bytes) -> str:
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    return page.extract_text()


def test_the_render_process_never_loads_django():
    pdf = certificate_pdf_render(
        holder_name="Camille Martin",
        course_title="Initiation à l’impression 3D FDM",
        issued_on=datetime.date(2026, 11, 30),
        code="7F3K-9QX2-ABCD-EFGH",
        verify_url="https://atelier.example.fr/v/Zr8m2QbTq3XWkN1aP0sLdA/",
    )
    assert "Camille Martin" in _text(pdf)
    stats = render_worker().stats()
    assert stats["pid"] != os.getpid()
    assert not stats["django_loaded"] and not stats["wagtail_loaded"], stats


def test_the_render_process_signs_with_the_organisations_key(worker):
    pdf = worker.render(_job())
    assert pdf_signature_check(pdf).signed_by_us


def test_a_dead_render_process_is_started_again(worker):
    worker.render(_job("Avant"))
    dead = worker.pid
    os.kill(dead, signal.SIGKILL)
    wait_for(lambda: worker._process.poll() is not None, what="render process killed")
    pdf = worker.render(_job("Après"))
    assert "Après" in _text(pdf)
    assert worker.pid != dead


def test_a_render_past_its_timeout_is_stopped_and_the_next_one_works(worker):
    worker.render(_job("Avant", signed=False))
    slow = worker._process
    with pytest.raises(RenderUnavailable, match="did not answer"):
        worker.render(_job("Trop lent", signed=False), timeout=0.001)
    assert slow.poll() is not None, "the stuck process was left running"
    assert "Après" in _text(worker.render(_job("Après", signed=False)))


def test_a_refused_file_fails_that_certificate_and_not_the_process(worker):
    worker.render(_job(signed=False))
    pid = worker.pid
    outside = '<html><body><img src="file:///etc/passwd"></body></html>'
    with pytest.raises(RenderFailed, match="refuses file outside fonts"):
        worker.render(_job(html=outside, signed=False))
    assert "Camille Martin" in _text(worker.render(_job(signed=False)))
    assert worker.pid == pid


def test_an_idle_render_process_exits_and_the_next_request_starts_another(worker):
    import socket
    import threading
    from multiprocessing.connection import Connection

    from certificates.render.worker import serve

    ours, theirs = socket.socketpair()
    idle = threading.Thread(
        target=serve, args=(Connection(theirs.detach()), os.getppid(), 0.2), daemon=True
    )
    idle.start()
    client = Connection(ours.detach())
    assert client.poll(60) and client.recv()[0] == "ready"
    idle.join(timeout=10)
    assert not idle.is_alive(), "an idle render process kept running"
    client.close()
    # The client's side: a process that went away is started again on the next request.
    worker.render(_job(signed=False))
    gone = worker.pid
    worker._process.terminate()
    wait_for(lambda: worker._process.poll() is not None, what="render process ended")
    assert "Camille Martin" in _text(worker.render(_job(signed=False)))
    assert worker.pid != gone
