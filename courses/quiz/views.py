"""The quiz page's POST: start an attempt, or submit the open one (thin: services decide)."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse

from ..exceptions import AtelierError
from . import services


def _answers_from(post) -> dict[str, list[str]]:
    return {key.removeprefix("q-"): post.getlist(key) for key in post if key.startswith("q-")}


def quiz_post(request, *, quiz):
    answers: dict[str, list[str]] = {}
    try:
        if request.POST.get("intent") == "start":
            services.quiz_attempt_start(user=request.user, quiz=quiz)
        else:
            answers = _answers_from(request.POST)
            services.quiz_attempt_submit(
                user=request.user,
                quiz=quiz,
                attempt_id=request.POST.get("attempt"),
                answers=answers,
            )
    except AtelierError as error:
        context = quiz.get_context(request)
        context.update(error=error.message, answers=answers)
        return TemplateResponse(request, quiz.get_template(request), context, status=error.status)
    return redirect(quiz.url)
