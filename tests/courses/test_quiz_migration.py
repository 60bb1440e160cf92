"""Migration 0003 brings the skeleton's single-choice quizzes and attempts to the quiz engine.

Its function runs here on rows written in the old format (choices without ids, answers as
positions); running the migration executor itself would flush the test database.
"""

import importlib
import json
import uuid

from django.apps import apps
from django.db import connection
from django.utils import timezone

from courses.models import QuizAttempt, QuizPage
from tests.courses.quizzes import quiz_add

migration = importlib.import_module("courses.migrations.0003_quiz_attempts_to_snapshots")


def test_old_quiz_and_attempts_still_work_after_migration(course, trainee):
    quiz = quiz_add(course=course, title="Ancien quiz", pass_mark=50)
    question_id = str(uuid.uuid4())
    old_questions = [  # the ListBlock format before block ids: plain dicts
        {
            "type": "single_choice",
            "id": question_id,
            "value": {
                "question": "Diamètre du filament ?",
                "choices": [
                    {"text": "1,75 mm", "correct": True},
                    {"text": "3 mm", "correct": False},
                ],
            },
        }
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_quizpage SET questions = %s WHERE page_ptr_id = %s",
            [json.dumps(old_questions), quiz.pk],
        )
    for given, score in (("1", 0), ("0", 100)):
        QuizAttempt.objects.create(
            user=trainee,
            quiz=quiz,
            status="submitted",
            answers={question_id: given},
            score=score,
            passed=score >= 50,
            submitted_at=timezone.now(),
        )

    migration.forwards(apps, None)

    migrated = QuizPage.objects.get(pk=quiz.pk)
    choices = migrated.questions[0].value["choices"].bound_blocks
    right_id, wrong_id = choices[0].id, choices[1].id
    assert right_id and wrong_id and choices[0].value["feedback"] == ""
    attempts = {a.score: a for a in QuizAttempt.objects.filter(quiz=quiz)}
    assert attempts[0].answers == {question_id: [wrong_id]}
    assert attempts[100].answers == {question_id: [right_id]}
    assert attempts[100].results[question_id]["correct"] is True
    assert attempts[0].results[question_id]["correct"] is False
    assert attempts[100].questions[0]["order"] == [right_id, wrong_id]
    # The ids are stored, not drawn anew at each read.
    again = QuizPage.objects.get(pk=quiz.pk).questions[0].value["choices"].bound_blocks
    assert again[0].id == right_id
