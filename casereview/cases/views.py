from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.cases.permissions import can_manage_case_access

from . import services
from .forms import GrantAccessForm
from .selectors import case_get_for_user, cases_visible_to


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/list.html", {"cases": cases_visible_to(request.user)})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(request.user, case_id)
    services.case_viewed(by=request.user, case=case)
    return render(request, "cases/detail.html", {
        "case": case,
        "people": case.people.all(),
        "agencies": case.case_agencies.select_related("agency"),
        "can_manage_access": can_manage_case_access(request.user, case),
    })


@login_required
def case_access(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(request.user, case_id)
    if not can_manage_case_access(request.user, case):
        raise PermissionDenied
    form = GrantAccessForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_access_grant(by=request.user, case=case, **form.cleaned_data)
        except services.CaseAccessError as error:
            form.add_error("user", str(error))
        else:
            messages.success(request, f"{form.cleaned_data['user']} can now see {case.reference}")
            return redirect("cases:access", case_id=case.pk)
    grants = case.access_grants.select_related("user", "granted_by")
    return render(request, "cases/access.html", {"case": case, "form": form, "grants": grants})


@login_required
@require_POST
def case_access_revoke(request: HttpRequest, case_id: int, grant_id: int) -> HttpResponse:
    case = case_get_for_user(request.user, case_id)
    if not can_manage_case_access(request.user, case):
        raise PermissionDenied
    grant = case.access_grants.filter(pk=grant_id, revoked_at__isnull=True).select_related("user").first()
    if grant is None:
        raise Http404("No such access")
    services.case_access_revoke(by=request.user, grant=grant)
    messages.success(request, f"{grant.user} can no longer see {case.reference}")
    return redirect("cases:access", case_id=case.pk)
