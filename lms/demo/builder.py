"""Builds a demo course from plain data (`lms/demo/courses/*.py`); safe to run again.

A course's data is a dict: its fields, its competencies (each with its mastery rule) and
its modules; a module lists its steps, each a dict whose `kind` is "lesson", "quiz" or
"practical". Lesson bodies and quiz questions are written in a short form that
`body_blocks` and `question_block` turn into the stream values of `courses.blocks`.
"""

import copy
import re

from courses.models import (
    CatalogPage,
    Competency,
    CourseCompetency,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)
from practicals.grading.demo import practical_grading_seed
from practicals.models import Material, PracticalPage

from .images import demo_image

NBSP = "\u00a0"
FRENCH_SPACES = [
    (re.compile(r" ([:;!?»%])"), NBSP + r"\1"),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r"± "), "±" + NBSP),
    (re.compile(r"(\d) (?=°C|mm|m\b|h\b|A\b|W\b|kg|g\b|\d{3}\b)"), r"\1" + NBSP),
]


def french(text: str) -> str:
    """Non-breaking spaces where French typography wants them (before « : ; ! ? % »,
    inside « », between a number and its unit or its thousands)."""
    for pattern, replacement in FRENCH_SPACES:
        text = pattern.sub(replacement, text)
    return text


def _typeset(data):
    """`data` with `french` applied to every string, G-code snippets excepted."""
    if isinstance(data, str):
        return french(data)
    if isinstance(data, tuple) and data and data[0] == "gcode":
        return data
    if isinstance(data, dict):
        return {key: _typeset(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(_typeset(item) for item in data)
    return data


def html(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _figure(image: str, alt: str, caption: str = "") -> dict:
    return {"image": demo_image(image), "alt_text": alt, "caption": caption}


# Lesson body short forms: (kind, *arguments) -> (block type, block value).
BODY_BLOCKS = {
    "heading": lambda text: ("heading", text),
    "text": lambda *paragraphs: ("paragraph", html(*paragraphs)),
    "list": lambda items: ("paragraph", "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
    "callout": lambda kind, text: ("callout", {"kind": kind, "text": html(text)}),
    "procedure": lambda title, steps: (
        "procedure",
        {"title": title, "steps": [{"text": html(step), "alt_text": ""} for step in steps]},
    ),
    "gcode": lambda code, caption="": ("gcode", {"code": code, "caption": french(caption)}),
    "figure": lambda image, alt, caption="": ("image", _figure(image, alt, caption)),
}


def body_blocks(body: list[tuple]) -> list[tuple]:
    return [BODY_BLOCKS[kind](*args) for kind, *args in body]


def _choices(items) -> list[dict]:
    return [{"text": text, "correct": ok, "feedback": feedback} for text, ok, feedback in items]


def question_block(question: dict, competencies: dict[str, Competency]) -> tuple[str, dict]:
    """One question of the short form -> (quiz block type, value)."""
    kind = question["type"]
    value = {
        "question": question["q"],
        "competencies": [str(competencies[code].pk) for code in question.get("skills", [])],
    }
    if kind in ("single_choice", "multiple_choice", "picture"):
        value["choices"] = _choices(question["choices"])
    if kind == "picture":
        value["image"] = demo_image(question["image"])
        value["alt_text"] = question["alt"]
    elif kind == "true_false":
        value["true"] = question["true"]
        value["feedback_true"] = question.get("if_true", "")
        value["feedback_false"] = question.get("if_false", "")
    elif kind == "numeric":
        value.update(answer=question["answer"], tolerance=question["tolerance"])
        value.update(unit=question["unit"], feedback_right=question.get("right", ""))
        value["feedback_wrong"] = question.get("wrong", "")
    return kind, value


def competencies_ensure(items: list[dict]) -> dict[str, Competency]:
    """The competencies of the shared library that a course names (created once)."""
    return {
        item["code"]: Competency.objects.get_or_create(
            code=item["code"],
            defaults={"name": item["name"], "description": item["description"]},
        )[0]
        for item in items
    }


def _lesson(step: dict, competencies) -> LessonPage:
    return LessonPage(
        title=step["title"],
        slug=step["slug"],
        estimated_minutes=step["minutes"],
        body=body_blocks(step["body"]),
    )


def _quiz(step: dict, competencies) -> QuizPage:
    return QuizPage(
        title=step["title"],
        slug=step["slug"],
        estimated_minutes=step["minutes"],
        intro=html(step["intro"]),
        pass_mark=step.get("pass_mark", 70),
        max_attempts=step.get("max_attempts", 0),
        wait_minutes=step.get("wait_minutes", 0),
        shuffle_answers=True,
        review=step.get("review", QuizPage.Review.FEEDBACK),
        questions=[question_block(q, competencies) for q in step["questions"]],
    )


def _practical(step: dict, competencies) -> PracticalPage:
    return PracticalPage(
        title=step["title"],
        slug=step["slug"],
        estimated_minutes=step["minutes"],
        slot_minutes=step["slot_minutes"],
        instructions=html(*step["instructions"]),
        material=Material.objects.filter(name=step.get("material", "")).first(),
    )


STEP_BUILDERS = {"lesson": _lesson, "quiz": _quiz, "practical": _practical}


def course_build(*, catalog: CatalogPage, data: dict) -> CoursePage:
    """Create the course `data` describes under `catalog` (once; a second call returns it)."""
    existing = CoursePage.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    data = _typeset(copy.deepcopy(data))
    course = catalog.add_child(
        instance=CoursePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            level=data["level"],
            hours=data["hours"],
        )
    )
    competencies = competencies_ensure(data["competencies"])
    for order, item in enumerate(data["competencies"]):
        CourseCompetency.objects.create(
            course=course,
            competency=competencies[item["code"]],
            quiz_threshold=item["threshold"],
            sort_order=order,
        )
    for module in data["modules"]:
        module_page = course.add_child(
            instance=ModulePage(
                title=module["title"], slug=module["slug"], intro=html(module["intro"])
            )
        )
        for step in module["steps"]:
            page = module_page.add_child(instance=STEP_BUILDERS[step["kind"]](step, competencies))
            if step["kind"] == "practical":
                practical_grading_seed(page)  # automatic checks and a rubric to grade with
    for required in data.get("prerequisites", []):
        course.prerequisites.add(CoursePage.objects.get(slug=required))
    return course
