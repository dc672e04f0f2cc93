"""Two people editing one record of the partnership at once, through the pages: the second save is refused."""

import pytest
from django.urls import reverse

from casereview.partnership.models import Agency, Board, Committee, CommitteeMembership, User
from casereview.partnership.roles import Role
from tests.factories import UserFactory
from tests.support.edit_conflict import second_save_is_refused

pytestmark = pytest.mark.django_db


def _two_managers(world, as_user):
    second = UserFactory(board=world.board, username="bm-two", roles=[Role.BUSINESS_MANAGER])
    return as_user(world.manager), as_user(second)


def test_a_stale_save_of_an_agency_is_refused(world, as_user):
    a, b = _two_managers(world, as_user)
    agency = {"short_code": "TPOL", "type": "police", "active": "on"}
    second_save_is_refused(
        a=a, b=b, url=reverse("partnership:agency_edit", args=[world.agency_a.pk]),
        a_data={**agency, "name": "Testshire Constabulary"}, b_data={**agency, "name": "Testshire Police Service"},
        what="agency")
    assert Agency.objects.get(pk=world.agency_a.pk).name == "Testshire Constabulary"


def test_a_stale_save_of_a_persons_details_is_refused(world, as_user):
    a, b = _two_managers(world, as_user)
    person = {"first_name": "Testy", "last_name": "Author", "username": "author-a", "agency": world.agency_a.pk,
              "email": "author-a@testshire.example", "roles": [Role.AGENCY_AUTHOR], "is_active": "on"}
    second_save_is_refused(
        a=a, b=b, url=reverse("partnership:person_edit", args=[world.author_a.pk]),
        a_data={**person, "job_title": "Detective sergeant"}, b_data={**person, "job_title": "Safeguarding officer"},
        what="person's details")
    assert User.objects.get(pk=world.author_a.pk).job_title == "Detective sergeant"


def test_a_stale_save_of_a_committee_is_refused(world, as_user):
    a, b = _two_managers(world, as_user)
    committee = {"name": world.committee.name, "kind": "performance", "meeting_frequency_days": "42",
                 "quorum_agency_representatives": "2", "chair_rule": "chair"}
    second_save_is_refused(
        a=a, b=b, url=reverse("partnership:committee_edit", args=[world.committee.pk]),
        a_data={**committee, "terms_of_reference": "1. To audit practice."},
        b_data={**committee, "terms_of_reference": "1. To monitor the action plans."}, what="committee")
    assert Committee.objects.get(pk=world.committee.pk).terms_of_reference == "1. To audit practice."


def test_a_stale_save_of_a_committee_membership_is_refused(world, as_user):
    a, b = _two_managers(world, as_user)
    seat = CommitteeMembership.objects.create(committee=world.committee, user=world.author_a,
                                              position=CommitteeMembership.Position.MEMBER, represents=world.agency_a)
    second_save_is_refused(
        a=a, b=b, url=reverse("partnership:membership_edit", args=[world.committee.pk, seat.pk]),
        a_data={"user": world.author_a.pk, "position": "vice_chair", "represents": world.agency_a.pk},
        b_data={"user": world.author_a.pk, "position": "adviser", "represents": world.agency_a.pk},
        what="membership")
    assert CommitteeMembership.objects.get(pk=seat.pk).position == CommitteeMembership.Position.VICE_CHAIR


def test_a_stale_change_of_the_boards_timescales_is_refused(world, as_user):
    a, b = _two_managers(world, as_user)
    second_save_is_refused(
        a=a, b=b, url=reverse("partnership:timescales"),
        a_data={"action": "pack", "pack": "wt-2018"}, b_data={"action": "pack", "pack": "lscb-2015"},
        what="choice of timescales")
    assert Board.objects.get(pk=world.board.pk).rule_pack == "wt-2018"
