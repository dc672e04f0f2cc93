"""Two people changing one case's pseudonym at once, through the pages: the second save is refused."""

import pytest
from django.urls import reverse

from casereview.cases.models import Case
from casereview.partnership.roles import Role
from tests.factories import UserFactory
from tests.support.edit_conflict import second_save_is_refused

pytestmark = pytest.mark.django_db


def test_a_stale_change_of_the_pseudonym_is_refused(world, as_user):
    second = UserFactory(board=world.board, username="bm-two", roles=[Role.BUSINESS_MANAGER])
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(second), url=reverse("cases:pseudonym", args=[world.case.pk]),
        a_data={"pseudonym": "Child Q"}, b_data={"pseudonym": "Child R"}, what="case")
    assert Case.objects.get(pk=world.case.pk).pseudonym == "Child Q"
