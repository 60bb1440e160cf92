"""StreamField blocks: the lesson body library, and quiz questions."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("safety", _("Safety")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="tip",
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        label = _("Callout")


class LessonStreamBlock(blocks.StreamBlock):
    """Every lesson body uses this library; later block types are added here."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading.html", label=_("Heading")
    )
    paragraph = blocks.RichTextBlock(icon="pilcrow", label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))
    callout = CalloutBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct answer"))

    class Meta:
        icon = "radio-full"


class SingleChoiceQuestionBlock(blocks.StructBlock):
    """A question with exactly one correct answer among its choices."""

    question = blocks.CharBlock(label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("Answers"))

    class Meta:
        icon = "help"
        label = _("Single-choice question")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for choice in value["choices"] if choice["correct"]) != 1:
            raise StructBlockValidationError(
                non_block_errors=[_("Mark exactly one answer as correct.")]
            )
        return value


class QuizStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
