"""The live status of a print: the capability URL the attempt page polls every 2 s.

The attempt page (which checks who may see the attempt) puts in its polling URL a token
signed with the site's secret (`django.core.signing`, a salt of its own) that binds the
attempt and the person the page was rendered for, with the time it was made. The status
view checks only that token: no session is read and no user is loaded, which is most of
what a logged-in request costs. A token of another attempt, a tampered one or one older
than ATTEMPT_STATUS_TOKEN_MAX_AGE is refused; rendering the page again gives a fresh one
(the page's script reloads it when told the token expired).

What such a token gives is what the page showed its holder: the attempt's state,
progress and temperatures, for a few hours.
"""

from __future__ import annotations

import enum
import functools

from django.conf import settings
from django.core import signing
from django.db import connection
from django.urls import reverse

from .messages import message_render
from .models import TERMINAL_STATES, PrintAttempt
from .models.printing import heating

SALT = "practicals.attempt_status"
MAX_AGE = 4 * 3600  # seconds; ATTEMPT_STATUS_TOKEN_MAX_AGE overrides it


class Token(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"  # signed by us for this attempt, but too old
    REFUSED = "refused"  # tampered, made for another attempt, or not ours at all


def status_token_make(*, attempt_id: int, viewer_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{attempt_id}.{viewer_id}")


def status_url(*, attempt_id: int, viewer_id: int) -> str:
    """The URL the attempt page polls, for this viewer."""
    token = status_token_make(attempt_id=attempt_id, viewer_id=viewer_id)
    return reverse("practicals:attempt_status", args=[attempt_id, token])


def status_token_check(*, token: str, attempt_id: int) -> Token:
    """Whether `token` was made by `status_token_make` for this attempt, and recently.

    The signature is compared in constant time (by `signing`), before its age and its
    attempt are looked at."""
    signer = signing.TimestampSigner(salt=SALT)
    max_age = getattr(settings, "ATTEMPT_STATUS_TOKEN_MAX_AGE", MAX_AGE)
    try:
        value = signer.unsign(token, max_age=max_age)
        fresh = True
    except signing.SignatureExpired:
        value = signer.unsign(token)  # well signed, only too old
        fresh = False
    except signing.BadSignature:
        return Token.REFUSED
    if value.partition(".")[0] != str(attempt_id):
        return Token.REFUSED
    return Token.VALID if fresh else Token.EXPIRED


# The attempt's columns the status shows, read with one plain SELECT by primary key: the
# ORM's building of the same query cost more than the rest of the request.
STATUS_FIELDS = (
    "state",
    "progress",
    "print_time_s",
    "time_left_s",
    "nozzle_actual",
    "nozzle_target",
    "bed_actual",
    "bed_target",
    "printer_state",
    "message_code",
    "message_params",
)


@functools.cache
def _status_sql() -> str:
    meta = PrintAttempt._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in STATUS_FIELDS)
    table = connection.ops.quote_name(meta.db_table)
    return f"SELECT {columns} FROM {table} WHERE {connection.ops.quote_name(meta.pk.column)} = %s"


def attempt_status_read(*, attempt_id: int) -> dict | None:
    """The attempt's live status as the page shows it (None if there is no such attempt),
    from the attempt's row as the follower last wrote it: always the database's state."""
    with connection.cursor() as cursor:
        cursor.execute(_status_sql(), [attempt_id])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(STATUS_FIELDS, found, strict=True))
    params = PrintAttempt._meta.get_field("message_params").from_db_value(
        row["message_params"], None, connection
    )
    state = row["state"]
    finished = state in TERMINAL_STATES
    return {
        "state": state,
        "state_label": str(PrintAttempt.State(state).label),
        "finished": finished,
        "heating": heating(
            state=state,
            readings=(
                (row["nozzle_actual"], row["nozzle_target"]),
                (row["bed_actual"], row["bed_target"]),
            ),
        ),
        "progress": row["progress"],
        "print_time_s": row["print_time_s"],
        "time_left_s": None if finished else row["time_left_s"],
        "nozzle": row["nozzle_actual"],
        "nozzle_target": row["nozzle_target"],
        "bed": row["bed_actual"],
        "bed_target": row["bed_target"],
        "printer_state": row["printer_state"],
        "message": message_render(row["message_code"], params),
    }
