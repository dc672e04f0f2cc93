"""Publication, the publication statement and the public page."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casereview.partnership.models import Board

from .. import forms as f
from .. import selectors, services
from ..models import Review
from .base import _apply, _get_review, _manage, _page
from .report import _file_response


def _publication_page(request, review, **bound) -> HttpResponse:
    today = timezone.localdate()
    planned = review.planned_publication_on
    return _page(request, review, "reviews/publication.html", "publication", {
        "blockers": services.publication_blockers(review, today),
        "panel_due": selectors.prepublication_due(review, planned) if planned else None,
        "panel_clock": selectors.board_clock(review.board, ("prepublication-copy",)),
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
    from casereview.actions.selectors import publication_statement

    points = review.interim_points.filter(kind="corrective").select_related("agency")
    interim = [f"- {p.text}" + (f" ({p.agency})" if p.agency_id else "") for p in points]
    drafted = publication_statement(review)
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
not_publish = _publication_post(
    "not_form", f.NotPublishForm, "not",
    lambda by, review, d: services.review_not_publish(by=by, review=review, **d),
    "The decision not to publish has been recorded")


@login_required
@require_POST
def publish(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    try:
        services.review_publish(by=request.user, review=review)
    except services.ReviewError as error:
        messages.error(request, f"The report was not published. {error.message}")
    else:
        messages.success(request, "The report is published on the board's public page")
    return redirect("reviews:publication", review_id=review.pk)


# --- The public page (no sign-in) ---------------------------------------------------------------------------
def public_list(request: HttpRequest, board_slug: str) -> HttpResponse:
    board = get_object_or_404(Board, slug=board_slug)
    today = timezone.localdate()
    rows = []
    for review in selectors.published_reviews(board):
        until = selectors.online_until(review)
        rows.append({"review": review, "online_until": until, "online": until is None or today <= until})
    return render(request, "reviews/public_list.html", {"board": board, "rows": rows})


def public_download(request: HttpRequest, board_slug: str, review_id: int) -> HttpResponse:
    board = get_object_or_404(Board, slug=board_slug)
    review = selectors.published_reviews(board).filter(pk=review_id).first()
    if review is None:
        raise Http404("No published report")
    until = selectors.online_until(review)
    if until is not None and timezone.localdate() > until:
        raise Http404("This report is available on request")
    services.report_downloaded(by=request.user if request.user.is_authenticated else None, review=review,
                               version=review.published_version, public=True)
    return _file_response(review.published_version)
