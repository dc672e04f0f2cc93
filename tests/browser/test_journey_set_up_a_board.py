"""A real board adopts CaseReview, from an EMPTY database (no demo data).

The platform operator runs `board_create`; the Business Manager follows the invitation, chooses a password,
sets up an authenticator app (the code is computed here from the key shown on the page) and saves the recovery
codes; their home page lists what is missing; they add two agencies, a safeguarding lead for each and the
Performance Committee's members; the first lead joins the same way. Every new page is checked with axe-core
for WCAG 2.2 A and AA. (The lead extends this journey with the referral steps after merging.)
"""

import re
import time
from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from casereview.notifications.models import OutboundEmail
from casereview.partnership.models import Agency, Board, User
from tests.browser_support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "plum orchard lantern 42"
BOARD = "Northshire Safeguarding Children Board"


def accessible(page) -> bool:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
    return True


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def join(page, link: str) -> None:
    """Follow an invitation: password, authenticator app, recovery codes, then the home page."""
    page.goto(link)
    assert page.get_by_role("heading", name=f"Join {BOARD}").is_visible() and accessible(page)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Save password and continue").click()

    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible() and accessible(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(totp_now(secret))
    page.get_by_role("button", name="Confirm code").click()

    assert page.get_by_role("heading", name="Save your recovery codes").is_visible() and accessible(page)
    assert page.locator("#recovery-codes li").count() == 10
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the codes").click()
    assert download.value.suggested_filename == "recovery-codes.txt"
    saved = open(download.value.path(), encoding="utf-8").read().split()
    shown = page.locator("#recovery-codes li").all_inner_texts()
    assert all(code in saved for code in shown), "the file holds every code shown"
    page.get_by_role("button", name="I have saved my codes: continue").click()
    assert page.get_by_role("heading", name="Waiting for you").is_visible()


def add_agency(page, name: str, code: str, kind: str) -> None:
    page.get_by_role("button", name="Add an agency").click()
    assert accessible(page)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Short code").fill(code)
    page.get_by_label("Type").select_option(label=kind)
    page.get_by_role("button", name="Save agency").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()


def add_lead(page, first: str, last: str, username: str, agency: str) -> None:
    page.get_by_role("button", name="Add a person").click()
    assert accessible(page)
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Sign-in name").fill(username)
    page.get_by_label("Email address").fill(f"{username}@northshire.example")
    page.get_by_label("Agency safeguarding lead").check()
    page.get_by_label("Agency", exact=True).select_option(label=agency)
    page.get_by_role("button", name="Save person").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()


def add_member(page, person: str, position: str, agency: str) -> None:
    page.get_by_role("button", name="Add a member").click()
    assert accessible(page)
    page.get_by_label("Person").select_option(label=person)
    page.get_by_label(position, exact=True).check()
    page.get_by_label("Agency they represent").select_option(label=agency)
    page.get_by_role("button", name="Save member").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()


def test_a_board_is_set_up_from_nothing(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.DEMO_MODE = False
    assert not Board.objects.exists() and not User.objects.exists(), "the journey starts from an empty database"

    output = StringIO()
    call_command("board_create", f"--name={BOARD}", "--manager-email=morgan.bm@northshire.example",
                 "--manager-name=Morgan Demoson", stdout=output)
    link = output.getvalue().strip().splitlines()[-1]
    assert link.startswith(f"{live_server.url}/accounts/join/")

    manager_context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = manager_context.new_page()
    join(page, link)
    checklist = page.locator("table", has_text="What is missing").inner_text()
    assert "The board has no partner agencies" in checklist
    assert "Performance Committee has no members" in checklist and accessible(page)

    # The menu stays on one line at a desktop width.
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, f"the menu wraps: {tops}"

    page.get_by_role("link", name="Board", exact=True).click()
    assert accessible(page)
    page.get_by_role("link", name="Partner agencies").click()
    assert accessible(page)
    add_agency(page, "Northshire Police", "NPOL", "Police")
    add_agency(page, "Northshire GP Practice", "NGP", "GP")
    assert Agency.objects.filter(board__name=BOARD).count() == 2

    page.goto(f"{live_server.url}/")
    assert "No safeguarding lead for Northshire Police" in page.locator("main").inner_text()
    page.get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("link", name="People", exact=True).click()
    assert accessible(page)
    add_lead(page, "Parker", "Demoson", "parker.lead", "Northshire Police")
    add_lead(page, "Gale", "Demoson", "gale.lead", "Northshire GP Practice")

    page.get_by_role("link", name="Board", exact=True).click()
    page.locator("main").get_by_role("link", name="Committees", exact=True).click()
    assert accessible(page)
    page.get_by_role("link", name="Performance Committee").click()
    assert page.get_by_text("multi-agency audit framework").is_visible() and accessible(page)
    add_member(page, "Parker Demoson", "Chair", "Northshire Police")
    add_member(page, "Gale Demoson", "Member", "Northshire GP Practice")
    members = page.locator("table", has_text="Represents").inner_text()
    assert "Parker Demoson" in members and "Northshire GP Practice" in members and accessible(page)

    page.goto(f"{live_server.url}/")
    home = page.locator("main").inner_text()
    assert "No safeguarding lead" not in home and "Performance Committee has no members" not in home
    assert "Performance Committee cannot be quorate" in home  # two agencies of the three its quorum needs

    # A wide table scrolls inside its box on a phone instead of widening the page.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/audit/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    manager_context.close()

    # The police lead joins from their own invitation.
    email = OutboundEmail.objects.get(to="parker.lead@northshire.example")
    assert BOARD in email.subject and "CaseReview" in email.subject
    lead_link = re.search(r"(http\S+/accounts/join/\S+)", email.body).group(1)
    lead_context = browser.new_context(viewport={"width": 1200, "height": 900})
    lead_page = lead_context.new_page()
    join(lead_page, lead_link)
    assert "Northshire Police" in lead_page.locator("main").inner_text() and accessible(lead_page)
    lead_context.close()
