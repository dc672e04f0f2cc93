import pytest
from django.core import mail
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from casereview.core.errors import ServiceError
from casereview.notifications.models import OutboundEmail
from casereview.notifications.services import email_queue, email_retry


def test_a_queued_email_is_sent_after_the_transaction_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to="chair@testshire.example", subject="A referral arrived", body="See CaseReview.",
                            board_id=world.board.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 1
    assert mail.outbox[0].subject == "A referral arrived"


def test_a_failure_is_recorded_and_visible(world, as_user, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.broken_backend.BrokenBackend"
    settings.EMAIL_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to="chair@testshire.example", subject="Chaser", body="x", board_id=world.board.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and "relay refused" in email.last_error
    html = as_user(world.manager).get(reverse("notifications:log")).text
    assert "Failed" in html and "relay refused" in html and "Try again" in html


def test_the_manager_retries_a_failed_email(world, as_user, django_capture_on_commit_callbacks):
    email = OutboundEmail.objects.create(board_id=world.board.pk, to="x@testshire.example", subject="Retry me",
                                         body="x", status=OutboundEmail.Status.FAILED, attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(world.manager).post(reverse("notifications:retry", args=[email.pk]))
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


def test_the_log_shows_only_the_boards_own_emails(world, as_user):
    OutboundEmail.objects.create(board_id=world.other_board.pk, to="secret@elsewhere.example", subject="Theirs",
                                 body="x")
    assert "secret@elsewhere.example" not in as_user(world.manager).get(reverse("notifications:log")).text


def test_links_in_emails_are_full_addresses(settings):
    from casereview.core.links import absolute_url

    settings.SITE_URL = "https://casereview.testshire.example"
    assert absolute_url("cases:detail", 7) == "https://casereview.testshire.example/cases/7/"


def test_an_emails_status_changes_only_through_its_transitions(world):
    email = OutboundEmail.objects.create(board_id=world.board.pk, to="x@testshire.example", subject="Sent once",
                                         body="x")
    with pytest.raises(AttributeError):
        email.status = OutboundEmail.Status.SENT  # protected: no assignment
    with pytest.raises(TransitionNotAllowed):
        email.retry()  # a queued email is not waiting for a retry


def test_a_second_retry_of_the_same_email_is_refused_and_says_why(world):
    email = OutboundEmail.objects.create(board_id=world.board.pk, to="x@testshire.example", subject="Retry me",
                                         body="x", status=OutboundEmail.Status.FAILED, attempts=5)
    email_retry(by=world.manager, email=email)
    with pytest.raises(ServiceError, match="not waiting for a retry"):
        email_retry(by=world.manager, email=email)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED and email.attempts == 0
