"""Showing a stored assessment in the reader's language: check names, messages, verdicts."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from ..grading.checks import Verdict
from ..grading.messages import CHECK_NAMES, check_message

register = template.Library()


@register.filter
def check_label(kind: str) -> str:
    return str(CHECK_NAMES.get(kind, kind))


@register.filter
def check_text(check: dict) -> str:
    return check_message(check.get("code", ""), check.get("params"))


@register.filter
def verdict_label(verdict: str) -> str:
    return {
        Verdict.PASS: _("passed"),
        Verdict.FAIL: _("failed"),
        Verdict.UNMEASURABLE: _("not measurable"),
    }.get(verdict, verdict)


@register.filter
def measured(check: dict) -> str:
    """The measured value with its unit, or a dash."""
    value = check.get("value")
    if value is None:
        return "—"
    if check.get("kind") == "finished":
        return _("yes") if value else _("no")
    shown = formats.number_format(int(value) if float(value).is_integer() else value)
    unit = check.get("unit") or ""
    return f"{shown}\u00a0{unit}" if unit else shown
