"""Regional sharing: this board's approved summaries out, other boards' in, and the themes across boards."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from casereview.core.access import allowed_if
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.lib.dates import today

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
    form = RegionalImportForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        ok, record = apply_service(form, services.regional_import, by=request.user, board=request.user.board,
                                   file=form.cleaned_data["file"])
        if ok:
            messages.success(request, f"Imported {record.summaries.count()} "
                                      f"summar{'y' if record.summaries.count() == 1 else 'ies'} from "
                                      f"{record.source_board}")
            return redirect("learning:regional")
    return form_page(request, form=form, title="Import another board's learning", enctype=True,
                     back_url=reverse("learning:regional"), back_text="Regional learning", button="Import",
                     intro="The file is checked against the regional format. Files carrying a name or date of "
                           "birth are refused whole: nothing from them is kept.")
