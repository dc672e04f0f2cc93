"""Changes to the board's agencies and people. Each runs in one transaction with its audit event."""

from django.db import transaction

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version
from casereview.core.errors import ServiceError
from casereview.lib.formats import long_date

from .models import Agency, Board, ClosureDay, Committee, CommitteeMembership, RoleGrant, User
from .roles import AGENCY_ROLES, Role


class PartnershipError(ServiceError):
    """A change that breaks a rule of the partnership; the message says what to fix."""


def agency_save(*, by: User, agency: Agency, version: int | None = None) -> Agency:
    """Add or change an agency; `version` is the agency's version when the form was opened (a stale save is
    refused: someone else changed the agency in between)."""
    creating = agency.pk is None
    agency.board_id = by.board_id
    with transaction.atomic():
        if not creating:
            claim_version(agency, version, "agency")
        agency.save()
        audit_record(by=by, action="agency.created" if creating else "agency.updated", obj=agency,
                     label=agency.short_code)
    return agency


def _check_roles(*, roles: set[str], agency: Agency | None) -> None:
    unknown = roles - set(Role.values)
    if unknown:
        raise PartnershipError(f"Unknown roles: {', '.join(sorted(unknown))}")
    agency_roles = roles & AGENCY_ROLES
    if agency_roles and agency is None:
        names = ", ".join(Role(r).label for r in sorted(agency_roles))
        raise PartnershipError(f"Choose the agency this person works for: {names} act for one agency.")


def person_save(*, by: User, person: User, roles: set[str], version: int | None = None) -> User:
    """Create or update a person and set their roles. New people get an email to choose a password. A change
    made from a stale copy of the person's details (`version`) is refused."""
    _check_roles(roles=roles, agency=person.agency)
    creating = person.pk is None
    person.board_id = by.board_id
    with transaction.atomic():
        if creating:
            person.set_unusable_password()
        else:
            claim_version(person, version, "person's details")
        person.save()
        current = set(person.role_grants.values_list("role", flat=True))
        RoleGrant.objects.filter(user=person, role__in=current - roles).delete()
        RoleGrant.objects.bulk_create([RoleGrant(user=person, role=r) for r in sorted(roles - current)])
        person.__dict__.pop("_role_cache", None)
        audit_record(
            by=by, action="person.created" if creating else "person.updated", obj=person, label=person.username,
            detail={"roles_added": sorted(roles - current), "roles_removed": sorted(current - roles),
                    "active": person.is_active},
        )
        if creating and person.email:
            from .invitations import send_invitation

            send_invitation(person)
    return person


def person_reinvite(*, by: User, person: User) -> User:
    """Send a new invitation to someone who has not joined; the link sent before stops working."""
    from .invitations import send_invitation

    if person.has_usable_password():
        raise PartnershipError(f"{person} has already joined: they can reset their password from the sign-in page")
    if not person.is_active or not person.email:
        raise PartnershipError(f"{person} cannot sign in: tick 'This person can sign in' and give an email address")
    with transaction.atomic():
        # A new unusable password changes the invitation's fingerprint, so the old link stops working.
        person.set_unusable_password()
        person.save(update_fields=["password"])
        send_invitation(person)
        audit_record(by=by, action="person.invitation_renewed", obj=person, label=person.username)
    return person


def board_set_rule_pack(*, by: User, board: Board, pack: str, version: int | None = None) -> Board:
    from casereview.lib.clocks import get_pack

    get_pack(pack)  # refuses an unknown pack with the valid choices
    with transaction.atomic():
        claim_version(board, version, "choice of timescales")
        previous = board.rule_pack
        board.rule_pack = pack
        board.save(update_fields=["rule_pack"])
        audit_record(by=by, action="board.rule_pack_changed", obj=board, label=board.slug,
                     detail={"from": previous, "to": pack})
    return board


def closure_day_add(*, by: User, board: Board, date, reason: str) -> ClosureDay:
    if ClosureDay.objects.filter(board=board, date=date).exists():
        raise PartnershipError(f"{long_date(date)} is already a closure day")
    with transaction.atomic():
        day = ClosureDay.objects.create(board=board, date=date, reason=reason.strip())
        audit_record(by=by, action="board.closure_day_added", obj=board, label=board.slug,
                     detail={"date": date.isoformat(), "reason": day.reason})
    return day


def closure_day_remove(*, by: User, day: ClosureDay) -> None:
    with transaction.atomic():
        audit_record(by=by, action="board.closure_day_removed", obj=day.board, label=day.board.slug,
                     detail={"date": day.date.isoformat()})
        day.delete()


# --- Committees -----------------------------------------------------------------------------------------------

def committee_save(*, by: User, committee: Committee, version: int | None = None) -> Committee:
    """Add or change a committee: its name, terms of reference, meeting frequency and quorum rule. A change
    made from a stale copy (`version`) is refused."""
    creating = committee.pk is None
    committee.name = " ".join(committee.name.split())
    if not committee.name:
        raise PartnershipError("Enter the committee's name", field="name")
    if committee.quorum_vice_chair_may_stand_in and not committee.quorum_requires_chair:
        committee.quorum_vice_chair_may_stand_in = False
    with transaction.atomic():
        clash = Committee.objects.filter(board_id=by.board_id, name__iexact=committee.name)
        if committee.pk:
            clash = clash.exclude(pk=committee.pk)
        if clash.exists():
            raise PartnershipError(f"The board already has a committee called {committee.name}", field="name")
        if not creating:
            claim_version(committee, version, "committee")
        committee.board_id = by.board_id
        committee.save()
        audit_record(by=by, action="committee.created" if creating else "committee.updated", obj=committee,
                     label=committee.name)
    return committee


def committee_role(committee: Committee, position: str) -> str | None:
    """The role a seat on a committee brings: permissions follow the role, so a seat without it would let a
    member see nothing of their committee's work. Advisers hold no seat's role."""
    if position == CommitteeMembership.Position.ADVISER:
        return None
    chair = position == CommitteeMembership.Position.CHAIR
    return {
        Committee.Kind.SCR: Role.SCR_COMMITTEE_CHAIR if chair else Role.SCR_COMMITTEE_MEMBER,
        Committee.Kind.PERFORMANCE: Role.PERFORMANCE_CHAIR if chair else Role.PERFORMANCE_MEMBER,
        Committee.Kind.LEARNING_DEVELOPMENT: Role.LD_MEMBER,
        Committee.Kind.EXECUTIVE: Role.EXECUTIVE_MEMBER,
    }.get(committee.kind)


def _sync_committee_roles(person: User) -> tuple[list[str], list[str]]:
    """Grant the roles the person's seats bring; take back seat roles no seat brings any more."""
    seat_roles = {Role.SCR_COMMITTEE_CHAIR, Role.SCR_COMMITTEE_MEMBER, Role.PERFORMANCE_CHAIR,
                  Role.PERFORMANCE_MEMBER, Role.LD_MEMBER, Role.EXECUTIVE_MEMBER}
    wanted = {role for m in CommitteeMembership.objects.filter(user=person).select_related("committee")
              if (role := committee_role(m.committee, m.position))}
    held = set(person.role_grants.values_list("role", flat=True))
    added, removed = sorted(wanted - held), sorted((held & seat_roles) - wanted)
    RoleGrant.objects.bulk_create([RoleGrant(user=person, role=r) for r in added])
    RoleGrant.objects.filter(user=person, role__in=removed).delete()
    person.__dict__.pop("_role_cache", None)
    return added, removed


def membership_save(*, by: User, membership: CommitteeMembership,
                    version: int | None = None) -> CommitteeMembership:
    """Add a member to a committee or change their position or the agency they represent. A committee has at
    most one chair and one vice chair; a member who represents an agency is a person of this board."""
    creating = membership.pk is None
    with transaction.atomic():
        committee = Committee.objects.select_for_update(of=("self",)).get(pk=membership.committee_id, board_id=by.board_id)
        if not creating:
            claim_version(membership, version, "membership")
        if membership.user.board_id != by.board_id:
            raise PartnershipError("Choose a person of this board", field="user")
        if membership.represents_id and membership.represents.board_id != by.board_id:
            raise PartnershipError("Choose one of the board's agencies", field="represents")
        others = committee.memberships.exclude(pk=membership.pk)
        if others.filter(user=membership.user).exists():
            raise PartnershipError(f"{membership.user} is already a member of {committee.name}", field="user")
        single = {CommitteeMembership.Position.CHAIR, CommitteeMembership.Position.VICE_CHAIR}
        if membership.position in single:
            holder = others.filter(position=membership.position).select_related("user").first()
            if holder is not None:
                label = CommitteeMembership.Position(membership.position).label.lower()
                raise PartnershipError(f"{holder.user} is already the {label} of {committee.name}: change their "
                                       f"position first", field="position")
        membership.save()
        added, removed = _sync_committee_roles(membership.user)
        audit_record(by=by, action="committee.member_added" if creating else "committee.member_changed",
                     obj=committee, label=committee.name,
                     detail={"person": membership.user.username, "position": membership.position,
                             "represents": membership.represents.short_code if membership.represents_id else "",
                             "roles_added": added, "roles_removed": removed})
    membership.roles_added = [Role(r).label for r in added]
    return membership


def membership_remove(*, by: User, membership: CommitteeMembership) -> None:
    with transaction.atomic():
        committee, person = membership.committee, membership.user
        membership.delete()
        _, removed = _sync_committee_roles(person)
        audit_record(by=by, action="committee.member_removed", obj=committee, label=committee.name,
                     detail={"person": person.username, "roles_removed": removed})
