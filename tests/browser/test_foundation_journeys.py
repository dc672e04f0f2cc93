"""A Business Manager's first minutes: sign in, find the board, add a person with a mistake, fix it.

Every page visited is checked with axe-core for WCAG 2.2 A and AA.
"""

import pytest

from casereview.partnership.models import User
from tests.browser_support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="Sign in to CaseReview").is_visible()
    assert axe_violations(page) == []


def test_a_failed_sign_in_shows_the_error_summary_and_focuses_it(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("button:has-text('Sign in')")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter your email address or sign-in name" in summary.inner_text()
    summary.get_by_role("link", name="Enter your email address or sign-in name").click()
    assert page.evaluate("document.activeElement.id") == "id_login"
    assert axe_violations(page) == []


def test_the_manager_finds_the_board_and_adds_a_person(page, live_server, world, sign_in):
    sign_in(page, world.manager)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Board", exact=True).click()
    assert page.get_by_role("heading", name="Testshire Safeguarding Children Board").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("button", name="Add a person").click()
    assert axe_violations(page) == []
    page.get_by_label("First name").fill("Newby")
    page.get_by_label("Last name").fill("Fictional")
    page.get_by_label("Sign-in name").fill("newby")
    page.get_by_label("Email address").fill("newby@testshire.example")
    page.get_by_label("Agency author").check()
    page.click("button:has-text('Save person')")
    summary = page.locator(".govuk-error-summary")
    assert "Choose the agency" in summary.inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Agency", exact=True).select_option(label="Testshire Health")
    page.click("button:has-text('Save person')")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert User.objects.get(username="newby").agency == world.agency_b


def test_keyboard_users_can_skip_to_the_content(page, live_server, world, sign_in):
    sign_in(page, world.manager)
    page.goto(f"{live_server.url}/board/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    # With GOV.UK Frontend's script the skip link focuses <main>; without it, the browser follows the anchor.
    page.wait_for_function("location.hash === '#main-content' || document.activeElement.id === 'main-content'")
