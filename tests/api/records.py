"""Records the API tests read and write, made through each app's services (or its own test helpers), once per
`world`."""

from datetime import date

from casereview.chronology.models import ChronologyRequest
from casereview.referrals.models import Referral
from casereview.reviews.models import Review
from tests.actions.factories import monitored_plan
from tests.factories import review_in
from tests.referrals.factories import make_referral

UPDATE = {"status": "in_progress", "percent_complete": 40, "rag": "green", "narrative": "Training booked."}
ENTRY = {"start": "2014-03-12", "start_time": "14:30", "source": "Police log", "event_type": "incident",
         "description": "Officers attended a reported fall at home."}


def _once(world, name, make):
    if not hasattr(world, name):
        setattr(world, name, make())
    return getattr(world, name)


def referral(world) -> Referral:
    """Raised by agency A's author, submitted by its lead and received: its case involves agency A only."""
    return _once(world, "_api_referral", lambda: make_referral(world, Referral.Status.RECEIVED))


def plan(world):
    """A monitored plan of a review of world.case: agency A leads its actions, owned by agency A's author."""
    return _once(world, "_api_plan", lambda: monitored_plan(world, "API-PLAN"))


def action(world):
    return plan(world).actions.order_by("id").first()


def chronology_review(world) -> Review:
    """A review of world.case whose chronology has been asked of agency A."""
    def make():
        review = review_in(world, reference="API-CHRON", initiated_on=date(2026, 1, 5), lead_reviewer=None)
        ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager,
                                         deadline=date(2026, 3, 1))
        return review

    return _once(world, "_api_chronology_review", make)
