"""The Case Group consultation: opening it, answering comments, a member's own page and the link of a member
without an account."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if
from casereview.core.forms import refuse

from .. import forms as f
from .. import selectors, services
from ..models import CaseGroupComment
from ..permissions import can_use_reviews, may_write_reviews
from .base import _page, submit


@allowed_if(may_write_reviews)
@require_POST
def consultation_open(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    try:
        if review.consultation_opened_on and not review.consultation_closed_on:
            services.consultation_close(by=request.user, review=review)
            messages.success(request, "The consultation is closed")
        else:
            services.consultation_open(by=request.user, review=review)
            messages.success(request, "The Case Group has been asked for comments on the draft findings")
    except services.ReviewError as error:
        refuse(request, error)
    return redirect("reviews:findings", review_id=review.pk)


@allowed_if(may_write_reviews)
def comment_respond(request: HttpRequest, review_id: int, comment_id: int) -> HttpResponse:
    review = selectors.review_get_for_writer(request.user, review_id)
    comment = get_object_or_404(CaseGroupComment.objects.select_related("finding", "member__user"),
                                pk=comment_id, finding__review=review)
    form = f.ResponseForm(request.POST or None, initial={"outcome": comment.outcome, "response": comment.response,
                                                         "version": comment.version})
    if request.method == "POST":
        ok, _ = submit(form, services.comment_respond, by=request.user, comment=comment)
        if ok:
            messages.success(request, "Response recorded")
            return redirect("reviews:findings", review_id=review.pk)
    return _page(request, review, "reviews/respond.html", "findings", {"form": form, "comment": comment})


def _consultation_page(request, member, *, post_to: str, by):
    review = member.review
    is_open = bool(review.consultation_opened_on and not review.consultation_closed_on)
    form = f.CommentForm(request.POST or None, review=review) if is_open else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "The consultation on the draft findings is not open")
            return redirect(post_to)
        ok, _ = submit(form, services.comment_add, by=by, member=member)
        if ok:
            messages.success(request, "Thank you: your comment has been sent to the Review Group")
            return redirect(post_to)
    else:
        audit_access(by=by, action="review.consultation_viewed", obj=review,
                     detail={"member_id": member.pk, "through_link": member.user_id is None})
    return render(request, "reviews/consultation.html", {
        "review": review, "member": member, "form": form, "is_open": is_open, "post_to": post_to,
        "findings": review.findings.all(),
        "my_comments": CaseGroupComment.objects.filter(member=member).select_related("finding")})


@allowed_if(can_use_reviews)
def consultation(request: HttpRequest, review_id: int) -> HttpResponse:
    """A Case Group member's own page: the draft findings, their comments and the Review Group's replies."""
    member = selectors.case_group_membership(request.user, review_id)
    return _consultation_page(request, member, post_to=request.path, by=request.user)


def consultation_link(request: HttpRequest, secret: str) -> HttpResponse:
    """The same page for a practitioner without an account, through their own expiring link: it shows this
    review's draft findings and nothing else, and every use is audited."""
    member = selectors.consultation_member_for_link(secret)
    return _consultation_page(request, member, post_to=request.path, by=None)
