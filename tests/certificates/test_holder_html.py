"""The holder's certificate list joined in Python says what the templates say."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from certificates.holder_html import certificate_items, state_badge
from certificates.models import Certificate


def _certificate(status, expires_in_days=None):
    now = timezone.now()
    return Certificate(
        pk=7,
        public_id="AbCdEf123",
        course_title="Initiation <FDM> & plus",
        status=status,
        issued_at=dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC),
        expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("status", "expires_in_days", "state"),
    [
        ("valid", None, "valid"),
        ("valid", -1, "expired"),
        ("replaced", None, "replaced"),
        ("revoked", None, "revoked"),
    ],
)
def test_the_badge_is_the_templates(language, status, expires_in_days, state):
    certificate = _certificate(status, expires_in_days)
    assert certificate.state == state
    with translation.override(language):
        template = render_to_string(
            "certificates/_state_badge.html", {"certificate": certificate}
        ).strip()
        assert state_badge(certificate) == template
        assert f'class="badge {state}"' in template


def test_an_item_has_the_course_its_day_both_pdfs_and_the_public_page():
    certificate = _certificate("valid")
    with translation.override("fr"):
        html = certificate_items([certificate])
    assert "<strong>Initiation &lt;FDM&gt; &amp; plus</strong>" in html
    assert "— 5 mars 2026 " in html  # the day in Paris, not in UTC
    download = "/certificates/AbCdEf123/download/"
    assert f'href="{download}?lang=fr" hreflang="fr">PDF en français</a>' in html
    assert f'href="{download}?lang=en" hreflang="en">PDF en anglais</a>' in html
    assert f'href="{certificate.get_absolute_url()}">Page de vérification publique</a>' in html
    assert html.count("<li>") == 1 and certificate_items([]) == ""
