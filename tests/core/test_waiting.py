"""The "Waiting for you" list on every person's home page, filled by the apps' registered builders."""

from datetime import timedelta

import pytest
from django.urls import reverse

from casereview.core import dashboard
from casereview.core.dashboard import WaitingItem
from casereview.lib.dates import today


@pytest.fixture
def registered():
    """Register builders for one test only, leaving the apps' own registrations in place."""
    added = []

    def add(builder, key):
        dashboard.register_waiting(builder, key=key)
        added.append(key)

    yield add
    for key in added:
        dashboard._WAITING.pop(key, None)


def test_home_lists_steps_waiting_for_the_person_overdue_first(world, as_user, registered):
    def for_manager(user):
        if user != world.manager:
            return []
        return [WaitingItem("Approve the minutes of the June meeting", "/committees/", today() + timedelta(days=3)),
                {"label": "Record the Chair's decision on CR-TEST-1", "url": "/cases/", "due": today() - timedelta(days=2)},
                WaitingItem("Read the new guidance", "/learning/")]

    registered(for_manager, "test.manager")
    html = as_user(world.manager).get(reverse("home")).text
    assert "Waiting for you" in html
    first = html.index("Record the Chair&#x27;s decision")
    second = html.index("Approve the minutes of the June meeting")
    third = html.index("Read the new guidance")
    assert first < second < third
    assert "Overdue" in html

    other = as_user(world.author_a).get(reverse("home")).text
    assert "Approve the minutes" not in other
    assert "Nothing is waiting for you." in other


def test_registering_the_same_key_twice_keeps_one_builder(registered, monkeypatch):
    monkeypatch.setattr(dashboard, "_WAITING", {})  # only this test's builders
    calls = []

    def builder(user):
        calls.append(user)
        return [WaitingItem("Once", "/")]

    registered(builder, "test.twice")
    registered(lambda user: [WaitingItem("Twice", "/")], "test.twice")

    class Someone:
        is_authenticated = True

    labels = [item.label for item in dashboard.waiting_for(Someone())]
    assert labels.count("Once") == 1 and "Twice" not in labels


def test_the_business_manager_is_told_when_an_invitation_ran_out(world, as_user, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from casereview.notifications.models import OutboundEmail
    from casereview.partnership.services import person_save
    from tests.factories import UserFactory

    newcomer = UserFactory.build(board=world.board, username="late", email="late@testshire.example",
                                 first_name="Lee", last_name="Demoson")
    person_save(by=world.manager, person=newcomer, roles=set())
    html = as_user(world.manager).get(reverse("home")).text
    assert "Lee Demoson&#x27;s invitation ran out" not in html, "a fresh invitation is not yet a step"
    OutboundEmail.objects.filter(to="late@testshire.example").update(
        created_at=timezone.now() - timedelta(days=20))
    html = as_user(world.manager).get(reverse("home")).text
    assert "Lee Demoson&#x27;s invitation ran out before they joined" in html and "Overdue" in html
    assert "invitation ran out" not in as_user(world.chair).get(reverse("home")).text
