"""The Review Group, the Case Group and the family's involvement."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if

from .. import forms as f
from .. import selectors, services
from ..models import CaseGroupMember, ReviewMember
from ..permissions import can_manage_reviews, can_use_reviews, may_write_reviews
from .base import _page, posts_allowed_if, submit


@allowed_if(can_use_reviews)
@posts_allowed_if(can_manage_reviews)
def people(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    form = f.MemberForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        ok, member = submit(form, services.member_add, by=request.user, review=review)
        if ok:
            messages.success(request, f"{member.user} added to the Review Group")
            return redirect("reviews:people", review_id=review.pk)
    return _page(request, review, "reviews/people.html", "people", {
        "form": form,
        "members": review.members.filter(removed_at__isnull=True).select_related("user", "user__agency",
                                                                                 "represents"),
        "removed": review.members.filter(removed_at__isnull=False).select_related("user")})


@allowed_if(can_manage_reviews)
@require_POST
def member_remove(request: HttpRequest, review_id: int, member_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    member = get_object_or_404(ReviewMember, pk=member_id, review=review, removed_at__isnull=True)
    services.member_remove(by=request.user, member=member)
    messages.success(request, f"{member.user} removed from the Review Group")
    return redirect("reviews:people", review_id=review.pk)


def _case_group_page(request, review, form=None, status_form=None, status_member=None) -> HttpResponse:
    manage = can_manage_reviews(request.user)
    members = review.case_group.select_related("user", "agency")
    status_forms = {m.pk: f.CaseGroupStatusForm(prefix=f"m{m.pk}") for m in members}
    if status_form is not None:
        status_forms[status_member.pk] = status_form
    return _page(request, review, "reviews/case_group.html", "case_group", {
        "form": (form or f.CaseGroupAddForm(review=review)) if manage else None, "members": members,
        "status_forms": status_forms, "forms": [x for x in (status_form,) if x is not None],
        "suggested": services.case_group_candidates(review)[:20] if manage else []})


@allowed_if(can_use_reviews)
@posts_allowed_if(can_manage_reviews)
def case_group(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    if request.method == "POST":
        form = f.CaseGroupAddForm(request.POST, review=review)
        ok, member = submit(form, services.case_group_add, by=request.user, review=review)
        if ok:
            messages.success(request, f"{member.display_name} added to the Case Group")
            return redirect("reviews:case_group", review_id=review.pk)
        return _case_group_page(request, review, form=form)
    return _case_group_page(request, review)


@allowed_if(can_manage_reviews)
@require_POST
def case_group_status(request: HttpRequest, review_id: int, member_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    member = get_object_or_404(CaseGroupMember, pk=member_id, review=review)
    form = f.CaseGroupStatusForm(request.POST, prefix=f"m{member.pk}")
    ok, member = submit(form, services.case_group_update, by=request.user, member=member)
    if ok:
        messages.success(request, f"{member.display_name}: {member.get_status_display().lower()}")
        return redirect("reviews:case_group", review_id=review.pk)
    return _case_group_page(request, review, status_form=form,
                            status_member=get_object_or_404(CaseGroupMember, pk=member_id, review=review))


@allowed_if(can_use_reviews)
@posts_allowed_if(may_write_reviews)
def family(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get_for_user(request.user, review_id)
    actions = selectors.review_actions(request.user, review)
    form = None
    if actions.edit_family:
        initial = {k: getattr(review, k) for k in ("family_status", "family_invited_on", "family_how",
                                                    "family_expectations", "family_contributions", "version")}
        form = f.FamilyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        review = selectors.review_get_for_writer(request.user, review_id)
        ok, _ = submit(form, services.family_update, by=request.user, review=review)
        if ok:
            messages.success(request, "Family involvement saved")
            return redirect("reviews:family", review_id=review.pk)
    return _page(request, review, "reviews/family.html", "family", {"form": form})
