"""The Case Group consultation: opening it, answering comments, a member's own page."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import selectors, services
from ..models import CaseGroupComment
from .base import _apply, _get_review, _page, _write


@login_required
@require_POST
def consultation_open(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    try:
        if review.consultation_opened_on and not review.consultation_closed_on:
            services.consultation_close(by=request.user, review=review)
            messages.success(request, "The consultation is closed")
        else:
            services.consultation_open(by=request.user, review=review)
            messages.success(request, "The Case Group has been asked for comments on the draft findings")
    except services.ReviewError as error:
        messages.error(request, error.message)
    return redirect("reviews:findings", review_id=review.pk)


@login_required
def comment_respond(request: HttpRequest, review_id: int, comment_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _write)
    comment = get_object_or_404(CaseGroupComment.objects.select_related("finding", "member__user"),
                                pk=comment_id, finding__review=review)
    form = f.ResponseForm(request.POST or None, initial={"outcome": comment.outcome, "response": comment.response})
    if request.method == "POST" and _apply(
            form, lambda d: services.comment_respond(by=request.user, comment=comment, **d)):
        messages.success(request, "Response recorded")
        return redirect("reviews:findings", review_id=review.pk)
    return _page(request, review, "reviews/respond.html", "findings", {"form": form, "comment": comment})


@login_required
def consultation(request: HttpRequest, review_id: int) -> HttpResponse:
    """A Case Group member's own page: the draft findings, their comments and the Review Group's replies."""
    member = selectors.case_group_membership(request.user, review_id)
    review = member.review
    is_open = bool(review.consultation_opened_on and not review.consultation_closed_on)
    form = f.CommentForm(request.POST or None, review=review) if is_open else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "The consultation on the draft findings is not open")
            return redirect("reviews:consultation", review_id=review.pk)
        if _apply(form, lambda d: services.comment_add(by=request.user, member=member, **d)):
            messages.success(request, "Thank you: your comment has been sent to the Review Group")
            return redirect("reviews:consultation", review_id=review.pk)
    return render(request, "reviews/consultation.html", {
        "review": review, "member": member, "form": form, "is_open": is_open,
        "findings": review.findings.all(),
        "my_comments": CaseGroupComment.objects.filter(member=member).select_related("finding")})


