from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casereview.core.permissions import acts_for_agency, has_board_wide_case_role
from casereview.lib.identifiers import KnownIdentifier

from . import hooks
from .models import Case, CaseAccess, CaseAgency, CasePerson


def cases_visible_to(user) -> QuerySet[Case]:
    """Every case the user may see, and no other: the only way views list cases."""
    if not getattr(user, "is_authenticated", False) or not user.board_id or not user.is_active:
        return Case.objects.none()
    cases = Case.objects.filter(board_id=user.board_id)
    for hidden in hooks.hidden_case_ids(user):  # e.g. the cases of draft referrals (referrals' hook)
        cases = cases.exclude(pk__in=hidden)
    if has_board_wide_case_role(user):
        return cases
    granted = CaseAccess.objects.filter(case=OuterRef("pk"), user=user, revoked_at__isnull=True)
    condition = Q(Exists(granted))
    if acts_for_agency(user):
        condition |= Q(Exists(CaseAgency.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id)))
    return cases.filter(condition)


def case_get_for_user(user, case_id: int) -> Case:
    """The case, or 404 whether it does not exist or the user may not see it: never reveal which."""
    case = cases_visible_to(user).filter(pk=case_id).select_related("board").first()
    if case is None:
        raise Http404("No case found")
    return case


def case_known_identifiers(case) -> list[KnownIdentifier]:
    """Everything recorded for the case's people that must not appear in anything published or shared: the
    publication check of reports (reviews) and of learning summaries (learning) both scan for these."""
    known: list[KnownIdentifier] = []
    for person in CasePerson.objects.filter(case=case):
        label = person.anonymised_label
        values = [("name", person.full_name)]
        values += [("alias", alias) for alias in person.alias_list()]
        if person.date_of_birth:
            values.append(("date_of_birth", person.date_of_birth.isoformat()))
        values += [("address", person.address), ("postcode", person.postcode), ("school", person.school)]
        for kind, value in values:
            if value and value.strip():
                known.append(KnownIdentifier(kind, value.strip(), label))
    return known


def cases_filtered(user, *, q: str = "", agency=None, year: int | None = None) -> QuerySet[Case]:
    """The cases list's filters, applied on top of what the user may see."""
    cases = cases_visible_to(user)
    if q:
        cases = cases.filter(Q(reference__icontains=q) | Q(pseudonym__icontains=q))
    if agency is not None:
        cases = cases.filter(case_agencies__agency=agency)
    if year:
        cases = cases.filter(opened_at__year=year)
    return cases.distinct()
