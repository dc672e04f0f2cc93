"""Publication, the publication statement and the public page."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from casereview.audit.context import client_ip
from casereview.lib.dates import today as local_today
from casereview.partnership.models import Board

from .. import forms as f
from .. import hooks, selectors, services
from ..forms import publication as pf
from ..models import ReportRequest, Review
from .base import _apply, _get_review, _manage, _page
from .report import _file_response


def _impact_initial(review: Review) -> dict:
    impact = selectors.publication_impact(review)
    if impact is None:
        return {}
    return {name: getattr(impact, name) for name in pf.ImpactForm.base_fields}


def _publication_page(request, review, **bound) -> HttpResponse:
    today = local_today()
    planned = review.planned_publication_on
    requests = list(review.report_requests.all())
    return _page(request, review, "reviews/publication.html", "publication", {
        "blockers": services.publication_blockers(review, today),
        # What the page offers is decided here, not by comparing status strings in the template.
        "state": {"published": review.status == Review.Status.PUBLISHED,
                  "not_published": review.status == Review.Status.NOT_PUBLISHED,
                  "approved": review.status == Review.Status.APPROVED},
        "impact": selectors.publication_impact(review),
        "impact_form": bound.get("impact_form") or pf.ImpactForm(prefix="imp", initial=_impact_initial(review)),
        "confirm_form": bound.get("confirm_form") or pf.ConfirmPublishForm(prefix="pub"),
        "report_requests": requests,
        "request_form": bound.get("request_form") or pf.ReportRequestForm(prefix="req"),
        "answer_forms": {r.pk: pf.ReportAnswerForm(prefix=f"ans{r.pk}") for r in requests if not r.answered_on},
        "panel_due": selectors.prepublication_due(review, planned) if planned else None,
        "panel_clock": selectors.prepublication_clock(review),
        "online_until": selectors.online_until(review),
        "latest": selectors.latest_version(review),
        "plan_form": bound.get("plan_form") or f.PlanForm(prefix="plan", initial={"planned_publication_on": planned}),
        "panel_form": bound.get("panel_form") or f.PanelCopyForm(prefix="panel"),
        "statement_form": bound.get("statement_form") or f.StatementForm(prefix="st",
                                                                         initial=_statement_prefill(review)),
        "not_form": bound.get("not_form") or f.NotPublishForm(prefix="not"),
        "forms": list(bound.values())})


def _statement_prefill(review: Review) -> dict[str, str]:
    """Saved text wins; otherwise a draft from the corrective actions recorded during the review (the first
    actions already taken) and from the review's action plans."""
    points = review.interim_points.filter(kind="corrective").select_related("agency")
    interim = [f"- {p.text}" + (f" ({p.agency})" if p.agency_id else "") for p in points]
    drafted = hooks.statement_draft(review)
    return {
        "statement_actions_taken": review.statement_actions_taken
        or "\n".join(filter(None, [*interim, drafted["actions_taken"]])),
        "statement_impact": review.statement_impact or drafted["impact"],
        "statement_what_more": review.statement_what_more or drafted["what_more"],
    }


@login_required
def publication(request: HttpRequest, review_id: int) -> HttpResponse:
    return _publication_page(request, _get_review(request, review_id))


def _publication_post(form_name: str, form_class, prefix: str, call, success: str):
    @login_required
    @require_POST
    def view(request: HttpRequest, review_id: int) -> HttpResponse:
        review = _get_review(request, review_id, _manage)
        form = form_class(request.POST, prefix=prefix)
        if _apply(form, lambda d: call(request.user, review, d)):
            messages.success(request, success)
            return redirect("reviews:publication", review_id=review.pk)
        return _publication_page(request, review, **{form_name: form})

    return view


publication_plan = _publication_post(
    "plan_form", f.PlanForm, "plan",
    lambda by, review, d: services.publication_plan(by=by, review=review, **d), "Planned publication date saved")
panel_copy = _publication_post(
    "panel_form", f.PanelCopyForm, "panel",
    lambda by, review, d: services.panel_copy_sent(by=by, review=review, **d), "Panel copy recorded as sent")
statement = _publication_post(
    "statement_form", f.StatementForm, "st",
    lambda by, review, d: services.statement_update(by=by, review=review, **d), "Statement saved")
impact = _publication_post(
    "impact_form", pf.ImpactForm, "imp",
    lambda by, review, d: services.publication_impact_update(by=by, review=review, **d),
    "Managing the impact of publication saved")
report_request = _publication_post(
    "request_form", pf.ReportRequestForm, "req",
    lambda by, review, d: services.report_request_log(by=by, review=review, **d), "Request logged")
not_publish = _publication_post(
    "not_form", f.NotPublishForm, "not",
    lambda by, review, d: services.review_not_publish(by=by, review=review, **d),
    "The decision not to publish has been recorded")


@login_required
@require_POST
def publish(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    form = pf.ConfirmPublishForm(request.POST, prefix="pub")
    if _apply(form, lambda d: services.review_publish(by=request.user, review=review, confirmed=d["confirm"])):
        messages.success(request, "The report is published on the board's public page")
        return redirect("reviews:publication", review_id=review.pk)
    return _publication_page(request, review, confirm_form=form)


@login_required
@require_POST
def request_answer(request: HttpRequest, review_id: int, request_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    report_request = get_object_or_404(ReportRequest, pk=request_id, review=review)
    form = pf.ReportAnswerForm(request.POST, prefix=f"ans{report_request.pk}")
    if _apply(form, lambda d: services.report_request_answer(by=request.user, request=report_request, **d)):
        messages.success(request, "Answer recorded")
        return redirect("reviews:publication", review_id=review.pk)
    messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reviews:publication", review_id=review.pk)


# --- The public page (no sign-in) ---------------------------------------------------------------------------
def public_list(request: HttpRequest, board_slug: str) -> HttpResponse:
    board = get_object_or_404(Board, slug=board_slug)
    today = local_today()
    rows = []
    for review in selectors.published_reviews(board):
        until = selectors.online_until(review)
        published = getattr(review, "published_report", None)
        rows.append({"review": review, "online_until": until, "online": until is None or today <= until,
                     "published": published,
                     "pdf_size": published.pdf.size if published is not None and published.pdf else None})
    return render(request, "reviews/public_list.html", {"board": board, "rows": rows})


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
