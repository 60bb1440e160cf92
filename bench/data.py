"""Benchmark data at two sizes, on PostgreSQL: rows by COPY, pages in bulk.

| size | trainees | courses | modules × lessons | progress | printers | bookings | certificates |
|---|---|---|---|---|---|---|---|
| S | 100 | 2 | 3 × 5 | 1,400 | 5 | 250 | 50 |
| L | 10,000 | 20 | 20 × 10 | 1,000,000 | 100 | 50,000 | 20,000 |

Every course ends with a quiz and a practical in its last module. Besides the crowd,
three people the benchmark acts as (`PERSONAS`): a trainee half-way through the first
course (lesson, course page, dashboard), a trainee who has done every step before the
first course's practical (the booking page), and one certificate to verify.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import uuid
import zoneinfo
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from certificates.codes import code_new, public_id_new
from courses.models import (
    CatalogPage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizAttempt,
    QuizPage,
)
from lms.demo.builder import french
from lms.demo.courses import COURSES
from lms.demo.site import catalog_ensure
from lms.roles import TRAINEE
from practicals.models import Farm, Material, OpeningHours, PracticalPage, Printer

from .pages import children_bulk_create

EMAIL_DOMAIN = "bench.atelier.test"
PASSWORD = "atelier-bench"


@dataclass(frozen=True)
class Size:
    name: str
    trainees: int
    courses: int
    modules: int
    lessons: int  # per module
    completions: int
    printers: int
    farms: int
    bookings: int
    certificates: int


SIZES = {
    "S": Size("S", 100, 2, 3, 5, 1_400, 5, 1, 250, 50),
    "L": Size("L", 10_000, 20, 20, 10, 1_000_000, 100, 10, 50_000, 20_000),
}

PERSONAS = {
    "learner": f"learner@{EMAIL_DOMAIN}",
    "booker": f"booker@{EMAIL_DOMAIN}",
}


def _paragraphs() -> list[str]:
    """Real French course text (the demo's), cut into paragraphs."""
    return [
        f"<p>{french(paragraph)}</p>"
        for course in COURSES
        for module in course["modules"]
        for step in module["steps"]
        if step["kind"] == "lesson"
        for kind, *paragraphs in step["body"]
        if kind == "text"
        for paragraph in paragraphs
    ]


def lesson_body(n: int) -> list[dict]:
    """A lesson of about 6 kB: headings, a dozen paragraphs, two callouts."""
    paras = _paragraphs()
    blocks: list[dict] = []
    for section in range(3):
        blocks.append(
            {"type": "heading", "value": f"Partie {section + 1}", "id": str(uuid.uuid4())}
        )
        for k in range(4):
            blocks.append(
                {
                    "type": "paragraph",
                    "value": paras[(n + section * 4 + k) % len(paras)],
                    "id": str(uuid.uuid4()),
                }
            )
        if section < 2:
            blocks.append(
                {
                    "type": "callout",
                    "value": {
                        "kind": ("tip", "safety")[section],
                        "text": paras[(n + 1) % len(paras)],
                    },
                    "id": str(uuid.uuid4()),
                }
            )
    return blocks


def _quiz_questions() -> list[dict]:
    question = {
        "question": "Quand peut-on toucher la buse après une impression ?",
        "choices": [
            {"text": "Dès que l’impression est terminée", "correct": False},
            {"text": "Quand la température affichée est sous 50 °C", "correct": True},
        ],
    }
    return [{"type": "single_choice", "value": question, "id": str(uuid.uuid4())}]


def course_bulk_create(
    *, catalog: CatalogPage, title: str, modules: int, lessons: int, number: int = 1
) -> CoursePage:
    """A live course of `modules` × `lessons` lessons; its last module adds a quiz and a
    practical. Lesson bodies are real-sized."""
    course = catalog.add_child(
        instance=CoursePage(
            title=title, slug=f"cours-{number}", summary="Une formation complète.", hours=35
        )
    )
    module_pages = children_bulk_create(
        parent=course,
        children=[
            ModulePage(
                title=f"Module {m + 1}",
                slug=f"module-{m + 1}",
                intro="<p>Ce module approfondit une étape du métier.</p>",
            )
            for m in range(modules)
        ],
    )
    for m, module in enumerate(module_pages):
        steps: list = [
            LessonPage(
                title=f"Leçon {m + 1}.{k + 1}",
                slug=f"lecon-{m + 1}-{k + 1}",
                estimated_minutes=15,
                body=lesson_body(m * lessons + k),
            )
            for k in range(lessons)
        ]
        if m == modules - 1:
            steps.append(
                QuizPage(
                    title="Quiz final", slug="quiz-final", pass_mark=50, questions=_quiz_questions()
                )
            )
            steps.append(
                PracticalPage(
                    title="TP : première impression",
                    slug="tp-premiere-impression",
                    instructions="<p>Imprimez le cube de calibration.</p>",
                    slot_minutes=60,
                )
            )
        children_bulk_create(parent=module, children=steps)
    return course


def _copy(table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples) into `table` through psycopg 3's COPY protocol.

    Elsewhere (SQLite, for the smoke test in `make test`) a plain multi-row insert.
    """
    columns, rows = _with_defaults(table, columns, rows)
    quoted = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", list(rows))
            return
        with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _with_defaults(table: str, columns: list[str], rows):
    """Add the model's other columns with their defaults, so that a field added later with a
    default (as models grow) does not break the loader."""
    models = apps.get_models(include_auto_created=True)
    model = next((m for m in models if m._meta.db_table == table), None)
    if model is None:
        return columns, rows
    extra = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns
        and not f.primary_key
        and (f.has_default() or (not f.null and f.empty_strings_allowed))
    ]
    if not extra:
        return columns, rows
    values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    return columns + [f.column for f in extra], (tuple(row) + values for row in rows)


def _ids(sql: str, params=()) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _slot_starts(*, days: range, tz: zoneinfo.ZoneInfo, opening: int, closing: int):
    today = timezone.now().astimezone(tz).date()
    for offset in days:
        day = today + dt.timedelta(days=offset)
        for hour in range(opening, closing):
            yield dt.datetime.combine(day, dt.time(hour), tzinfo=tz).astimezone(dt.UTC)


def personas_progress(*, course: CoursePage, learner: int, booker: int | None = None) -> None:
    """Enrol the personas: the learner half-way through `course`'s lessons, the booker
    (if any) done with every step before its practical."""
    now = timezone.now()
    lessons = list(
        LessonPage.objects.descendant_of(course).order_by("path").values_list("pk", flat=True)
    )
    _copy(
        "courses_enrolment",
        ["user_id", "course_id", "created_at", "prerequisites_checked"],
        [(learner, course.pk, now, True)],
    )
    _copy(
        "courses_lessoncompletion",
        ["user_id", "lesson_id", "completed_at"],
        [(learner, lesson, now) for lesson in lessons[: len(lessons) // 2]],
    )
    if booker is None:
        return
    _copy(
        "courses_enrolment",
        ["user_id", "course_id", "created_at", "prerequisites_checked"],
        [(booker, course.pk, now, True)],
    )
    _copy(
        "courses_lessoncompletion",
        ["user_id", "lesson_id", "completed_at"],
        [(booker, lesson, now) for lesson in lessons],
    )
    for quiz in QuizPage.objects.descendant_of(course):
        QuizAttempt.objects.create(user_id=booker, quiz=quiz, answers={}, score=100, passed=True)


def persona_attempt_ensure(*, booker: int) -> int:
    """The booker's print running on the first printer (its live status is polled): a
    cancelled booking of an hour ago holds it, so no slot of the crowd is taken."""
    from practicals.models import Booking, PrintAttempt

    found = PrintAttempt.objects.filter(trainee_id=booker).values_list("pk", flat=True).first()
    if found:
        return found
    # Ids only: the printer's API key is encrypted with the keys of whoever loaded the data.
    printer = Printer.objects.order_by("pk").values_list("pk", flat=True).first()
    practical = PracticalPage.objects.order_by("path").values_list("pk", flat=True).first()
    start = timezone.now() - dt.timedelta(minutes=30)
    booking = Booking.objects.create(
        trainee_id=booker,
        printer_id=printer,
        practical_id=practical,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        status=Booking.Status.CANCELLED,
    )
    attempt = PrintAttempt.objects.create(
        booking=booking,
        trainee_id=booker,
        printer_id=printer,
        practical_id=practical,
        gcode="bench/none.gcode",
        filename="cube.gcode",
        state=PrintAttempt.State.PRINTING,
        progress=42.0,
        print_time_s=1260,
        time_left_s=1740,
        printer_state="Printing",
        nozzle_actual=209.8,
        nozzle_target=210.0,
        bed_actual=59.9,
        bed_target=60.0,
        started_at=start,
    )
    return attempt.pk


@transaction.atomic
def size_load(size: Size, *, out=None) -> list[CoursePage]:
    """Load `size` into an empty, migrated database (PostgreSQL for the benchmark)."""
    say = (out or io.StringIO()).write
    now = timezone.now()
    catalog = catalog_ensure()

    say(f"pages: {size.courses} courses of {size.modules} × {size.lessons} lessons\n")
    courses = [
        course_bulk_create(
            catalog=catalog,
            title=f"Impression 3D, parcours {n + 1}",
            modules=size.modules,
            lessons=size.lessons,
            number=n + 1,
        )
        for n in range(size.courses)
    ]
    lessons_of = {
        c.pk: list(
            LessonPage.objects.descendant_of(c).order_by("path").values_list("pk", flat=True)
        )
        for c in courses
    }

    say(f"users: {size.trainees} trainees\n")
    User = get_user_model()
    password = make_password(PASSWORD)
    emails = [*PERSONAS.values()] + [f"trainee-{i}@{EMAIL_DOMAIN}" for i in range(size.trainees)]
    _copy(
        User._meta.db_table,
        ["password", "is_superuser", "first_name", "last_name", "is_staff", "is_active"]
        + ["date_joined", "email", "full_name"],
        (
            (password, False, "", "", False, True, now, email, f"Stagiaire {i}")
            for i, email in enumerate(emails)
        ),
    )
    user_ids = _ids(
        f"SELECT id FROM {User._meta.db_table} WHERE email LIKE %s ORDER BY id",
        [f"%@{EMAIL_DOMAIN}"],
    )
    learner, booker, crowd = user_ids[0], user_ids[1], user_ids[2:]
    group = Group.objects.get(name=TRAINEE)
    _copy(
        User.groups.through._meta.db_table,
        ["user_id", "group_id"],
        ((u, group.pk) for u in user_ids),
    )
    _copy(
        EmailAddress._meta.db_table,
        ["user_id", "email", "verified", "primary"],
        ((u, e, True, True) for u, e in zip(user_ids, emails, strict=True)),
    )

    say("enrolments and progress\n")
    # Each trainee of the crowd follows two courses and has done the same share of each.
    course_ids = [c.pk for c in courses]
    enrolments = [
        (u, course_ids[(i + k) % len(course_ids)]) for i, u in enumerate(crowd) for k in (0, 1)
    ]
    per_enrolment = size.completions // len(enrolments)
    # As `courses.services.enrolment_create` writes them (these courses have no prerequisites).
    _copy(
        "courses_enrolment",
        ["user_id", "course_id", "created_at", "prerequisites_checked"],
        ((u, c, now, True) for u, c in enrolments),
    )
    _copy(
        "courses_lessoncompletion",
        ["user_id", "lesson_id", "completed_at"],
        ((u, lesson, now) for u, c in enrolments for lesson in lessons_of[c][:per_enrolment]),
    )
    first, second = courses[0], courses[1]
    personas_progress(course=first, learner=learner, booker=booker)
    _copy("courses_enrolment", ["user_id", "course_id", "created_at"], [(learner, second.pk, now)])

    say(f"farms: {size.farms} farms, {size.printers} printers, {size.bookings} bookings\n")
    farms = Farm.objects.bulk_create([Farm(name=f"Ferme {f + 1}") for f in range(size.farms)])
    OpeningHours.objects.bulk_create(
        OpeningHours(farm=farm, weekday=day, opens_at=dt.time(8), closes_at=dt.time(20))
        for farm in farms
        for day in range(7)
    )
    pla = Material.objects.filter(name="PLA").first()
    printers = Printer.objects.bulk_create(
        [
            Printer(
                farm=farms[p % len(farms)],
                name=f"Imprimante {p + 1:03d}",
                octoprint_url=f"http://127.0.0.1:9/printer-{p + 1}/",
                api_key=secrets.token_hex(16),
                material=pla,
            )
            for p in range(size.printers)
        ]
    )
    practicals = list(PracticalPage.objects.order_by("path").values_list("pk", flat=True))
    per_printer = size.bookings // len(printers)
    tz = zoneinfo.ZoneInfo("Europe/Paris")
    # Mostly past slots, and every fourth slot of the coming days: the booking page has
    # both busy and free slots to sort out.
    past = list(_slot_starts(days=range(-(per_printer // 12) - 2, 0), tz=tz, opening=8, closing=20))
    future = list(_slot_starts(days=range(0, 7), tz=tz, opening=8, closing=20))[::4]
    starts = (past + future)[-per_printer:]
    hour = dt.timedelta(hours=1)
    _copy(
        "practicals_booking",
        [
            "trainee_id",
            "printer_id",
            "practical_id",
            "starts_at",
            "ends_at",
            "status",
            "created_at",
        ],
        (
            (crowd[(p * per_printer + k) % len(crowd)], printer.pk, practicals[k % len(practicals)])
            + (s, s + hour, "confirmed", now)
            for p, printer in enumerate(printers)
            for k, s in enumerate(starts)
        ),
    )

    persona_attempt_ensure(booker=booker)

    say(f"certificates: {size.certificates}\n")
    titles = {c.pk: c.title for c in courses}
    holders = [(learner, second.pk)] + enrolments[: size.certificates - 1]
    _copy(
        "certificates_certificate",
        ["holder_id", "course_id", "holder_name", "course_title", "course_hours", "farm_name"]
        + ["issued_at", "public_id", "code", "language", "pdf"],
        (
            (
                u,
                c,
                f"Stagiaire {u}",
                titles[c],
                35,
                "Ferme 1",
                now,
                public_id_new(),
                code_new(),
                "fr",
                "",
            )
            for u, c in holders
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return courses


def size_loaded(size: Size) -> bool:
    """Whether the database already holds this size (the personas and the whole crowd)."""
    User = get_user_model()
    return (
        User.objects.filter(email=PERSONAS["learner"]).exists()
        and User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count() == size.trainees + 2
        and CoursePage.objects.count() == size.courses
    )
