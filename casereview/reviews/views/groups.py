"""The Review Group, the Case Group and the family's involvement."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .. import forms as f
from .. import services
from ..models import (
    CaseGroupMember,
    ReviewMember,
)
from ..permissions import (
    can_manage_reviews,
    is_lead_reviewer_of,
)
from .base import _apply, _get_review, _manage, _page, _yes


@login_required
def people(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    form = f.MemberForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied

        def call(d):
            services.member_add(by=request.user, review=review, user=d["user"], role=d["role"],
                                has_conflict=_yes(d["has_conflict"]), conflict_details=d["conflict_details"],
                                involved_in_case=_yes(d["involved_in_case"]))

        if _apply(form, call):
            messages.success(request, f"{form.cleaned_data['user']} added to the Review Group")
            return redirect("reviews:people", review_id=review.pk)
    return _page(request, review, "reviews/people.html", "people", {
        "form": form,
        "members": review.members.filter(removed_at__isnull=True).select_related("user", "user__agency",
                                                                                 "represents"),
        "removed": review.members.filter(removed_at__isnull=False).select_related("user")})


@login_required
@require_POST
def member_remove(request: HttpRequest, review_id: int, member_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    member = get_object_or_404(ReviewMember, pk=member_id, review=review, removed_at__isnull=True)
    services.member_remove(by=request.user, member=member)
    messages.success(request, f"{member.user} removed from the Review Group")
    return redirect("reviews:people", review_id=review.pk)


@login_required
def case_group(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    form = f.CaseGroupAddForm(request.POST or None, review=review) if can_manage_reviews(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _apply(form, lambda d: services.case_group_add(by=request.user, review=review, **d)):
            messages.success(request, f"{form.cleaned_data['user']} added to the Case Group")
            return redirect("reviews:case_group", review_id=review.pk)
    members = review.case_group.select_related("user", "agency")
    return _page(request, review, "reviews/case_group.html", "case_group", {
        "form": form, "members": members,
        "status_forms": {m.pk: f.CaseGroupStatusForm(prefix=f"m{m.pk}") for m in members},
        "suggested": services.case_group_candidates(review)[:20] if form else []})


@login_required
@require_POST
def case_group_status(request: HttpRequest, review_id: int, member_id: int) -> HttpResponse:
    review = _get_review(request, review_id, _manage)
    member = get_object_or_404(CaseGroupMember, pk=member_id, review=review)
    form = f.CaseGroupStatusForm(request.POST, prefix=f"m{member.pk}")
    if _apply(form, lambda d: services.case_group_update(by=request.user, member=member, **d)):
        messages.success(request, f"{member.user}: {member.get_status_display().lower()}")
        return redirect("reviews:case_group", review_id=review.pk)
    members = review.case_group.select_related("user", "agency")
    status_forms = {m.pk: f.CaseGroupStatusForm(prefix=f"m{m.pk}") for m in members}
    status_forms[member.pk] = form
    return _page(request, review, "reviews/case_group.html", "case_group", {
        "form": f.CaseGroupAddForm(review=review), "members": members, "status_forms": status_forms,
        "forms": [form], "suggested": services.case_group_candidates(review)[:20]})


@login_required
def family(request: HttpRequest, review_id: int) -> HttpResponse:
    review = _get_review(request, review_id)
    editable = can_manage_reviews(request.user) or is_lead_reviewer_of(request.user, review)
    initial = {k: getattr(review, k) for k in ("family_status", "family_invited_on", "family_how",
                                                "family_expectations", "family_contributions")}
    form = f.FamilyForm(request.POST or None, initial=initial) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _apply(form, lambda d: services.family_update(by=request.user, review=review, **d)):
            messages.success(request, "Family involvement saved")
            return redirect("reviews:family", review_id=review.pk)
    return _page(request, review, "reviews/family.html", "family", {"form": form})


