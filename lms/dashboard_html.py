"""The dashboard's course cards as HTML, joined in Python.

A card per enrolled course (its link, progress, « Reprendre » or « Course complete »)
cost the template about 0.2 ms each: a dozen nodes, three `{% blocktranslate %}`. Here
each card is one `format_html` with the same words (the same msgids as the template had,
translated in the request's language) and the same markup. Nothing is kept between
requests: every card is made from the trainee's outline of this request.
"""

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

_CARD = (
    '\n      <article class="dashboard-course">'
    '\n        <h3><a href="{}">{}</a></h3>'
    '\n        <progress class="progress" aria-label="{}" max="100" value="{}">{} %</progress>'
    '\n        <p class="muted">{}</p>{}'
    "\n      </article>"
)


def _words(words: str, **values) -> SafeString:
    """A translated sentence with its values escaped, as `{% blocktranslate %}` writes it
    (the translation itself is trusted)."""
    return SafeString(words % {name: escape(value) for name, value in values.items()})


def _next(outline) -> SafeString:
    if outline.resume is not None:
        words = _("Resume: %(title)s") if outline.started else _("Start: %(title)s")
        return format_html(
            '\n        <p><a class="button" href="{}" data-resume>{}</a></p>',
            outline.resume_url,
            _words(words, title=outline.resume.title),
        )
    if outline.complete:
        return format_html(
            '\n        <p><span class="badge done"><span aria-hidden="true">✓</span> {}</span></p>',
            _("Course complete"),
        )
    return SafeString("")


def course_cards(outlines) -> SafeString:
    """One `<article>` per course outline (`courses.selectors.CourseOutline`)."""
    progress_in = _("Your progress in %(title)s")
    done = _("%(percent)s %% done")
    return format_html_join(
        "",
        _CARD,
        (
            (
                outline.course_url,
                outline.course.title,
                _words(progress_in, title=outline.course.title),
                outline.percent,
                outline.percent,
                _words(done, percent=outline.percent),
                _next(outline),
            )
            for outline in outlines
        ),
    )
