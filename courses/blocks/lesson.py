"""The lesson body library: every lesson's body is a `LessonStreamBlock`.

Each block renders with its own template in `templates/blocks/`. Files (videos, STL,
G-code, PDF) are Wagtail documents; the 3D viewer's JavaScript ships with Atelier
(`courses/static/courses/vendor/stl-viewer.js`, built from three.js by `courses/frontend`).
"""

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

DOWNLOAD_EXTENSIONS = {".stl", ".gcode", ".gco", ".g", ".pdf", ".3mf"}
VIDEO_EXTENSIONS = {".mp4", ".webm", ".ogv", ".mov"}


def _extension(document) -> str:
    return PurePosixPath(document.file.name).suffix.lower() if document else ""


def _require_extension(document, allowed: set[str], field: str):
    if document is not None and _extension(document) not in allowed:
        raise StructBlockValidationError(
            block_errors={
                field: ValidationError(
                    _("Accepted files: %(types)s.")
                    % {"types": ", ".join(sorted(e.lstrip(".").upper() for e in allowed))}
                )
            }
        )


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        form_classname = "title"
        template = "blocks/heading.html"
        label = _("Heading")


class FigureBlock(blocks.StructBlock):
    """An image with its text alternative (required) and an optional caption."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        help_text=_("What the image shows, for people who cannot see it."),
        max_length=255,
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        template = "blocks/figure.html"
        label = _("Image")


class VideoBlock(blocks.StructBlock):
    """A video, uploaded (a document) or embedded (a URL), always with its transcript."""

    file = DocumentChooserBlock(
        label=_("Video file"), required=False, help_text=_("MP4 or WebM, or use an embed.")
    )
    embed = EmbedBlock(label=_("Embedded video (URL)"), required=False)
    title = blocks.CharBlock(label=_("Title"))
    transcript = blocks.RichTextBlock(
        label=_("Transcript"), features=["bold", "italic", "ol", "ul", "link"]
    )

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("file")) == bool(value.get("embed")):
            raise StructBlockValidationError(
                non_block_errors=[_("Give either a video file or an embed URL, not both.")]
            )
        _require_extension(value.get("file"), VIDEO_EXTENSIONS, "file")
        return value


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


class ProcedureStepBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("What to do"), features=["bold", "italic", "link"])
    image = ImageChooserBlock(label=_("Picture"), required=False)
    alt_text = blocks.CharBlock(label=_("Text alternative of the picture"), required=False)

    class Meta:
        icon = "list-ol"

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.get("alt_text"):
            raise StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("Describe the picture."))}
            )
        return value


class ProcedureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    steps = blocks.ListBlock(ProcedureStepBlock(), min_num=1, label=_("Steps"))

    class Meta:
        icon = "list-ol"
        template = "blocks/procedure.html"
        label = _("Step-by-step procedure")


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"), help_text=_("STL, G-code, 3MF or PDF."))
    label = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "download"
        template = "blocks/download.html"
        label = _("Downloadable file")

    def clean(self, value):
        value = super().clean(value)
        _require_extension(value.get("document"), DOWNLOAD_EXTENSIONS, "document")
        return value


class GcodeBlock(blocks.StructBlock):
    code = blocks.TextBlock(label=_("G-code"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "code"
        template = "blocks/gcode.html"
        label = _("G-code snippet")


class StlViewerBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("STL file"))
    description = blocks.CharBlock(
        label=_("Description"), help_text=_("What the model is, for people who cannot see it.")
    )

    class Meta:
        icon = "cube"
        template = "blocks/stl_viewer.html"
        label = _("3D viewer (STL)")

    def clean(self, value):
        value = super().clean(value)
        _require_extension(value.get("document"), {".stl"}, "document")
        return value


class LessonStreamBlock(blocks.StreamBlock):
    """Every lesson body uses this library."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        icon="pilcrow", label=_("Paragraph"), template="blocks/paragraph.html"
    )
    image = FigureBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    procedure = ProcedureBlock()
    download = DownloadBlock()
    gcode = GcodeBlock()
    stl_viewer = StlViewerBlock()
