"""The demo chronologies load, and loading them twice changes nothing."""

import pytest
from django.core.management import call_command

from casereview.chronology import demo
from casereview.chronology.analysis import gaps
from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ReviewChronology
from casereview.chronology.selectors import merged_base
from casereview.partnership.models import Agency, Board, User
from casereview.reviews.models import Review

pytestmark = pytest.mark.django_db



@pytest.fixture
def demo_board():
    """The demo board as `load_demo` makes it (its reviews go through the services, so its people are real)."""
    call_command("load_demo")
    board = Board.objects.get(slug="riverside")
    people = {user.username: user for user in User.objects.filter(board=board)}
    agencies = {agency.short_code: agency for agency in Agency.objects.filter(board=board)}
    return board, people, agencies


def test_demo_loads_once(demo_board):
    board, people, agencies = demo_board
    demo.load(board=board, people=people, agencies=agencies)
    counts = (ChronologyEntry.objects.count(), ChronologyRequest.objects.count())
    demo.load(board=board, people=people, agencies=agencies)
    assert (ChronologyEntry.objects.count(), ChronologyRequest.objects.count()) == counts

    review1 = Review.objects.get(board=board, reference="DEMO-1")
    merged = merged_base(review1)
    assert 250 <= merged.count() <= 400
    assert set(merged.values_list("agency_code", flat=True)) == {"CSC", "POL", "GP", "HV", "ED", "SCH"}
    assert merged.filter(duplicate_group__isnull=False).count() >= 6
    assert merged.filter(key_practice_episode=True).exists() and merged.filter(good_practice=True).exists()
    threshold = ReviewChronology.objects.get(review=review1).gap_threshold_days
    assert any(g.days > 200 for g in gaps(merged, threshold))

    review2 = Review.objects.get(board=board, reference="DEMO-2")
    requests = ChronologyRequest.objects.filter(review=review2)
    assert requests.count() == 10
    assert set(requests.values_list("status", flat=True)) == {"requested"}
    assert not ChronologyEntry.objects.filter(review=review2).exists()
