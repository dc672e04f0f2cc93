"""A real board adopts CaseReview, from an EMPTY database (no demo data).

The platform operator runs `board_create`; the Business Manager follows the invitation, chooses a password,
sets up an authenticator app (the code is computed here from the key shown on the page) and saves the recovery
codes; their home page lists what is missing; they add two agencies, a safeguarding lead for each and the
Performance Committee's members; the first lead joins the same way. Then the board's first referral: the
Business Manager records one received by secure email, calls for information from the police, the police lead
answers, and the SCR Committee's chair (invited like everyone else) finds the decision matrix waiting on their
home page with its deadline. Every new page is checked with axe-core for WCAG 2.2 A and AA.
"""

import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.management import call_command

from casereview.lib import dates
from casereview.notifications.models import OutboundEmail
from casereview.partnership.models import Agency, Board, User
from casereview.referrals.models import Referral
from tests.browser_support import accessible, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "plum orchard lantern 42"
BOARD = "Northshire Safeguarding Children Board"


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


def add_person(page, first: str, last: str, username: str, role: str) -> None:
    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Sign-in name").fill(username)
    page.get_by_label("Email address").fill(f"{username}@northshire.example")
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Save person").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()


def invitation_link(address: str) -> str:
    """The link in the invitation as the person received it (the stored copy drops its links once sent)."""
    email = OutboundEmail.objects.filter(to=address).latest("pk")
    assert BOARD in email.subject and "CaseReview" in email.subject
    received = [m for m in mail.outbox if m.to == [address]][-1]
    return re.search(r"(http\S+/accounts/join/\S+)", received.body).group(1)


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
    page.set_viewport_size({"width": 1200, "height": 900})

    # The police lead joins from their own invitation.
    lead_context = browser.new_context(viewport={"width": 1200, "height": 900})
    lead_page = lead_context.new_page()
    join(lead_page, invitation_link("parker.lead@northshire.example"))
    assert "Northshire Police" in lead_page.locator("main").inner_text() and accessible(lead_page)

    # The board's first referral arrives by secure email; the Business Manager records it.
    today = dates.today()
    page.goto(f"{live_server.url}/referrals/")
    assert accessible(page)
    page.get_by_role("button", name="Record a referral received by email").click()
    assert accessible(page)
    page.get_by_role("group", name="How did the referral reach the board?").get_by_label(
        "Received by secure email").check()
    page.get_by_label("Referrer's organisation").fill("Northshire Hospital Trust")
    page.get_by_label("Referrer's name").fill("Robin Demoson")
    page.get_by_label("Referrer's role").fill("Named nurse for safeguarding")
    page.get_by_label("Referrer's telephone number").fill("01632 960002")
    page.get_by_label("Referrer's email address").fill("robin.referrer@northshire.example")
    fill_date(page, "received_on", today)
    fill_date(page, "board_notified_on", today - timedelta(days=3))
    fill_date(page, "referred_on", today)
    page.get_by_label("Child's full name").fill("Ziggy Fictionchild")
    fill_date(page, "incident_date", today - timedelta(days=4))
    page.get_by_role("group", name="Agencies involved with the child and family").get_by_label(
        "Northshire Police").check()
    page.get_by_role("group", name="Which criteria do you think are met?").get_by_label(
        Referral.Criterion.ABUSE_NEGLECT.label).check()
    page.get_by_label("What happened, and why the criteria are met").fill(
        "A fictional child was seriously injured at home.")
    page.get_by_role("button", name="Record the referral as received").click()
    assert page.locator(".govuk-notification-banner--success").is_visible() and accessible(page)
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.RECEIVED and referral.received_via == "secure_email"

    # The Business Manager calls for information from the police; the lead answers from their home page.
    page.get_by_role("button", name="Call for information").click()
    assert accessible(page)
    fill_date(page, "due_on", today + timedelta(days=7))
    page.get_by_role("button", name="Send the requests").click()
    assert "1 agency asked for a summary" in page.locator(".govuk-notification-banner--success").inner_text()
    lead_page.goto(f"{live_server.url}/")
    lead_page.get_by_role("link", name=f"Send NPOL's summary of involvement for {referral.reference}").click()
    assert accessible(lead_page)
    lead_page.get_by_label("Summary of your agency's involvement").fill("Police attended the home twice.")
    lead_page.get_by_role("group", name="Is your agency still involved with the family?").get_by_label("Yes").check()
    lead_page.get_by_role("button", name="Send summary").click()
    assert "summary sent to the board" in lead_page.locator(".govuk-notification-banner--success").inner_text()
    lead_context.close()

    # The SCR Committee's chair is invited, joins, and finds the decision matrix waiting, with its deadline.
    page.get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("link", name="People", exact=True).click()
    add_person(page, "Sam", "Demoson", "sam.scr", "SCR Committee chair")
    manager_context.close()
    chair_context = browser.new_context(viewport={"width": 1200, "height": 900})
    chair_page = chair_context.new_page()
    join(chair_page, invitation_link("sam.scr@northshire.example"))
    waiting = chair_page.locator("#waiting-for-you").inner_text()
    assert f"Complete the decision matrix for {referral.reference}" in waiting and "Due" in waiting
    assert accessible(chair_page)
    chair_context.close()
