"""Quiz builders for the course tests: one question of each kind, tagged with competencies."""

from courses.models import Competency, CourseCompetency, ModulePage, QuizPage


def competency_make(name: str, code: str) -> Competency:
    return Competency.objects.create(name=name, code=code)


def choices(*items):
    """(text, correct, feedback) triples as AnswerBlock values."""
    return [{"text": t, "correct": ok, "feedback": fb} for t, ok, fb in items]


def every_kind_questions(*, tags=()):
    tags = [str(c.pk) for c in tags]
    return [
        (
            "single_choice",
            {
                "question": "Température de buse pour le PLA ?",
                "choices": choices(
                    ("200 °C", True, "Oui, entre 190 et 220 °C."),
                    ("300 °C", False, "Trop chaud : le PLA se dégrade."),
                ),
                "competencies": tags,
            },
        ),
        (
            "multiple_choice",
            {
                "question": "Quels matériaux émettent du styrène ?",
                "choices": choices(
                    ("ABS", True, ""), ("ASA", True, ""), ("PLA", False, "Le PLA n’en émet pas.")
                ),
                "competencies": tags,
            },
        ),
        (
            "true_false",
            {
                "question": "On peut toucher la buse juste après l’impression.",
                "true": False,
                "feedback_true": "Non : attendez qu’elle soit sous 50 °C.",
                "feedback_false": "Exact.",
                "competencies": tags,
            },
        ),
        (
            "numeric",
            {
                "question": "Température du plateau pour le PLA ?",
                "answer": "60",
                "tolerance": "5",
                "unit": "°C",
                "feedback_right": "Bien.",
                "feedback_wrong": "Le PLA colle bien à 60 °C.",
                "competencies": tags,
            },
        ),
    ]


def quiz_add(*, course, title="Quiz complet", questions=None, **settings) -> QuizPage:
    module = ModulePage.objects.child_of(course).first()
    settings.setdefault("pass_mark", 75)
    settings.setdefault("shuffle_answers", False)
    quiz = module.add_child(
        instance=QuizPage(title=title, questions=questions or every_kind_questions(), **settings)
    )
    return QuizPage.objects.get(pk=quiz.pk)


def certify(*, course, competency, threshold=80):
    return CourseCompetency.objects.create(
        course=course, competency=competency, quiz_threshold=threshold
    )
