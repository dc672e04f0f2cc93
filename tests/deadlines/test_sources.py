"""The Deadlines page lists every clock of the board: agencies' chronology return dates and action plans'
quarterly updates, as well as referrals and reviews."""

import html
from datetime import timedelta

from django.urls import reverse

from casereview.actions import services as plans
from casereview.chronology import services as chronology
from casereview.lib.dates import today
from casereview.reviews import services as reviews
from tests.actions.factories import monitored_plan
from tests.chronology.helpers import make_review


def _page(client, **filters) -> str:
    return html.unescape(client.get(reverse("deadlines:list"), filters).text)


def test_an_agencys_chronology_due_date_is_listed_until_its_review_closes(world, as_user):
    review = make_review(world)
    chronology.requests_create(by=world.manager, review=review, agencies=[world.agency_a],
                               deadline=today() - timedelta(days=3))
    chronology.requests_create(by=world.manager, review=review, agencies=[world.agency_b],
                               deadline=today() + timedelta(days=20))
    chair = as_user(world.chair)

    page = _page(chair)
    assert page.count("Agency's chronology returned") >= 2 and "1 overdue" in page
    assert f"Review {review.reference} (Child Q)" in page
    assert page.index("Testshire Police safeguarding lead") < page.index("Testshire Health safeguarding lead")
    filtered = _page(chair, agency="Testshire Health")
    assert "Testshire Health safeguarding lead" in filtered and "Testshire Police safeguarding lead" not in filtered

    reviews.review_record_completed(by=world.manager, review=review, approved_on=today(), published_on=today())
    assert "Agency's chronology returned" not in _page(chair)


def test_an_action_plans_quarterly_update_is_listed_until_every_open_action_has_given_it(world, as_user):
    plan = monitored_plan(world, handover=today() - timedelta(days=20))
    manager = as_user(world.manager)

    page = _page(manager)
    assert "Quarterly update on an action plan" in page
    assert f"Action plan of {plan.source_label} (quarter 1)" in page
    assert "2 actions: Testshire Police" in page

    for action in plan.actions.all():
        plans.action_update_submit(by=world.author_a, action=action, status="in_progress", percent_complete=50,
                                   narrative="Training booked for all staff.", rag="green")
    assert "Quarterly update on an action plan" not in _page(manager)
