from django.db.models import Prefetch, QuerySet
from django.http import Http404

from casereview.core.permissions import is_board_member

from .models import Agency, Committee, CommitteeMembership, User
from .roles import AGENCY_ROLES, Role


def agencies_for(user) -> QuerySet[Agency]:
    if not is_board_member(user):
        return Agency.objects.none()
    return Agency.objects.filter(board_id=user.board_id)


def agency_get_for(user, agency_id: int) -> Agency:
    agency = agencies_for(user).filter(pk=agency_id).first()
    if agency is None:
        raise Http404("No agency found")
    return agency


def committees_for(user) -> QuerySet[Committee]:
    if not is_board_member(user):
        return Committee.objects.none()
    members = CommitteeMembership.objects.select_related("user", "represents")
    return Committee.objects.filter(board_id=user.board_id).prefetch_related(Prefetch("memberships", members))


def committee_get_for(user, committee_id: int) -> Committee:
    committee = committees_for(user).filter(pk=committee_id).first()
    if committee is None:
        raise Http404("No committee found")
    return committee


def people_for(user) -> QuerySet[User]:
    if not is_board_member(user):
        return User.objects.none()
    return User.objects.filter(board_id=user.board_id).select_related("agency").prefetch_related("role_grants")


def person_get_for(user, person_id: int) -> User:
    person = people_for(user).filter(pk=person_id).first()
    if person is None:
        raise Http404("No person found")
    return person


def membership_get_for(user, committee: Committee, membership_id: int) -> CommitteeMembership:
    membership = (CommitteeMembership.objects.select_related("user", "represents", "committee")
                  .filter(pk=membership_id, committee=committee, committee__board_id=user.board_id).first())
    if membership is None:
        raise Http404("No such member")
    return membership


def agency_request_recipients(agency_id: int, *, leads_only: bool = False) -> list[User]:
    """Who receives a request for an agency (a chronology, a summary of involvement, actions to propose): its
    active safeguarding leads and authors with an email address, or only its leads where only a lead may answer
    (the call for information at referral stage). In username order, so emails and "delivered to" read the same
    every time."""
    roles = [Role.AGENCY_LEAD] if leads_only else sorted(AGENCY_ROLES)
    return list(User.objects.filter(agency_id=agency_id, is_active=True, role_grants__role__in=roles)
                .exclude(email="").distinct().order_by("username"))


def agencies_without_recipient(agencies, *, leads_only: bool = False) -> list[Agency]:
    """The agencies a request would reach nobody at (one query, whatever the number of agencies)."""
    agencies = list(agencies)
    roles = [Role.AGENCY_LEAD] if leads_only else sorted(AGENCY_ROLES)
    reached = set(User.objects.filter(agency__in=agencies, is_active=True, role_grants__role__in=roles)
                  .exclude(email="").values_list("agency_id", flat=True))
    return [agency for agency in agencies if agency.pk not in reached]
