from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.cases.models import CaseAccess
from casereview.cases.selectors import cases_visible_to
from tests.factories import CaseAgencyFactory, CaseFactory, UserFactory


def test_need_to_know_decides_who_sees_a_case(world):
    assert world.case in cases_visible_to(world.manager)
    assert world.case in cases_visible_to(world.chair)
    assert world.case in cases_visible_to(world.author_a)  # agency A is involved
    assert world.case in cases_visible_to(world.reviewer)  # given access
    assert world.case not in cases_visible_to(world.author_b)
    assert world.case not in cases_visible_to(world.practitioner)
    assert world.case not in cases_visible_to(world.outsider)


def test_the_list_shows_only_visible_cases(world, as_user):
    CaseAgencyFactory(case=CaseFactory(board=world.board, reference="TEST-0002"), agency=world.agency_b)
    html = as_user(world.author_b).get(reverse("cases:list")).text
    assert "TEST-0002" in html and "TEST-0001" not in html


def test_the_manager_gives_and_removes_access(world, as_user, django_capture_on_commit_callbacks):
    client = as_user(world.manager)
    response = client.post(reverse("cases:access", args=[world.case.pk]),
                           {"user": world.practitioner.pk, "reason": "Case Group member"})
    assert response.status_code == 302
    assert world.case in cases_visible_to(world.practitioner)
    grant = CaseAccess.objects.get(case=world.case, user=world.practitioner)
    client.post(reverse("cases:access_revoke", args=[world.case.pk, grant.pk]))
    assert world.case not in cases_visible_to(world.practitioner)
    grant.refresh_from_db()
    assert grant.revoked_at is not None  # kept for the record
    actions = list(AuditEvent.objects.filter(object_id=str(world.case.pk)).values_list("action", flat=True))
    assert "case.access_granted" in actions and "case.access_revoked" in actions


def test_access_needs_a_reason(world, as_user):
    response = as_user(world.manager).post(reverse("cases:access", args=[world.case.pk]),
                                           {"user": world.practitioner.pk, "reason": ""})
    assert "Say why this person needs access to the case" in response.text
    assert not CaseAccess.objects.filter(user=world.practitioner).exists()


def test_people_of_another_board_cannot_be_given_access(world, as_user):
    response = as_user(world.manager).post(reverse("cases:access", args=[world.case.pk]),
                                           {"user": world.outsider.pk, "reason": "Curious"})
    assert "govuk-error-summary" in response.text
    assert not CaseAccess.objects.filter(user=world.outsider).exists()


def test_a_switched_off_account_sees_nothing(world):
    world.reviewer.is_active = False
    world.reviewer.save()
    assert not cases_visible_to(world.reviewer).exists()


def test_a_new_agency_author_sees_only_their_agencys_cases(world):
    newcomer = UserFactory(board=world.board, agency=world.agency_b, roles=["agency_author"])
    assert list(cases_visible_to(newcomer)) == []
