"""The course page's outline as HTML: rendered once per outline version and language,
joined per request with the trainee's statuses.

Each step's `<li>` is the same for everyone but for its state: done, passed, failed, in
progress or not started; a link (enrolled and open) or plain text (not enrolled, or
locked); the lock's badge. So the parts that depend on the course's structure (each
module's heading and intro, each step's title, link and kind) are rendered once per
version of the course (`courses.outline`) and language, and the parts that depend on a
state (each status's badge, the lock's badge) once per language. A request then joins,
for every step, the opening `<li>` of its state, its title part and its status part: one
pass over the steps in Python, no template loop, work that does not grow with anything
but the number of steps (a few microseconds each).

Nothing about a trainee is ever stored here: the statuses, locks and the lock's reason
(« Complete “…” first », which names the trainee's first incomplete step) are joined
per request. The structure's key holds the outline's version, which changes on every
save, publish, unpublish, move or deletion inside the course (`courses.receivers`), so
a renamed, new or removed step is seen at once. The parts are kept in the process (like
the outline itself: `outline._in_process`): building them from the outline costs about
as much as reading them back from Redis would.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .outline import Outline
from .status import ICONS, StepStatus

_IN_PROCESS_MAX = 64
_structures: dict[tuple, _Structure] = {}
_states: dict[str | None, _States] = {}


@dataclass(frozen=True)
class _Step:
    pk: int
    linked: str  # `<span class="step-title">` with the step's link and kind
    text: str  # the same with its title as plain text


@dataclass(frozen=True)
class _Module:
    head: str  # `<section>`, heading, intro, `<ol>`
    steps: tuple[_Step, ...]


@dataclass(frozen=True)
class _Structure:
    modules: tuple[_Module, ...]


@dataclass(frozen=True)
class _States:
    open_li: dict[tuple[str, bool], str]  # (status, locked) -> `<li class=…>`
    badge: dict[str, str]  # status -> its `<span class="step-status">…</span>`
    locked_badge: str  # the lock's badge (the reason is added per request)


_MODULE_TAIL = "\n      </ol>\n    </section>\n"
_STEP_TAIL = "</li>"


def _title_part(step, *, linked: bool) -> str:
    cls = step.specific_class
    kind = capfirst(cls._meta.verbose_name) if cls is not None else ""
    if linked:
        title = format_html('<a href="{}">{}</a>', step.outline_url or "", step.title)
    else:
        title = format_html("<span>{}</span>", step.title)
    return format_html(
        '<span class="step-title">{} <span class="step-kind">{}</span></span>',
        title,
        kind,
    )


def _structure_build(outline: Outline) -> _Structure:
    return _Structure(
        modules=tuple(
            _Module(
                head=format_html(
                    '\n    <section class="card">\n      <h2>{}</h2>\n      {}\n'
                    '      <ol class="steps">',
                    entry.module.title,
                    SafeString(entry.intro_html),
                ),
                steps=tuple(
                    _Step(
                        pk=step.pk,
                        linked=_title_part(step, linked=True),
                        text=_title_part(step, linked=False),
                    )
                    for step in entry.steps
                ),
            )
            for entry in outline.modules
        )
    )


def _states_build() -> _States:
    status_word = _("Status:")
    return _States(
        open_li={
            (status, locked): (
                f'\n<li class="step step-{status}{" step-locked" if locked else ""}">'
            )
            for status in StepStatus.values
            for locked in (False, True)
        },
        badge={
            status: format_html(
                ' <span class="step-status"><span class="badge {}"><span aria-hidden="true">{}'
                '</span> <span class="visually-hidden">{} </span>{}</span></span>',
                status,
                ICONS[status],
                status_word,
                StepStatus(status).label,
            )
            for status in StepStatus.values
        },
        locked_badge=format_html(
            ' <span class="step-status"><span class="badge locked">'
            '<span aria-hidden="true">🔒</span> {}</span>',
            _("Locked"),
        ),
    )


def _structure(outline: Outline) -> _Structure:
    key = (outline.course_id, outline.version, get_language())
    structure = _structures.get(key)
    if structure is None:
        structure = _structure_build(outline)
        if len(_structures) >= _IN_PROCESS_MAX:
            _structures.clear()
        _structures[key] = structure
    return structure


# Per structure: each step's whole `<li>` in each status, for an enrolled trainee with
# the step open (most requests): the structure's parts joined with the states' once.
_open_items: dict[tuple, tuple] = {}


def _open_items_of(structure: _Structure, key: tuple, states: _States) -> dict[int, dict]:
    items = _open_items.get(key)
    if items is None or items[0] is not structure:
        items = (
            structure,
            {
                step.pk: {
                    status: states.open_li[status, False] + step.linked + badge + _STEP_TAIL
                    for status, badge in states.badge.items()
                }
                for module in structure.modules
                for step in module.steps
            },
        )
        if len(_open_items) >= _IN_PROCESS_MAX:
            _open_items.clear()
        _open_items[key] = items
    return items[1]


def _state_parts() -> _States:
    language = get_language()
    states = _states.get(language)
    if states is None:
        states = _states[language] = _states_build()
    return states


def _lock_reason(blocker) -> str:
    reason = _("Complete “%(title)s” first.") % {"title": escape(blocker.title)}
    return f' <span class="muted lock-reason">{reason}</span></span>'


def outline_html(*, course_outline) -> SafeString:
    """The course page's modules and steps for one trainee (`course_outline`, from
    `courses.selectors.course_outline`, on the cached outline it was read with)."""
    structure = _structure(course_outline.outline)
    states = _state_parts()
    enrolled = course_outline.enrolled
    statuses = course_outline.statuses
    locked_by = course_outline.locked_by
    if enrolled and not locked_by:
        outline = course_outline.outline
        key = (outline.course_id, outline.version, get_language())
        opened = _open_items_of(structure, key, states)
    reasons: dict[int, str] = {}  # blocker id -> the lock's reason (one blocker, usually)
    parts: list[str] = []
    add = parts.append
    for module in structure.modules:
        add(module.head)
        if enrolled and not locked_by:  # every step open: one kept `<li>` per step
            parts.extend([opened[step.pk][statuses[step.pk]] for step in module.steps])
            add(_MODULE_TAIL)
            continue
        for step in module.steps:
            status = statuses[step.pk]
            blocker = locked_by.get(step.pk)
            add(states.open_li[status, blocker is not None])
            if enrolled and blocker is None:
                add(step.linked)
                add(states.badge[status])
            elif not enrolled:
                add(step.text)
            else:
                add(step.text)
                add(states.locked_badge)
                reason = reasons.get(blocker.pk)
                if reason is None:
                    reason = reasons[blocker.pk] = _lock_reason(blocker)
                add(reason)
            add(_STEP_TAIL)
        add(_MODULE_TAIL)
    return SafeString("".join(parts))


@dataclass(frozen=True)
class CourseParts:
    head: SafeString  # title, summary, level and hours
    rules: SafeString  # « To complete this course » (and the unlocking rule)


_parts: dict[tuple, CourseParts] = {}


def course_parts(*, page, outline: Outline, keep: bool) -> CourseParts:
    """The course page's parts that are the same for everyone, rendered once per course
    version (`outline.version`: any change to the course gives a new one) and language.
    `keep`: `page` is the outline's own row (`Outline.course_page`); any other (a
    preview's draft) is rendered each time and never kept."""
    from django.template.loader import render_to_string

    key = (outline.course_id, outline.version, get_language())
    keep = keep and bool(outline.version)
    parts = _parts.get(key) if keep else None
    if parts is None:
        context = {"page": page}
        parts = CourseParts(
            head=SafeString(render_to_string("courses/includes/course_head.html", context)),
            rules=SafeString(render_to_string("courses/includes/course_rules.html", context)),
        )
        if keep:
            if len(_parts) >= _IN_PROCESS_MAX:
                _parts.clear()
            _parts[key] = parts
    return parts
