"""A Case Group practitioner without an account comments on the draft findings through their link, in Debian's
chromium, with an axe accessibility check (WCAG 2.2 A/AA)."""

import pytest
from django.urls import reverse

from casereview.reviews.models import CaseGroupComment
from tests.browser_support import axe_violations
from tests.reviews import helpers as h


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_practitioner_without_an_account_comments_through_their_link(world, live_server, page):
    review = h.make_review(world)
    member = h.link_member(review, world)
    response = page.goto(live_server.url + reverse("reviews:consultation_link", args=[h.LINK_SECRET]))

    assert response.status == 200
    assert page.get_by_role("heading", name="Draft findings: your comments").is_visible()
    assert page.get_by_role("heading", name="Finding 1: Information was not shared").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Finding", exact=True).select_option(label="Finding 1: Information was not shared")
    page.get_by_label("Proposed correction").check()
    page.get_by_label("Your comment or correction").fill("The school shared it with the GP in May.")
    page.get_by_role("button", name="Send to the Review Group").click()

    assert page.get_by_text("Thank you: your comment has been sent to the Review Group").is_visible()
    assert page.get_by_text("Waiting for the Review Group's response.").is_visible()
    assert CaseGroupComment.objects.get(member=member).text == "The school shared it with the GP in May."
