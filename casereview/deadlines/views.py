import csv
import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if
from casereview.core.permissions import has_board_wide_case_role, is_board_member
from casereview.lib.cell_safety import neutralise_row
from casereview.lib.clocks import available_packs, due_date
from casereview.lib.dates import today
from casereview.lib.formats import long_date
from casereview.lib.office import mark_sheet

from .forms import DeadlineFilterForm, DeadlineForm
from .registry import running_deadlines
from .services import board_closures, board_pack

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = ["Deadline", "For", "Agencies", "Due", "Status", "Days", "Waiting on"]


def _filtered(request):
    """The board's running clocks, overdue first, narrowed by the page's filters."""
    board = request.user.board
    rows = running_deadlines(board, today=today(), closures=board_closures(board.pk))
    form = DeadlineFilterForm(request.GET or None, rows=rows)
    if form.is_valid():
        kind, agency = form.cleaned_data.get("clock"), form.cleaned_data.get("agency")
        rows = [d for d in rows if (not kind or d.view.name == kind) and (not agency or agency in d.agencies)]
    return form, rows


def _cells(d) -> list:
    return [d.view.name, d.record, ", ".join(d.agencies), long_date(d.view.due), d.view.status.label,
            d.view.days_text, d.view.waiting_on]


@allowed_if(has_board_wide_case_role)
def deadline_list(request: HttpRequest) -> HttpResponse:
    """Every running and overdue clock of the board, overdue first, filterable by kind and agency."""
    form, rows = _filtered(request)
    audit_access(by=request.user, action="deadlines.viewed", detail={"rows": len(rows)})
    query = request.GET.urlencode()
    return render(request, "deadlines/list.html", {
        "form": form, "rows": rows, "overdue": sum(1 for d in rows if d.overdue), "query": query})


@allowed_if(has_board_wide_case_role)
def deadline_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list as filtered, as CSV or Excel; every cell made safe from formulas."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    _, rows = _filtered(request)
    board = request.user.board
    audit_access(by=request.user, action="deadlines.exported", detail={"rows": len(rows), "format": fmt})
    name = f"deadlines-{today():%Y-%m-%d}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([board.protective_marking])
        writer.writerow(HEADINGS)
        for d in rows:
            writer.writerow(neutralise_row(_cells(d)))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Deadlines"
        mark_sheet(sheet, board.protective_marking, len(HEADINGS))
        sheet.append(HEADINGS)
        for d in rows:
            sheet.append(neutralise_row(_cells(d)))
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


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
        "can_list": has_board_wide_case_role(request.user),
    })
