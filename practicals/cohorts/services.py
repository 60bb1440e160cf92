"""Inviting trainees into a cohort: one e-mail at a time, or a whole CSV, all or nothing."""

import csv
import io
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError, PrerequisitesMissing
from courses.selectors import prerequisites_missing
from courses.services import enrolment_create

from ..models import Cohort
from .selectors import cohorts_administered_by

# The trainee role's group name (lms.roles.TRAINEE; practicals cannot import lms).
TRAINEE_GROUP = "Trainee"
MAX_CSV_BYTES = 1024 * 1024  # 1 Mo: thousands of trainees; a 10 Mo file is refused
MAX_CSV_ROWS = 2000


class CohortError(AtelierError):
    status = 403


@dataclass
class RejectedRow:
    line: int
    reason: str


class CsvRefused(AtelierError):
    """The whole file is refused; `rejected` lists the bad rows with their line numbers."""

    def __init__(self, message, rejected: list[RejectedRow] | None = None):
        super().__init__(message)
        self.rejected = rejected or []


def _cohort_check(*, by, cohort: Cohort) -> None:
    if not cohorts_administered_by(user=by).filter(pk=cohort.pk).exists():
        raise CohortError(_("You cannot change this cohort."))


def _invitation_send(*, user, cohort: Cohort, base_url: str, new: bool) -> None:
    # In the language the invited person chose, if they have an account and did; else in
    # the instructor's.
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        _invitation_write(user=user, cohort=cohort, base_url=base_url, new=new)


def _invitation_write(*, user, cohort: Cohort, base_url: str, new: bool) -> None:
    if new:
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    else:
        path = reverse("account_login")
    courses = ", ".join(c.title for c in cohort.courses.all())
    body = _(
        "Hello %(name)s,\n\nYou are invited to the training session « %(cohort)s » "
        "(%(courses)s) at %(farm)s.\n\nOpen this link to sign in:\n%(url)s\n"
    ) % {
        "name": user.get_short_name(),
        "cohort": cohort.name,
        "courses": courses,
        "farm": cohort.farm.name,
        "url": base_url.rstrip("/") + path,
    }
    send_mail(
        _("[Atelier] Your invitation: %(cohort)s") % {"cohort": cohort.name},
        body,
        None,
        [user.email],
    )


def cohort_prerequisites_refusal(*, courses, user) -> str | None:
    """Why `user` (None: a new account) cannot join a cohort of `courses` (its live
    courses), or None when they can.

    A course of the cohort whose prerequisites the trainee has not completed is refused,
    unless each missing prerequisite is itself a course of the cohort: the session then
    takes them through it first, and they enrol in the next course once it is complete.
    """
    cohort_courses = list(courses)
    in_cohort = {c.pk for c in cohort_courses}
    outside: dict[int, str] = {}
    for course in cohort_courses:
        if user is None:
            missing = list(course.prerequisites.live())
        else:
            missing = prerequisites_missing(user=user, course=course)
        for prerequisite in missing:
            if prerequisite.pk not in in_cohort:
                outside.setdefault(prerequisite.pk, prerequisite.title)
    if not outside:
        return None
    titles = ", ".join(_("“%(title)s”") % {"title": title} for title in outside.values())
    return _(
        "has not completed the prerequisite courses %(titles)s, which are not in this "
        "session: add them to the cohort or wait until they are complete"
    ) % {"titles": titles}


def cohort_enrol(*, cohort: Cohort, user) -> None:
    """Enrol a trainee of `cohort` in its live courses, through the one enrolment service.

    A course whose prerequisites are courses of the cohort not yet complete is left for
    later (the trainee enrols from the course page once they are); callers refuse first
    the trainees `cohort_prerequisites_refusal` names.
    """
    courses = list(cohort.courses.live())
    in_cohort = {c.pk for c in courses}
    for course in courses:
        try:
            enrolment_create(user=user, course=course)
        except PrerequisitesMissing as missing:
            if not {c.pk for c in missing.missing} <= in_cohort:
                reason = cohort_prerequisites_refusal(courses=courses, user=user)
                raise CohortError(
                    _("%(email)s %(reason)s.") % {"email": user.email, "reason": reason}
                ) from None


def _invite(*, cohort: Cohort, email: str, full_name: str, base_url: str):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    new = user is None
    if new:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        trainee_group = Group.objects.filter(name=TRAINEE_GROUP).first()
        if trainee_group is not None:
            user.groups.add(trainee_group)
    cohort.trainees.add(user)
    cohort_enrol(cohort=cohort, user=user)
    transaction.on_commit(
        lambda: _invitation_send(user=user, cohort=cohort, base_url=base_url, new=new)
    )
    return user


@transaction.atomic
def cohort_invite(*, by, cohort: Cohort, email: str, full_name: str = "", base_url: str):
    """Find or create the user of `email`, add them to `cohort`, enrol them, e-mail them."""
    _cohort_check(by=by, cohort=cohort)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise CohortError(
            _("« %(email)s » is not a valid e-mail address.") % {"email": email}
        ) from None
    existing = get_user_model().objects.filter(email__iexact=email).first()
    refusal = cohort_prerequisites_refusal(courses=cohort.courses.live(), user=existing)
    if refusal:
        raise CohortError(_("%(email)s %(reason)s.") % {"email": email, "reason": refusal})
    return _invite(cohort=cohort, email=email, full_name=full_name.strip(), base_url=base_url)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvRefused(_("The file is not readable text (expected a CSV in UTF-8)."))


def csv_rows(data: bytes) -> list[tuple[int, str, str]]:
    """Parse `full name, e-mail` rows; refuse the whole file on the first bad row."""
    if len(data) > MAX_CSV_BYTES:
        raise CsvRefused(_("The file is too large (1 MB at most)."))
    text = _decode(data)
    if "\x00" in text:
        raise CsvRefused(_("The file is not readable text (expected a CSV in UTF-8)."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise CsvRefused(_("The file is not a valid CSV (%(error)s).") % {"error": exc}) from None
    if len(rows) > MAX_CSV_ROWS + 1:
        raise CsvRefused(_("Too many rows (%(max)s at most).") % {"max": MAX_CSV_ROWS})
    parsed, rejected, seen = [], [], set()
    for line, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if line == 1 and len(cells) >= 2 and "mail" in cells[1].lower():
            continue  # the header
        if len(cells) != 2:
            rejected.append(
                RejectedRow(
                    line,
                    _("expected 2 columns (full name, e-mail), found %(n)s") % {"n": len(cells)},
                )
            )
            continue
        name, email = cells
        if not name:
            rejected.append(RejectedRow(line, _("the full name is missing")))
            continue
        try:
            validate_email(email)
        except ValidationError:
            reason = _("« %(email)s » is not a valid e-mail address") % {"email": email}
            rejected.append(RejectedRow(line, reason))
            continue
        if email.lower() in seen:
            rejected.append(
                RejectedRow(line, _("« %(email)s » appears twice in the file") % {"email": email})
            )
            continue
        seen.add(email.lower())
        parsed.append((line, name, email))
    if rejected:
        raise CsvRefused(_("Nothing was imported: correct these rows and try again."), rejected)
    if not parsed:
        raise CsvRefused(_("The file has no trainee rows."))
    return parsed


def _rows_missing_prerequisites(*, cohort: Cohort, rows) -> list[RejectedRow]:
    """The rows whose trainee misses a prerequisite outside the cohort, with the reason."""
    emails = [email.lower() for _line, _name, email in rows]
    users = {
        u.email.lower(): u
        for u in get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
    }
    rejected = []
    courses = list(cohort.courses.live())
    new_refusal = cohort_prerequisites_refusal(courses=courses, user=None)
    for line, _name, email in rows:
        user = users.get(email.lower())
        if user is None:
            refusal = new_refusal
        else:
            refusal = cohort_prerequisites_refusal(courses=courses, user=user)
        if refusal:
            rejected.append(RejectedRow(line, f"{email} {refusal}"))
    return rejected


@transaction.atomic
def cohort_import_csv(*, by, cohort: Cohort, data: bytes, base_url: str) -> list:
    """Invite every row of a `full name, e-mail` CSV, or nobody (one transaction)."""
    _cohort_check(by=by, cohort=cohort)
    rows = csv_rows(data)
    rejected = _rows_missing_prerequisites(cohort=cohort, rows=rows)
    if rejected:
        raise CsvRefused(_("Nothing was imported: correct these rows and try again."), rejected)
    return [
        _invite(cohort=cohort, email=email, full_name=name, base_url=base_url)
        for _line, name, email in rows
    ]
