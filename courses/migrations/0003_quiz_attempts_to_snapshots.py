"""Bring the single-choice quizzes and their attempts to the quiz engine's format.

- Every choice of every question (live page and revisions) gets a stable id (ListBlock
  items in block format), an empty feedback, and every question an empty competency list.
- Every existing attempt becomes a submitted attempt with its snapshot: the quiz's
  questions, answers as choice ids instead of positions, and a result per question.
  Its score and verdict stay as they were given.
- Then at most one attempt per trainee and quiz may be open.
"""

import json
import uuid

from django.db import migrations, models

CHOICE_TYPES = {"single_choice", "multiple_choice", "picture"}


def _question_normalize(block: dict) -> dict:
    value = dict(block.get("value") or {})
    if block.get("type") in CHOICE_TYPES:
        choices = []
        for item in value.get("choices") or []:
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                item_value = dict(item["value"])
                item_id = item.get("id") or str(uuid.uuid4())
            else:  # the ListBlock format before block ids
                item_value = dict(item)
                item_id = str(uuid.uuid4())
            item_value.setdefault("feedback", "")
            choices.append({"type": "item", "value": item_value, "id": item_id})
        value["choices"] = choices
    value.setdefault("competencies", [])
    return {**block, "value": value, "id": block.get("id") or str(uuid.uuid4())}


def _stream_normalize(raw) -> list:
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    return [_question_normalize(block) for block in raw or []]


def forwards(apps, schema_editor):
    QuizPage = apps.get_model("courses", "QuizPage")
    QuizAttempt = apps.get_model("courses", "QuizAttempt")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    banks = {}
    for page in QuizPage.objects.all():
        bank = _stream_normalize(list(page.questions.raw_data))
        QuizPage.objects.filter(pk=page.pk).update(questions=bank)
        banks[page.pk] = bank

    quiz_type = ContentType.objects.filter(app_label="courses", model="quizpage").first()
    if quiz_type is not None:
        for revision in Revision.objects.filter(content_type=quiz_type):
            content = dict(revision.content)
            if "questions" in content:
                content["questions"] = json.dumps(_stream_normalize(content["questions"]))
                Revision.objects.filter(pk=revision.pk).update(content=content)

    for attempt in QuizAttempt.objects.all():
        bank = banks.get(attempt.quiz_id, [])
        questions, answers, results = [], {}, {}
        for block in bank:
            order = [item["id"] for item in block["value"].get("choices", [])]
            questions.append(
                {"id": block["id"], "type": block["type"], "value": block["value"], "order": order}
            )
            given = (attempt.answers or {}).get(block["id"])
            try:
                choice = block["value"]["choices"][int(given)]
            except (TypeError, ValueError, IndexError, KeyError):
                continue
            answers[block["id"]] = [choice["id"]]
            results[block["id"]] = {
                "correct": bool(choice["value"].get("correct")),
                "competencies": [],
            }
        QuizAttempt.objects.filter(pk=attempt.pk).update(
            status="submitted",
            started_at=attempt.submitted_at or attempt.started_at,
            questions=questions,
            answers=answers,
            results=results,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_quiz_engine_competencies_course_fields"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="quizattempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "started")),
                fields=("user", "quiz"),
                name="one_open_attempt_per_quiz",
            ),
        ),
    ]
