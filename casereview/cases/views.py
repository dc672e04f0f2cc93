from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.cases.permissions import can_manage_case_access
from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.forms import apply_service
from casereview.core.permissions import can_manage_board, is_board_member

from . import services
from .forms import CaseFilterForm, GrantAccessForm, PseudonymForm
from .selectors import case_get_for_user, cases_filtered, cases_visible_to


@allowed_if(is_board_member)
def case_list(request: HttpRequest) -> HttpResponse:
    years = sorted({d.year for d in cases_visible_to(request.user).dates("opened_at", "year")}, reverse=True)
    form = CaseFilterForm(request.GET or None, user=request.user, years=years)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = cases_filtered(request.user, q=(filters.get("q") or "").strip(), agency=filters.get("agency"),
                           year=filters.get("year"))
    return render(request, "cases/list.html", {"cases": cases, "form": form, "filtered": any(filters.values())})


@allowed_if(can_manage_board)
def case_pseudonym(request: HttpRequest, case_id: int) -> HttpResponse:
    """The Business Manager changes how a case is known (pseudonyms are unique within the board)."""
    case = case_get_for_user(request.user, case_id)
    form = PseudonymForm(request.POST or None, initial={"pseudonym": case.pseudonym, **version_initial(case)})
    if request.method == "POST":
        ok, saved = apply_service(form, lambda: services.case_set_pseudonym(
            by=request.user, case=case, pseudonym=form.cleaned_data["pseudonym"],
            version=form.cleaned_data["version"]))
        if ok:
            messages.success(request, f"{saved.reference} is now known as {saved.pseudonym}")
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/pseudonym.html", {"case": case, "form": form})


@allowed_if(is_board_member)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(request.user, case_id)
    services.case_viewed(by=request.user, case=case)
    return render(request, "cases/detail.html", {
        "case": case,
        "people": case.people.all(),
        "agencies": case.case_agencies.select_related("agency"),
        "can_manage_access": can_manage_case_access(request.user, case),
        "can_rename": can_manage_board(request.user),
    })


@allowed_if(can_manage_board)
def case_access(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(request.user, case_id)
    form = GrantAccessForm(request.POST or None, case=case)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.case_access_grant(by=request.user, case=case,
                                                                        **form.cleaned_data))
        if ok:
            messages.success(request, f"{form.cleaned_data['user']} can now see {case.reference}")
            return redirect("cases:access", case_id=case.pk)
    grants = case.access_grants.select_related("user", "granted_by")
    return render(request, "cases/access.html", {"case": case, "form": form, "grants": grants})


@allowed_if(can_manage_board)
@require_POST
def case_access_revoke(request: HttpRequest, case_id: int, grant_id: int) -> HttpResponse:
    case = case_get_for_user(request.user, case_id)
    grant = case.access_grants.filter(pk=grant_id, revoked_at__isnull=True).select_related("user").first()
    if grant is None:
        raise Http404("No such access")
    services.case_access_revoke(by=request.user, grant=grant)
    messages.success(request, f"{grant.user} can no longer see {case.reference}")
    return redirect("cases:access", case_id=case.pk)
