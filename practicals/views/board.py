"""The farm board: one page per farm that its staff can leave on a screen, and the JSON
its script polls. Both read what the followers stored; neither calls OctoPrint."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ..access import farms_staffed_by
from ..board import card_as_dict, farm_board

POLL_SECONDS = 3


def _staffed_farm(request, farm_id: int):
    # Another farm, or no farm at all, is simply not there: 404, never a hint it exists.
    return get_object_or_404(farms_staffed_by(user=request.user), pk=farm_id)


@login_required
def board_index(request):
    """The boards of the farms the user manages or teaches at; straight to it if only one."""
    farms = list(farms_staffed_by(user=request.user).order_by("name"))
    if not farms and not request.user.has_perm("practicals.view_printattempt"):
        raise Http404  # a trainee: there is no board for them to know about
    if len(farms) == 1:
        return redirect("practicals:farm_board", farm_id=farms[0].pk)
    return render(request, "practicals/farm_boards.html", {"farms": farms})


def _board(farm) -> dict:
    now = timezone.now()
    cards = farm_board(farm=farm, now=now)
    return {
        "updated": timezone.localtime(now, farm.tzinfo).strftime("%H:%M:%S"),
        "printers": [card_as_dict(card, tz=farm.tzinfo) for card in cards],
    }


@login_required
@never_cache
def board_page(request, farm_id: int):
    farm = _staffed_farm(request, farm_id)
    return render(
        request,
        "practicals/farm_board.html",
        {"farm": farm, "board": _board(farm), "poll_seconds": POLL_SECONDS},
    )


@login_required
@never_cache
def board_status(request, farm_id: int):
    return JsonResponse(_board(_staffed_farm(request, farm_id)))
