"""Quiz questions: five kinds, each tagged with the competencies it gives evidence of.

Choices are items of a `ListBlock`, so each has a block id (a UUID) that the admin keeps
when an instructor edits, reorders or adds answers: attempts refer to choices by that id.
A true/false question's choices are the fixed ids "true" and "false".
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock


def competency_choices():
    """Every competency of the shared library (read when the admin form is drawn)."""
    from courses.models import Competency

    return [(str(pk), name) for pk, name in Competency.objects.values_list("pk", "name")]


class CompetenciesBlock(blocks.MultipleChoiceBlock):
    def __init__(self, **kwargs):
        super().__init__(
            choices=competency_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Competencies"),
            help_text=_("The competencies this question gives evidence of."),
            **kwargs,
        )

    def deconstruct(self):
        return ("courses.blocks.quiz.CompetenciesBlock", (), {})


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct answer"))
    feedback = blocks.CharBlock(
        required=False,
        label=_("Feedback"),
        help_text=_("Shown after submission to a trainee who chose this answer."),
    )

    class Meta:
        icon = "radio-full"


def _count_correct(value) -> int:
    return sum(1 for choice in value["choices"] if choice["correct"])


class OneCorrectAnswer:
    """For questions with exactly one correct answer among their choices."""

    def clean(self, value):
        value = super().clean(value)
        if _count_correct(value) != 1:
            raise StructBlockValidationError(
                non_block_errors=[_("Mark exactly one answer as correct.")]
            )
        return value


class SingleChoiceQuestionBlock(OneCorrectAnswer, blocks.StructBlock):
    """A question with exactly one correct answer among its choices."""

    question = blocks.CharBlock(label=_("Question"))
    choices = blocks.ListBlock(AnswerBlock(), min_num=2, label=_("Answers"))
    competencies = CompetenciesBlock()

    class Meta:
        icon = "radio-full"
        label = _("Single-choice question")


class MultipleChoiceQuestionBlock(blocks.StructBlock):
    """Every correct answer, and no other, must be ticked."""

    question = blocks.CharBlock(label=_("Question"))
    choices = blocks.ListBlock(AnswerBlock(), min_num=2, label=_("Answers"))
    competencies = CompetenciesBlock()

    class Meta:
        icon = "tick-inverse"
        label = _("Multiple-choice question")

    def clean(self, value):
        value = super().clean(value)
        if _count_correct(value) < 1:
            raise StructBlockValidationError(
                non_block_errors=[_("Mark at least one answer as correct.")]
            )
        return value


class TrueFalseQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Statement"))
    true = blocks.BooleanBlock(required=False, label=_("The statement is true"))
    feedback_true = blocks.CharBlock(required=False, label=_("Feedback for « true »"))
    feedback_false = blocks.CharBlock(required=False, label=_("Feedback for « false »"))
    competencies = CompetenciesBlock()

    class Meta:
        icon = "tick"
        label = _("True or false")


class NumericQuestionBlock(blocks.StructBlock):
    """A number, right within a tolerance (e.g. a nozzle temperature, ± 5 °C)."""

    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.DecimalBlock(label=_("Right value"), decimal_places=3)
    tolerance = blocks.DecimalBlock(
        label=_("Tolerance (±)"), min_value=0, decimal_places=3, default=0
    )
    unit = blocks.CharBlock(label=_("Unit"), required=False, max_length=20)
    feedback_right = blocks.CharBlock(required=False, label=_("Feedback when right"))
    feedback_wrong = blocks.CharBlock(required=False, label=_("Feedback when wrong"))
    competencies = CompetenciesBlock()

    class Meta:
        icon = "order"
        label = _("Numeric question")


class PictureQuestionBlock(OneCorrectAnswer, blocks.StructBlock):
    """A picture (which print defect is this?) and one correct answer."""

    image = ImageChooserBlock(label=_("Picture"))
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        help_text=_("Describe the picture without giving the answer away."),
    )
    question = blocks.CharBlock(label=_("Question"))
    choices = blocks.ListBlock(AnswerBlock(), min_num=2, label=_("Answers"))
    competencies = CompetenciesBlock()

    class Meta:
        icon = "image"
        label = _("Picture question")


class QuizStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    numeric = NumericQuestionBlock()
    picture = PictureQuestionBlock()
