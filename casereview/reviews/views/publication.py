"""Publication, the publication statement and the public page.

The Business Manager runs publication: each action checks that role first (`allowed_if`), then finds the
review in scope or 404s; the page offers what `selectors.publication_actions` says.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from casereview.audit.context import client_ip
from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.forms import apply_service
from casereview.lib.dates import today as local_today
from casereview.partnership.models import Board

from .. import forms as f
from .. import selectors, services
from ..forms import publication as pf
from ..models import ReportRequest, Review
from ..permissions import can_manage_reviews, can_use_reviews
from .base import _page, submit
from .report import _file_response


def _impact_initial(review: Review) -> dict:
    impact = selectors.publication_impact(review)
    checklist = {} if impact is None else {name: getattr(impact, name) for name in pf.ImpactForm.base_fields
                                           if name != "version"}
    return {**checklist, **version_initial(review, "impact_version")}


def _publication_page(request, review, **bound) -> HttpResponse:
    today = local_today()
    planned = review.planned_publication_on
    requests = list(review.report_requests.all())
    return _page(request, review, "reviews/publication.html", "publication", {
        "blockers": services.publication_blockers(review, today),
        "actions": selectors.publication_actions(request.user, review),
        "impact": selectors.publication_impact(review),
        "impact_form": bound.get("impact_form") or pf.ImpactForm(prefix="imp", initial=_impact_initial(review)),
        "confirm_form": bound.get("confirm_form") or pf.ConfirmPublishForm(prefix="pub"),
        "report_requests": requests,
        "request_form": bound.get("request_form") or pf.ReportRequestForm(prefix="req"),
        "answer_forms": {r.pk: _bound_or_new(bound.get("answer_form"), f"ans{r.pk}", pf.ReportAnswerForm)
                         for r in requests if not r.answered_on},
        "panel_due": selectors.prepublication_due(review, planned) if planned else None,
        "panel_clock": selectors.prepublication_clock(review),
        "online_until": selectors.online_until(review),
        "latest": selectors.latest_version(review),
        "plan_form": bound.get("plan_form") or f.PlanForm(
            prefix="plan", initial={"planned_publication_on": planned, **version_initial(review, "plan_version")}),
        "panel_form": bound.get("panel_form") or f.PanelCopyForm(prefix="panel"),
        "statement_form": bound.get("statement_form") or f.StatementForm(
            prefix="st", initial={**selectors.statement_prefill(review), **version_initial(review)}),
        "not_form": bound.get("not_form") or f.NotPublishForm(prefix="not"),
        "forms": list(bound.values())})


def _bound_or_new(bound, prefix: str, form_class):
    return bound if bound is not None and bound.prefix == prefix else form_class(prefix=prefix)


@allowed_if(can_use_reviews)
def publication(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    return _publication_page(request, review)


def _publication_post(form_name: str, form_class, prefix: str, service, success: str):
    """One of the Business Manager's forms on the publication page, handed to its service."""

    @allowed_if(can_manage_reviews)
    @require_POST
    def view(request: HttpRequest, review_id: int) -> HttpResponse:
        review = selectors.review_get_for_user(request.user, review_id)
        form = form_class(request.POST, prefix=prefix)
        ok, _ = submit(form, service, by=request.user, review=review)
        if ok:
            messages.success(request, success)
            return redirect("reviews:publication", review_id=review.pk)
        return _publication_page(request, review, **{form_name: form})

    return view


publication_plan = _publication_post("plan_form", f.PlanForm, "plan", services.publication_plan,
                                     "Planned publication date saved")
panel_copy = _publication_post("panel_form", f.PanelCopyForm, "panel", services.panel_copy_sent,
                               "Panel copy recorded as sent")
statement = _publication_post("statement_form", f.StatementForm, "st", services.statement_update, "Statement saved")
impact = _publication_post("impact_form", pf.ImpactForm, "imp", services.publication_impact_update,
                           "Managing the impact of publication saved")
report_request = _publication_post("request_form", pf.ReportRequestForm, "req", services.report_request_log,
                                   "Request logged")
not_publish = _publication_post("not_form", f.NotPublishForm, "not", services.review_not_publish,
                                "The decision not to publish has been recorded")


@allowed_if(can_manage_reviews)
@require_POST
def publish(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    form = pf.ConfirmPublishForm(request.POST, prefix="pub")
    ok, _ = apply_service(form, lambda: services.review_publish(by=request.user, review=review,
                                                                 confirmed=form.cleaned_data["confirm"]))
    if ok:
        messages.success(request, "The report is published on the board's public page")
        return redirect("reviews:publication", review_id=review.pk)
    return _publication_page(request, review, confirm_form=form)


@allowed_if(can_manage_reviews)
@require_POST
def request_answer(request: HttpRequest, review_id: int, request_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    report_request = get_object_or_404(ReportRequest, pk=request_id, review=review)
    form = pf.ReportAnswerForm(request.POST, prefix=f"ans{report_request.pk}")
    ok, _ = submit(form, services.report_request_answer, by=request.user, request=report_request)
    if ok:
        messages.success(request, "Answer recorded")
        return redirect("reviews:publication", review_id=review.pk)
    return _publication_page(request, review, answer_form=form)


# --- The public page (no sign-in) ---------------------------------------------------------------------------
def public_list(request: HttpRequest, board_slug: str) -> HttpResponse:
    board = get_object_or_404(Board, slug=board_slug)
    return render(request, "reviews/public_list.html",
                  {"board": board, "rows": selectors.public_list_rows(board, local_today())})


def _client(request: HttpRequest) -> str:
    # The one reading of the client's address (it knows about the proxy in front of the service).
    return client_ip(request.META) or "unknown"


def _public_review(request: HttpRequest, board_slug: str, review_id: int) -> Review:
    board = get_object_or_404(Board, slug=board_slug)
    review = selectors.published_reviews(board).filter(pk=review_id).first()
    if review is None:
        raise Http404("No published report")
    until = selectors.online_until(review)
    if until is not None and local_today() > until:
        raise Http404("This report is available on request")
    return review


def _too_many() -> HttpResponse:
    response = HttpResponse("Too many downloads from your address: try again in an hour.", status=429,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "3600"
    return response


def public_download(request: HttpRequest, board_slug: str, review_id: int) -> HttpResponse:
    review = _public_review(request, board_slug, review_id)
    by = request.user if request.user.is_authenticated else None
    if not services.public_download_allowed(by=by, review=review, client=_client(request)):
        return _too_many()
    published = getattr(review, "published_report", None)
    if published is None:
        # Published before the service made an accessible PDF: the approved version as it was.
        return _file_response(review.published_version)
    return FileResponse(published.pdf.open("rb"), as_attachment=True, filename=f"{published.file_stem}.pdf",
                        content_type="application/pdf")


def public_download_original(request: HttpRequest, board_slug: str, review_id: int) -> HttpResponse:
    review = _public_review(request, board_slug, review_id)
    published = getattr(review, "published_report", None)
    if published is None or not published.original:
        raise Http404("The board offers this report as a PDF only")
    by = request.user if request.user.is_authenticated else None
    if not services.public_download_allowed(by=by, review=review, client=_client(request)):
        return _too_many()
    return FileResponse(published.original.open("rb"), as_attachment=True, filename=f"{published.file_stem}.docx",
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
