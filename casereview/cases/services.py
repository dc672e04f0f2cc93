from django.db import transaction
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version
from casereview.core.errors import ServiceError

from .models import Case, CaseAccess, unique_pseudonym


class CaseError(ServiceError):
    """A change to a case that breaks a rule; the message says what to fix."""


class CaseAccessError(CaseError):
    pass


def case_viewed(*, by, case: Case, what: str = "case") -> None:
    """Record that someone looked at a case record. Views of sensitive records are audit events too."""
    with transaction.atomic():
        audit_record(by=by, action="case.viewed", obj=case, detail={"page": what})


def case_access_grant(*, by, case: Case, user, reason: str) -> CaseAccess:
    if user.board_id != case.board_id:
        raise CaseAccessError("That person belongs to another board", field="user")
    if not user.is_active:
        raise CaseAccessError("That person's account is switched off", field="user")
    with transaction.atomic():
        if CaseAccess.objects.filter(case=case, user=user, revoked_at__isnull=True).exists():
            raise CaseAccessError(f"{user} already has access to this case", field="user")
        grant = CaseAccess.objects.create(case=case, user=user, reason=reason.strip(), granted_by=by)
        audit_record(by=by, action="case.access_granted", obj=case,
                     detail={"user_id": user.pk, "username": user.username, "reason": grant.reason})
    return grant


def case_access_revoke(*, by, grant: CaseAccess) -> CaseAccess:
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(by=by, action="case.access_revoked", obj=grant.case,
                     detail={"user_id": grant.user_id, "username": grant.user.username})
    return grant


def case_set_pseudonym(*, by, case: Case, pseudonym: str, version: int | None = None) -> Case:
    """The Business Manager renames how a case is known. Refuses a name another case of the board has; the
    subject child's anonymised label follows when it was the old pseudonym."""
    from .models import CasePerson

    pseudonym = " ".join((pseudonym or "").split())
    if not pseudonym:
        raise CaseError("Enter the pseudonym, for example Child M", field="pseudonym")
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        claim_version(case, version, "case")
        if Case.objects.filter(board_id=case.board_id, pseudonym__iexact=pseudonym).exclude(pk=case.pk).exists():
            raise CaseError(f"Another case of the board is already called {pseudonym}: choose another pseudonym, "
                            f"for example {unique_pseudonym(case.board_id, pseudonym, exclude_case_id=case.pk)}",
                            field="pseudonym")
        previous = case.pseudonym
        case.pseudonym = pseudonym
        case.save(update_fields=["pseudonym"])
        CasePerson.objects.filter(case=case, anonymised_label=previous).update(anonymised_label=pseudonym)
        audit_record(by=by, action="case.pseudonym_changed", obj=case, detail={"from": previous, "to": pseudonym})
    return case
