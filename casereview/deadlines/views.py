from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from casereview.core.access import allowed_if
from casereview.core.permissions import is_board_member
from casereview.lib.clocks import available_packs, due_date

from .forms import DeadlineForm
from .services import board_closures, board_pack


@allowed_if(is_board_member)
def calculator(request: HttpRequest) -> HttpResponse:
    """Work out a statutory due date from any pack, using the board's closure days for working-day clocks."""
    board = request.user.board
    pack = board_pack(board)
    bound = "clock" in request.GET or "pack" in request.GET
    form = DeadlineForm(request.GET if bound else None, initial={"pack": pack.slug})
    result = None
    if bound and form.is_valid():
        clock = form.cleaned_data["clock_obj"]
        start = form.cleaned_data["start"]
        closures = board_closures(board.pk)
        result = {"clock": clock, "start": start, "due": due_date(clock, start, closures),
                  "pack": form.cleaned_data["pack"],
                  "closures_used": clock.unit == "working_days" and bool(closures)}
    return render(request, "deadlines/calculator.html", {
        "form": form, "result": result, "packs": available_packs(), "board_pack": pack,
    })
