"""Starting a board from nothing with `board_create`, and joining it through the invitation link."""

import re
import time
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casereview.audit.models import AuditEvent
from casereview.notifications.models import OutboundEmail
from casereview.partnership.models import Board, Committee, User
from casereview.partnership.roles import Role

PASSWORD = "plum orchard lantern 42"


def create_board(**overrides):
    args = {"name": "Northshire Safeguarding Children Board", "manager_email": "morgan.bm@northshire.example",
            "manager_name": "Morgan Demoson"} | overrides
    out = StringIO()
    call_command("board_create", f"--name={args['name']}", f"--manager-email={args['manager_email']}",
                 f"--manager-name={args['manager_name']}", stdout=out)
    return out.getvalue()


def link_in(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("http"))


def test_board_create_makes_the_board_its_committees_and_invites_its_business_manager(db, settings):
    settings.SITE_URL = "https://casereview.northshire.example"
    output = create_board()
    board = Board.objects.get(name="Northshire Safeguarding Children Board")
    assert board.rule_pack == "lscb-2015"
    performance = board.committees.get(kind=Committee.Kind.PERFORMANCE)
    assert performance.meeting_frequency_days == 42 and performance.quorum_agency_representatives == 3
    assert "multi-agency audit framework" in performance.terms_of_reference
    scr = board.committees.get(kind=Committee.Kind.SCR)
    assert "recommend to the board's Independent Chair" in scr.terms_of_reference
    assert "WSCB" not in performance.terms_of_reference + scr.terms_of_reference
    assert board.themes.exists(), "the board starts with the default learning typology"
    manager = User.objects.get(email="morgan.bm@northshire.example")
    assert manager.board == board and manager.has_role(Role.BUSINESS_MANAGER)
    assert manager.get_full_name() == "Morgan Demoson" and not manager.has_usable_password()
    link = link_in(output)
    assert link.startswith("https://casereview.northshire.example/accounts/join/")
    email = OutboundEmail.objects.get(to="morgan.bm@northshire.example")
    assert link in email.body and "Northshire Safeguarding Children Board" in email.subject
    assert "CaseReview" in email.subject
    assert "casereview.northshire.example" not in email.body.replace(link, "")
    assert AuditEvent.objects.filter(action="board.created", board_id=board.pk).exists()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": "Northshire Safeguarding Children Board"}, "There is already a board called"),
    ({"name": "Westshire Board", "manager_email": "not-an-email"}, "Enter a valid email address"),
])
def test_board_create_refuses_bad_input_with_exit_code_two(db, overrides, message):
    """manage.py exits with the CommandError's return code (2) and prints its message."""
    from django.core.management.base import CommandError

    create_board()
    with pytest.raises(CommandError) as error:
        call_command("board_create", f"--name={overrides['name']}",
                     f"--manager-email={overrides.get('manager_email', 'other@westshire.example')}",
                     "--manager-name=Sam Demoson")
    assert error.value.returncode == 2 and message in str(error.value)
    assert Board.objects.count() == 1


def test_joining_sets_a_password_verifies_the_email_and_goes_to_two_factor_set_up(db):
    link = link_in(create_board())
    client = Client()
    path = urlsplit(link).path
    page = client.get(path)
    assert "Join Northshire Safeguarding Children Board" in page.text and "morgan.bm" in page.text
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    manager = User.objects.get(email="morgan.bm@northshire.example")
    assert manager.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=manager).verified
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200, "no password asked again, no 'verify your email' loop"
    secret = re.search(r'id="totp-secret"><code>([A-Z2-7]+)</code>', setup.text).group(1)
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000" if code != "000000" else "111111"})
    assert "There is a problem" in wrong.text and 'href="#id_code"' in wrong.text
    assert 'placeholder="' not in wrong.text
    secret = re.search(r'id="totp-secret"><code>([A-Z2-7]+)</code>', wrong.text).group(1)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    done = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert done.status_code == 302 and done["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=manager, type=Authenticator.Type.TOTP).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.text.count("<li><code>") == 10 and "Download the codes" in codes.text
    first_code = re.search(r"<li><code>(\w+)</code>", codes.text).group(1)
    assert re.search(r'href="data:text/plain;charset=utf-8,[^"]*' + first_code, codes.text)
    assert client.get(reverse("home")).status_code == 200


def test_a_used_invitation_says_so_and_offers_sign_in(db):
    link = link_in(create_board())
    path = urlsplit(link).path
    Client().post(path, {"password1": PASSWORD, "password2": PASSWORD})
    again = Client().get(path)
    assert again.status_code == 410
    assert "This invitation has already been used" in again.text and reverse("account_login") in again.text


def test_an_expired_invitation_says_so_and_sends_a_new_one_to_the_address_on_file(db, settings):
    from casereview.partnership import invitations

    link = link_in(create_board())
    path = urlsplit(link).path
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(days=20))  # the invitation went long ago
    settings_days = invitations.INVITATION_DAYS
    try:
        invitations.INVITATION_DAYS = -1
        page = Client().get(path)
        assert page.status_code == 410 and "This invitation link has expired" in page.text
        before = OutboundEmail.objects.count()
        Client().post(reverse("join_renew", args=[path.split("/")[3]]))
        Client().post(reverse("join_renew", args=[path.split("/")[3]]))  # a second ask within minutes: no flood
    finally:
        invitations.INVITATION_DAYS = settings_days
    fresh = OutboundEmail.objects.order_by("-pk").first()
    assert OutboundEmail.objects.count() == before + 1 and fresh.to == "morgan.bm@northshire.example"
    new_link = re.search(r"(/accounts/join/\S+)", fresh.body).group(1)
    assert Client().get(new_link).status_code == 200


def test_a_password_that_breaks_the_rules_is_refused_and_nothing_changes(db):
    link = link_in(create_board())
    path = urlsplit(link).path
    response = Client().post(path, {"password1": "short", "password2": "short"})
    assert response.status_code == 200 and "There is a problem" in response.text
    assert not User.objects.get(email="morgan.bm@northshire.example").has_usable_password()


def test_a_tampered_link_is_not_valid(db):
    response = Client().get(reverse("join", args=["not-a-real-token"]))
    assert response.status_code == 404 and "This invitation link is not valid" in response.text


def test_the_platform_admin_site_is_gone(db):
    assert Client().get("/platform-admin/").status_code == 404


def _signed_in_manager(client):
    manager = User.objects.get(email="morgan.bm@northshire.example")
    manager.is_demo_account = True
    manager.save()
    client.force_login(manager)
    return manager


def test_the_business_manager_sees_what_is_missing_and_configures_committees(db, settings):
    settings.DEMO_MODE = True  # skip two-factor for this signed-in client (tested above)
    create_board()
    client = Client()
    manager = _signed_in_manager(client)
    home = client.get(reverse("home")).text
    assert "Before the board can run a case" in home
    assert "Performance Committee has no members" in home and "The board has no partner agencies" in home

    client.post(reverse("partnership:agency_create"), {"name": "Northshire GP Practice", "short_code": "gp",
                                                        "type": "gp", "active": "on"})
    assert "No safeguarding lead for Northshire GP Practice" in client.get(reverse("home")).text

    performance = manager.board.committees.get(kind=Committee.Kind.PERFORMANCE)
    edit = reverse("partnership:committee_edit", args=[performance.pk])
    response = client.post(edit, {"name": "Performance Committee", "kind": "performance",
                                  "terms_of_reference": "1. To audit practice.", "meeting_frequency_days": "42",
                                  "quorum_agency_representatives": "1", "chair_rule": "chair_or_vice"})
    assert response.status_code == 302
    performance.refresh_from_db()
    assert performance.quorum_vice_chair_may_stand_in and performance.history.count() == 2
    page = client.get(reverse("partnership:committee_detail", args=[performance.pk])).text
    assert "Quorate with the chair (or the vice chair) and 1 agency representative" in page

    gp = manager.board.agencies.get()
    lead = User.objects.create(username="gp-lead", email="gp.lead@northshire.example", board=manager.board,
                               agency=gp, first_name="Gale", last_name="Demoson")
    lead.role_grants.create(role=Role.AGENCY_LEAD)
    add = reverse("partnership:membership_create", args=[performance.pk])
    assert client.post(add, {"user": manager.pk, "position": "chair"}).status_code == 302
    refused = client.post(add, {"user": lead.pk, "position": "chair", "represents": gp.pk})
    assert "Morgan Demoson is already the chair of Performance Committee" in refused.text
    added = client.post(add, {"user": lead.pk, "position": "member", "represents": gp.pk}, follow=True)
    assert "now holds the role Performance Committee member" in added.text
    lead.refresh_from_db()
    assert lead.has_role(Role.PERFORMANCE_MEMBER), "a seat brings its role, so the member can see the committee's work"
    home = client.get(reverse("home")).text
    assert "Performance Committee has no members" not in home and "No safeguarding lead" not in home
    seat = performance.memberships.get(user=lead)
    client.post(reverse("partnership:membership_remove", args=[performance.pk, seat.pk]))
    assert not User.objects.get(pk=lead.pk).has_role(Role.PERFORMANCE_MEMBER)
    actions = set(AuditEvent.objects.filter(board_id=manager.board_id).values_list("action", flat=True))
    assert {"committee.updated", "committee.member_added", "agency.created"} <= actions


def test_the_business_manager_sends_a_new_invitation_and_the_old_link_stops_working(db, settings):
    settings.DEMO_MODE = True
    old_link = link_in(create_board())
    joined = User.objects.get(email="morgan.bm@northshire.example")
    joined.set_password(PASSWORD)  # the manager has joined; a colleague has not
    joined.save()
    client = Client()
    manager = _signed_in_manager(client)
    colleague = User.objects.create(username="sam", email="sam@northshire.example", board=manager.board,
                                    first_name="Sam", last_name="Demoson")
    colleague.set_unusable_password()
    colleague.save()
    from casereview.partnership.invitations import invitation_url

    first = urlsplit(invitation_url(colleague)).path
    assert "Invited, not yet joined" in client.get(reverse("partnership:people_list")).text
    response = client.post(reverse("partnership:person_invite", args=[colleague.pk]))
    assert response.status_code == 302
    assert Client().get(first).status_code == 410, "the earlier link no longer works"
    fresh = OutboundEmail.objects.filter(to="sam@northshire.example").latest("pk")
    assert Client().get(re.search(r"(/accounts/join/\S+)", fresh.body).group(1)).status_code == 200
    refused = client.post(reverse("partnership:person_invite", args=[manager.pk]), follow=True)
    assert "has already joined" in refused.text
    assert old_link
