"""Migration 0003 brings the single-choice quizzes and their attempts to the quiz engine."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("courses", "0001_initial")]
AFTER = [("courses", "0003_quiz_attempts_to_snapshots")]


@pytest.mark.django_db(transaction=True)
def test_old_quiz_and_attempts_still_work_after_migration(django_user_model):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    ContentType = old.get_model("contenttypes", "ContentType")
    Page = old.get_model("wagtailcore", "Page")
    QuizPage = old.get_model("courses", "QuizPage")
    QuizAttempt = old.get_model("courses", "QuizAttempt")
    User = old.get_model(*django_user_model._meta.label.split("."))

    Locale = old.get_model("wagtailcore", "Locale")
    locale = Locale.objects.first() or Locale.objects.create(language_code="fr")
    root = Page.objects.filter(depth=1).first() or Page.objects.create(
        title="Root",
        slug="root",
        path="0001",
        depth=1,
        locale=locale,
        content_type=ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0],
    )
    question_id = str(uuid.uuid4())
    quiz = QuizPage.objects.create(
        title="Quiz",
        slug="quiz-migration",
        path=root.path + "0099",
        depth=2,
        live=True,
        locale_id=root.locale_id,
        content_type=ContentType.objects.get_or_create(app_label="courses", model="quizpage")[0],
        pass_mark=50,
        questions=[
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
        ],
    )
    user = User.objects.create(email="old@example.org")
    for given, score in (("1", 0), ("0", 100)):
        QuizAttempt.objects.create(
            user=user, quiz=quiz, answers={question_id: given}, score=score, passed=score >= 50
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from courses.models import QuizAttempt as NewAttempt
    from courses.models import QuizPage as NewQuiz

    migrated = NewQuiz.objects.get(pk=quiz.pk)
    choices = migrated.questions[0].value["choices"].bound_blocks
    right_id, wrong_id = choices[0].id, choices[1].id
    assert right_id and wrong_id and choices[0].value["feedback"] == ""
    attempts = {a.score: a for a in NewAttempt.objects.filter(quiz_id=quiz.pk)}
    assert attempts[0].answers == {question_id: [wrong_id]}
    assert attempts[100].answers == {question_id: [right_id]}
    assert attempts[100].results[question_id]["correct"] is True
    assert {a.status for a in attempts.values()} == {"submitted"}
    assert attempts[100].passed and attempts[100].questions[0]["order"] == [right_id, wrong_id]
    # The ids are stored, not drawn anew at each read.
    assert (
        NewQuiz.objects.get(pk=quiz.pk).questions[0].value["choices"].bound_blocks[0].id == right_id
    )
