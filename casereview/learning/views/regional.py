"""Regional sharing: this board's approved summaries out, other boards' in, and the themes across boards."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from casereview.core.access import allowed_if
from casereview.core.errors import ServiceError
from casereview.core.forms import refuse
from casereview.lib.dates import today
from casereview.lib.formats import count as counted

from .. import regional, selectors, services
from ..charts import bar_chart
from ..forms import RegionalImportForm
from ..permissions import can_lead_learning, can_use_library
from ..view_helpers import download, form_page, posted, posted_files

TOP_THEMES_CHARTED = 10


@allowed_if(can_use_library)
def regional_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    picture = selectors.regional_picture(user)
    chart = bar_chart([(r.name, r.boards_reporting) for r in picture.rows[:TOP_THEMES_CHARTED]],
                      title="Themes by number of boards reporting them")
    return render(request, "learning/regional.html", {
        "imports": list(selectors.regional_imports_for(user)), "own_count": picture.own_count,
        "boards": picture.boards, "rows": picture.rows, "chart": chart, "can_lead": can_lead_learning(user),
        "version": regional.FORMAT_VERSION})


@allowed_if(can_lead_learning)
def regional_export(request: HttpRequest) -> HttpResponse:
    try:
        data = services.regional_export(by=request.user, board=request.user.board)
    except ServiceError as error:
        refuse(request, error)
        return redirect("learning:regional")
    return download(data, f"regional-learning-{request.user.board.slug}-{today():%Y-%m-%d}.json",
                    "application/json")


@allowed_if(can_lead_learning)
def regional_import(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is checked and imported in the background, then this page shows what became of it."""
    form = RegionalImportForm(posted(request), posted_files(request))
    intro = ("The file is checked against the regional format. Files carrying a name or date of birth are refused "
             "whole: nothing from them is kept.")
    if request.method == "POST" and form.is_valid():
        token = regional.import_start(by=request.user, board=request.user.board, upload=form.cleaned_data["file"])
        return redirect(f"{reverse('learning:regional_import')}?{urlencode({'check': token})}")
    outcome = regional.import_outcome(request.GET.get("check", ""), user_id=request.user.pk)
    if outcome and outcome["state"] == regional.IMPORTED:
        messages.success(request, f"Imported {counted(outcome['summaries'], 'summary', 'summaries')} from "
                                  f"{outcome['source_board']}")
        return redirect("learning:regional")
    if outcome and outcome["state"] == regional.REFUSED:
        form = RegionalImportForm({}, {})
        form.is_valid()
        form.errors.clear()
        form.add_error("file" if outcome.get("field") == "file" else None, outcome["message"])
    elif outcome:
        intro = ("Your file is being checked. This usually takes a few seconds: refresh this page to see whether "
                 "it was imported.")
    return form_page(request, form=form, title="Import another board's learning", enctype=True,
                     back_url=reverse("learning:regional"), back_text="Regional learning", button="Import",
                     intro=intro)
