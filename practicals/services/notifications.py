"""E-mails about bookings: confirmation (with the `.ics`), reminder, no-show, and the
moves and cancellations a maintenance window or a withdrawn printer causes.

Each e-mail is a `BookingMail` row written with the change it announces (an outbox); a
task sends it on commit, beat's sweep sends any left behind, and `sent_at` makes sending
happen once. The e-mail is written in the trainee's language when it is known (the one
they chose, else the one they booked in), else in French. The reminder and the no-show
release are found by beat's sweep (`bookings_sweep`), each recorded once whatever the
number of sweeps.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ..calendar import calendar_ics
from ..models import Booking, BookingEvent, BookingMail, Farm, PrintAttempt

# The reminder goes this long before the slot (bookings made later get the confirmation only).
REMINDER_BEFORE = dt.timedelta(hours=getattr(settings, "BOOKING_REMINDER_HOURS", 24))


def trainee_language(*, booking: Booking) -> str:
    """The language the trainee chose (kept on their account by the switcher or at sign-up),
    else the one they booked in (their latest own booking), else French."""
    chosen = getattr(booking.trainee, "language", "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    if booking.language:
        return booking.language
    latest = (
        Booking.objects.filter(trainee_id=booking.trainee_id)
        .exclude(language="")
        .order_by("-created_at")
        .values_list("language", flat=True)
        .first()
    )
    return latest or settings.LANGUAGE_CODE


def booking_mail_queue(
    *, booking: Booking, kind: str, key: str = "", params: dict | None = None
) -> BookingMail | None:
    """Record an e-mail to send (once per booking, kind and key) and send it after commit."""
    try:
        with transaction.atomic():
            mail, created = BookingMail.objects.get_or_create(
                booking=booking, kind=kind, key=key, defaults={"params": params or {}}
            )
    except IntegrityError:  # queued by someone else at the same moment
        return None
    if not created:
        return None
    from ..tasks import booking_mail_send_task  # tasks import services: import late

    transaction.on_commit(lambda: booking_mail_send_task.delay(mail.pk))
    return mail


def _when(booking: Booking) -> str:
    tz = booking.printer.farm.tzinfo
    start = timezone.localtime(booking.starts_at, tz)
    end = timezone.localtime(booking.ends_at, tz)
    day = formats.date_format(start, "l j F Y")
    return f"{day}, {formats.time_format(start, 'H:i')} – {formats.time_format(end, 'H:i')}"


def _cause(code: str) -> str:
    """Why a printer was withdrawn (`maintenance.Withdrawal`), in the active language."""
    causes = {
        "disabled": _("taken out of service by the farm"),
        "service_due": _("due for servicing after its hours of use"),
    }
    return causes.get(code, code)


def _content(mail: BookingMail) -> tuple[str, str]:
    """Subject and body, in the active language."""
    booking = mail.booking
    facts = {
        "name": booking.trainee.get_short_name(),
        "practical": booking.practical.title,
        "printer": booking.printer.name,
        "farm": booking.printer.farm.name,
        "when": _when(booking),
        "url": f"{settings.SITE_URL.rstrip('/')}/practicals/bookings/{booking.pk}/",
        "reason": mail.params.get("reason", "") or _cause(mail.params.get("cause", "")),
        "minutes": mail.params.get("minutes", 0),
    }
    kind = BookingMail.Kind
    if mail.kind == kind.CONFIRMED:
        subject = _("Your slot is booked: %(practical)s")
        body = _(
            "Hello %(name)s,\n\nYour slot for « %(practical)s » is booked:\n%(when)s\n"
            "%(printer)s, %(farm)s\n\nThe attached file adds it to your calendar.\n"
            "Your booking: %(url)s\n"
        )
    elif mail.kind == kind.REMINDER:
        subject = _("Reminder: your slot %(when)s")
        body = _(
            "Hello %(name)s,\n\nA reminder of your slot for « %(practical)s »:\n%(when)s\n"
            "%(printer)s, %(farm)s\n\nStart your print within the first minutes of the slot, "
            "or the slot is released.\nYour booking: %(url)s\n"
        )
    elif mail.kind == kind.NO_SHOW:
        subject = _("Your slot was released: %(practical)s")
        body = _(
            "Hello %(name)s,\n\nNo print was started %(minutes)s minutes into your slot "
            "for « %(practical)s » (%(when)s), so the slot was released for others.\n"
            "You can book another slot: %(url)s\n"
        )
    elif mail.kind == kind.MOVED:
        facts["before"] = mail.params.get("before", "")
        subject = _("Your slot was moved: %(practical)s")
        body = _(
            "Hello %(name)s,\n\nThe printer is under maintenance (%(reason)s) during your slot "
            "for « %(practical)s » of %(before)s.\nYour booking was moved to the next free "
            "slot:\n%(when)s\n%(printer)s, %(farm)s\n\nIf it does not suit you, move or cancel "
            "it here: %(url)s\n"
        )
    else:
        facts["before"] = mail.params.get("before", "")
        subject = _("Your slot was cancelled: %(practical)s")
        body = _(
            "Hello %(name)s,\n\nThe printer is under maintenance (%(reason)s) during your slot "
            "for « %(practical)s » of %(before)s, and no other free slot could be found, so "
            "your booking was cancelled. Please book another slot: %(url)s\n"
        )
    return subject % facts, body % facts


def booking_mail_send(*, mail_id: int) -> bool:
    """Send the e-mail unless it went already; False when there was nothing to send."""
    with transaction.atomic():
        mail = (
            BookingMail.objects.select_for_update(of=("self",))
            .select_related("booking__trainee", "booking__printer__farm", "booking__practical")
            .filter(pk=mail_id)
            .first()
        )
        if mail is None or mail.sent_at is not None:
            return False
        booking = mail.booking
        with translation.override(trainee_language(booking=booking)):
            subject, body = _content(mail)
            message = EmailMessage(subject, body, None, [booking.trainee.email])
            if mail.kind in (BookingMail.Kind.CONFIRMED, BookingMail.Kind.MOVED):
                message.attach(
                    f"atelier-{booking.pk}.ics",
                    calendar_ics(bookings=[booking], name=booking.practical.title),
                    "text/calendar",
                )
        # An error here leaves sent_at empty: the task retries, the sweep picks it up.
        message.send()
        mail.sent_at = timezone.now()
        mail.save(update_fields=["sent_at"])
    return True


def booking_mails_unsent(*, now: dt.datetime | None = None) -> list[int]:
    """E-mails not sent yet (a lost task, an SMTP failure), from the last two days."""
    now = now or timezone.now()
    return list(
        BookingMail.objects.filter(
            sent_at__isnull=True, created_at__gt=now - dt.timedelta(days=2)
        ).values_list("pk", flat=True)
    )


def bookings_remind(*, now: dt.datetime | None = None) -> list[int]:
    """Queue the reminder of each confirmed booking starting within REMINDER_BEFORE (once)."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
    ).exclude(Exists(BookingMail.objects.filter(booking=OuterRef("pk"), kind="reminder")))
    queued = []
    for booking in due:
        # Booked within the reminder's lead time: the confirmation was the reminder.
        if booking.created_at > booking.starts_at - REMINDER_BEFORE:
            continue
        with transaction.atomic():
            if booking_mail_queue(booking=booking, kind=BookingMail.Kind.REMINDER):
                queued.append(booking.pk)
    return queued


def booking_no_show(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """Release the slot of a booking with no print N minutes in; False if not (or no more)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("printer__farm")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None or booking.status != Booking.Status.CONFIRMED:
            return False
        minutes = booking.printer.farm.no_show_minutes
        # From the slot's start, or from the booking if it was made once the slot was under way.
        since = max(booking.starts_at, booking.created_at)
        if not minutes or now < since + dt.timedelta(minutes=minutes):
            return False
        if PrintAttempt.objects.filter(booking=booking).exists():
            return False
        booking.status = Booking.Status.NO_SHOW
        booking.save(update_fields=["status"])
        BookingEvent.objects.create(
            booking=booking,
            from_status=Booking.Status.CONFIRMED,
            to_status=booking.status,
            reason=f"no print started {minutes} minutes into the slot",
        )
        booking_mail_queue(
            booking=booking, kind=BookingMail.Kind.NO_SHOW, params={"minutes": minutes}
        )
    return True


def bookings_release_no_shows(*, now: dt.datetime | None = None) -> list[int]:
    """Every confirmed booking with no print N minutes into its slot becomes a no-show."""
    now = now or timezone.now()
    released = []
    for farm in Farm.objects.filter(no_show_minutes__gt=0):
        candidates = (
            Booking.objects.filter(
                printer__farm=farm,
                status=Booking.Status.CONFIRMED,
                starts_at__lte=now - dt.timedelta(minutes=farm.no_show_minutes),
                created_at__lte=now - dt.timedelta(minutes=farm.no_show_minutes),
                ends_at__gt=now - dt.timedelta(days=1),
            )
            .exclude(Exists(PrintAttempt.objects.filter(booking=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        released += [pk for pk in candidates if booking_no_show(booking_id=pk, now=now)]
    return released
