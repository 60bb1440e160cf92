"""A holder's certificates as rows of `courses.trainee_rows`, read with the other parts
of their dashboard in one statement, and read back here as certificates holding what
the dashboard shows (their state and links work as on a loaded one)."""

from __future__ import annotations

from django.db.models import QuerySet

from courses.trainee_rows import AT1, AT2, NUMBER, REF, TEXT1, TEXT2, TEXT3, row_part

from .models import Certificate


def certificate_rows(user_id) -> QuerySet:
    """The holder's certificates without the versions replaced since."""
    return row_part(
        Certificate.objects.filter(holder_id=user_id).exclude(status=Certificate.Status.REPLACED),
        "certificate",
        ref="course_id",
        number="pk",
        text1="public_id",
        text2="course_title",
        text3="status",
        at1="issued_at",
        at2="expires_at",
    )


def certificates_listed(rows: dict[str, list[tuple]]) -> list[Certificate]:
    """Newest first, as `Certificate.Meta.ordering`."""
    found = sorted(
        rows.get("certificate", ()), key=lambda row: (row[AT1], row[NUMBER]), reverse=True
    )
    return [
        Certificate(
            pk=row[NUMBER],
            course_id=row[REF],
            public_id=row[TEXT1],
            course_title=row[TEXT2],
            status=row[TEXT3],
            issued_at=row[AT1],
            expires_at=row[AT2],
        )
        for row in found
    ]
