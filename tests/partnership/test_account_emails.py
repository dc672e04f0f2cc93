"""The sign-in emails django-allauth sends go through the outbound email queue, like every other email."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from casereview.notifications.links import REMOVED
from casereview.notifications.models import OutboundEmail
from tests.factories import UserFactory

LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+")


def test_a_password_reset_is_queued_sent_and_its_stored_copy_loses_the_link(db, django_capture_on_commit_callbacks):
    person = UserFactory(username="pat", email="pat@testshire.example")
    person.set_password("the old password, forgotten")
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("account_reset_password"), {"email": "pat@testshire.example"})
    assert response.status_code == 302

    email = OutboundEmail.objects.get()  # one row, in the queue's table, about the person and their board
    assert (email.to, email.status, email.board_id) == ("pat@testshire.example", "sent", person.board_id)
    assert (email.about_type, email.about_id) == ("partnership.user", str(person.pk))
    assert email.subject.startswith("CaseReview: ")

    (sent,) = mail.outbox  # delivered once, by the queue's task
    assert sent.subject == email.subject
    link = LINK.search(sent.body).group(0)
    assert LINK.search(email.body) is None and REMOVED in email.body and email.links_removed

    # The link in the message the person received still works: it sets a new password.
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                           {"password1": "a brand new long passphrase 7", "password2": "a brand new long passphrase 7"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a brand new long passphrase 7")


def test_an_address_nobody_has_is_queued_too_without_a_board(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": "nobody@testshire.example"})
    assert [(e.to, e.board_id) for e in OutboundEmail.objects.all()] == [("nobody@testshire.example", None)]
    assert len(mail.outbox) == 1
