"""G1 item 6: a person can choose one daily digest instead of single emails. G6 item 10: a link that works once
(the invitation's set-password link) is not kept in the stored copy of an email once it has gone."""

from django.core import mail
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.notifications.links import REMOVED, without_live_links
from casereview.notifications.models import EmailPreference, OutboundEmail
from casereview.notifications.services import email_preference_set, email_queue, send_daily_digests


def _chair_wants_digest(world):
    world.chair.email = "chair@testshire.example"
    world.chair.save(update_fields=["email"])
    return email_preference_set(by=world.chair, user=world.chair, frequency=EmailPreference.Frequency.DAILY)


def test_a_person_who_chose_a_digest_gets_one_email_a_day(world, django_capture_on_commit_callbacks):
    _chair_wants_digest(world)
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(to="chair@testshire.example", subject="Referral TST-1 received", body="See the referral.",
                    board_id=world.board.pk)
        email_queue(to="Chair@Testshire.example", subject="Decision due in 3 days", body="Decide TST-1.",
                    board_id=world.board.pk)
        email_queue(to="bm@testshire.example", subject="For the manager", body="x", board_id=world.board.pk)
    assert [m.to for m in mail.outbox] == [["bm@testshire.example"]]  # the chair's two are held
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.HELD).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests() == 1
    digest = mail.outbox[-1]
    assert digest.to == ["chair@testshire.example"] and "daily digest (2 updates)" in digest.subject
    assert "Referral TST-1 received" in digest.body and "Decision due in 3 days" in digest.body
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.IN_DIGEST).count() == 2
    assert AuditEvent.objects.filter(action="email.digest_queued").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests() == 0  # nothing held: no empty digest


def test_the_digest_is_chosen_on_a_page_and_going_back_releases_held_mail(world, as_user,
                                                                          django_capture_on_commit_callbacks):
    world.chair.email = "chair@testshire.example"
    world.chair.save(update_fields=["email"])
    client = as_user(world.chair)
    page = client.get(reverse("notifications:preferences")).text
    assert "Send one digest email each morning" in page
    client.post(reverse("notifications:preferences"), {"frequency": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(to="chair@testshire.example", subject="Held", body="x", board_id=world.board.pk)
    assert "1 email will be in your next digest" in client.get(reverse("notifications:preferences")).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:preferences"), {"frequency": "immediate"})
    assert [m.subject for m in mail.outbox] == ["Held"]
    assert AuditEvent.objects.filter(action="email.preference_changed", actor_id=world.chair.pk).count() == 2


def test_an_unchosen_frequency_is_refused_with_a_message(world, as_user):
    response = as_user(world.chair).post(reverse("notifications:preferences"), {"frequency": ""})
    assert "Choose how you want to get emails" in response.text and "govuk-error-summary" in response.text


def test_the_invitation_link_is_removed_from_the_stored_email_once_sent(world, django_capture_on_commit_callbacks):
    link = "https://casereview.testshire.example/accounts/password/reset/key/2s-cz5x1k-0123456789abcdef0123/"
    case_link = "https://casereview.testshire.example/reviews/12/findings/"
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to="new@testshire.example", subject="You have a CaseReview account",
                            body=f"Choose your password: {link}\nThen see {case_link}", board_id=world.board.pk)
    assert link in mail.outbox[0].body  # the person got the working link
    email.refresh_from_db()
    assert link not in email.body and REMOVED in email.body and email.links_removed
    assert case_link in email.body  # an ordinary link (which needs signing in) stays


def test_live_links_are_recognised():
    assert without_live_links("go to https://x.example/a?token=abc then") == f"go to {REMOVED} then"
    assert without_live_links("https://x.example/cases/7/") == "https://x.example/cases/7/"
