"""The annual learning and improvement report, on screen and as Word or PDF."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if

from .. import documents, report
from ..forms import ReportYearForm
from ..permissions import can_use_library
from ..view_helpers import DOCX, PDF, download


def _report_year(request, year=None):
    years = report.years_for(request.user.board)
    form = ReportYearForm({"year": year or request.GET.get("year") or years[0]}, years=years)
    return form, (form.cleaned_data["year"] if form.is_valid() else None)


@allowed_if(can_use_library)
def annual_report(request: HttpRequest) -> HttpResponse:
    form, year = _report_year(request)
    built = report.build(request.user.board, year) if year else None
    return render(request, "learning/report.html", {"form": form, "report": built,
                                                    "doc": report.as_doc(built) if built else None})


def _report_download(request, year, what):
    _, chosen = _report_year(request, year)
    if chosen is None:
        raise Http404("No report for that year")
    doc = report.as_doc(report.build(request.user.board, chosen))
    audit_access(by=request.user, action="learning.annual_report_downloaded", board_id=request.user.board_id,
                 label=f"Annual report {chosen}", detail={"format": what})
    name = f"learning-annual-report-{chosen}"
    if what == "word":
        return download(documents.to_word(doc), f"{name}.docx", DOCX)
    return download(documents.to_pdf(doc), f"{name}.pdf", PDF)


@allowed_if(can_use_library)
def annual_report_word(request: HttpRequest, year: int) -> HttpResponse:
    return _report_download(request, year, "word")


@allowed_if(can_use_library)
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    return _report_download(request, year, "pdf")
