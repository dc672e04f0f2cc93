"""Two people renaming one theme at once, through the pages: the second rename is refused."""

import pytest
from django.urls import reverse

from casereview.partnership.roles import Role
from casereview.typology import services
from casereview.typology.models import Theme
from tests.factories import UserFactory
from tests.support.edit_conflict import second_save_is_refused

pytestmark = pytest.mark.django_db


def test_a_stale_rename_of_a_theme_is_refused(world, as_user):
    theme = services.theme_add(by=world.manager, board=world.board, name="Information sharing")
    second = UserFactory(board=world.board, username="bm-two", roles=[Role.BUSINESS_MANAGER])
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(second), url=reverse("learning:theme_rename", args=[theme.pk]),
        a_data={"name": "Sharing information"}, b_data={"name": "Information between agencies"}, what="theme")
    assert Theme.objects.get(pk=theme.pk).name == "Sharing information"
