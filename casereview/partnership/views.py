from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.forms import apply_service, refuse
from casereview.core.permissions import can_manage_board, is_board_member
from casereview.lib.clocks import get_pack

from . import selectors, services
from .forms import (
    AgencyForm,
    ClosureDayForm,
    CommitteeForm,
    JoinForm,
    MembershipForm,
    PersonForm,
    RulePackForm,
)
from .models import Agency, ClosureDay, Committee, CommitteeMembership, User


@allowed_if(is_board_member)
def board_overview(request: HttpRequest) -> HttpResponse:
    board = request.user.board
    return render(request, "partnership/board.html", {
        "board": board,
        "rule_pack": get_pack(board.rule_pack),
        "agencies": selectors.agencies_for(request.user),
        "committees": selectors.committees_for(request.user),
        "can_manage": can_manage_board(request.user),
    })


@allowed_if(is_board_member)
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/agency_list.html", {
        "agencies": selectors.agencies_for(request.user), "can_manage": can_manage_board(request.user),
    })


@allowed_if(can_manage_board)
def agency_edit(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    agency = selectors.agency_get_for(request.user, agency_id) if agency_id else Agency()
    form = AgencyForm(request.POST or None, instance=agency, board=request.user.board,
                      initial=version_initial(agency))
    if request.method == "POST":
        ok, saved = apply_service(form, lambda: services.agency_save(
            by=request.user, agency=form.save(commit=False), version=form.cleaned_data["version"]))
        if ok:
            messages.success(request, f"{saved.name} saved")
            return redirect("partnership:agency_list")
    return render(request, "partnership/agency_form.html", {"form": form, "agency": agency})


@allowed_if(is_board_member)
def committee_list(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/committee_list.html", {"committees": selectors.committees_for(request.user),
                                                               "can_manage": can_manage_board(request.user)})


@allowed_if(is_board_member)
def committee_detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = selectors.committee_get_for(request.user, committee_id)
    return render(request, "partnership/committee_detail.html",
                  {"committee": committee, "can_manage": can_manage_board(request.user)})


@allowed_if(is_board_member)
def people_list(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/people_list.html", {
        "people": selectors.people_for(request.user), "can_manage": can_manage_board(request.user),
    })


@allowed_if(can_manage_board)
def person_edit(request: HttpRequest, person_id: int | None = None) -> HttpResponse:
    person = selectors.person_get_for(request.user, person_id) if person_id else User()
    form = PersonForm(request.POST or None, instance=person, board=request.user.board,
                      initial=version_initial(person))
    if request.method == "POST":
        creating = person.pk is None
        ok, saved = apply_service(form, lambda: services.person_save(
            by=request.user, person=form.save(commit=False), roles=set(form.cleaned_data["roles"]),
            version=form.cleaned_data["version"]))
        if ok:
            messages.success(request, f"{saved} {'added and sent an invitation email' if creating else 'saved'}")
            return redirect("partnership:people_list")
    return render(request, "partnership/person_form.html", {"form": form, "person": person})


@allowed_if(can_manage_board)
@require_POST
def person_invite(request: HttpRequest, person_id: int) -> HttpResponse:
    """A fresh invitation for someone who has not joined yet (the old link stops working)."""
    person = selectors.person_get_for(request.user, person_id)
    try:
        services.person_reinvite(by=request.user, person=person)
    except services.PartnershipError as error:
        refuse(request, error)
    else:
        messages.success(request, f"A new invitation is on its way to {person.email}")
    return redirect("partnership:person_edit", person.pk)


@allowed_if(can_manage_board)
def timescales(request: HttpRequest) -> HttpResponse:
    """The board's rule pack and its extra closure days, which every working-day clock counts."""
    board = request.user.board
    action = request.POST.get("action")
    pack_form = RulePackForm(request.POST if action == "pack" else None,
                             initial={"pack": board.rule_pack, **version_initial(board)})
    day_form = ClosureDayForm(request.POST if action == "closure" else None)
    if action == "pack":
        ok, _ = apply_service(pack_form, lambda: services.board_set_rule_pack(
            by=request.user, board=board, pack=pack_form.cleaned_data["pack"],
            version=pack_form.cleaned_data["version"]))
        if ok:
            messages.success(request, "The board's timescales are changed")
            return redirect("partnership:timescales")
    if action == "closure" and day_form.is_valid():
        try:
            services.closure_day_add(by=request.user, board=board, **day_form.cleaned_data)
        except services.PartnershipError as error:
            day_form.add_error("date", str(error))
        else:
            messages.success(request, "Closure day added")
            return redirect("partnership:timescales")
    return render(request, "partnership/timescales.html", {
        "board": board, "pack": get_pack(board.rule_pack), "forms": [pack_form, day_form],
        "pack_form": pack_form, "day_form": day_form, "closure_days": board.closure_days.all(),
    })


@allowed_if(can_manage_board)
@require_POST
def closure_day_remove(request: HttpRequest, day_id: int) -> HttpResponse:
    day = ClosureDay.objects.filter(pk=day_id, board_id=request.user.board_id).first()
    if day is None:
        raise Http404("No such closure day")
    services.closure_day_remove(by=request.user, day=day)
    messages.success(request, "Closure day removed")
    return redirect("partnership:timescales")


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/account.html")


# --- Joining: the invitation link, a password, then two-factor set-up -----------------------------------------

def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link. A valid link asks for a password, signs the person in and goes on to two-factor
    set-up; an expired, used or unknown link says so and offers the way on."""
    from allauth.account.internal.flows.login import perform_login, record_authentication
    from allauth.account.models import Login

    from .invitations import LinkState, accept_invitation, check_invitation

    checked = check_invitation(token)
    if checked.state is not LinkState.VALID:
        status = 404 if checked.state is LinkState.INVALID else 410
        return render(request, "partnership/join_unavailable.html",
                      {"state": checked.state.value, "token": token}, status=status)
    person = checked.user
    form = JoinForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        person = accept_invitation(person=person, password=form.cleaned_data["password1"])
        if request.user.is_authenticated:
            from django.contrib.auth import logout

            logout(request)
        response = perform_login(request, Login(user=person, email=person.email,
                                                redirect_url=reverse("mfa_activate_totp")))
        # The person typed their new password a moment ago: that counts as a fresh sign-in, so setting up
        # the authenticator does not ask for the password again.
        record_authentication(request, person, method="password", email=person.email, reauthenticated=True)
        return response
    return render(request, "partnership/join.html", {"form": form, "person": person, "board": person.board})


@require_POST
def join_renew(request: HttpRequest, token: str) -> HttpResponse:
    """An expired link asks for a new one: it goes to the address already on the account, never elsewhere."""
    from .invitations import LinkState, check_invitation, renew_invitation

    checked = check_invitation(token)
    if checked.state is LinkState.EXPIRED:
        renew_invitation(person=checked.user)
    return render(request, "partnership/join_renewed.html", {"state": checked.state.value})


# --- Committees: terms of reference, rhythm, quorum and members -----------------------------------------------

@allowed_if(can_manage_board)
def committee_edit(request: HttpRequest, committee_id: int | None = None) -> HttpResponse:
    committee = selectors.committee_get_for(request.user, committee_id) if committee_id else Committee()
    form = CommitteeForm(request.POST or None, instance=committee, initial=version_initial(committee))
    if request.method == "POST":
        ok, saved = apply_service(form, lambda: services.committee_save(
            by=request.user, committee=form.save(), version=form.cleaned_data["version"]))
        if ok:
            messages.success(request, f"{saved.name} saved")
            return redirect("partnership:committee_detail", saved.pk)
    return render(request, "partnership/committee_form.html", {"form": form, "committee": committee})


@allowed_if(can_manage_board)
def membership_edit(request: HttpRequest, committee_id: int, membership_id: int | None = None) -> HttpResponse:
    committee = selectors.committee_get_for(request.user, committee_id)
    membership = (selectors.membership_get_for(request.user, committee, membership_id) if membership_id
                  else CommitteeMembership(committee=committee))
    form = MembershipForm(request.POST or None, instance=membership, board=request.user.board,
                          initial=version_initial(membership))
    if request.method == "POST":
        ok, saved = apply_service(form, lambda: services.membership_save(
            by=request.user, membership=form.save(commit=False), version=form.cleaned_data["version"]))
        if ok:
            roles = f" and now holds the role {', '.join(saved.roles_added)}" if saved.roles_added else ""
            messages.success(request, f"{saved.user} is {saved.get_position_display().lower()} of {committee.name}"
                                      f"{roles}")
            return redirect("partnership:committee_detail", committee.pk)
    return render(request, "partnership/membership_form.html",
                  {"form": form, "committee": committee, "membership": membership})


@allowed_if(can_manage_board)
@require_POST
def membership_remove(request: HttpRequest, committee_id: int, membership_id: int) -> HttpResponse:
    committee = selectors.committee_get_for(request.user, committee_id)
    membership = selectors.membership_get_for(request.user, committee, membership_id)
    services.membership_remove(by=request.user, membership=membership)
    messages.success(request, f"{membership.user} is no longer a member of {committee.name}")
    return redirect("partnership:committee_detail", committee.pk)
