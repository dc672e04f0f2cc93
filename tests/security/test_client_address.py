"""G6 item 5: behind a proxy, the client is the right-most untrusted X-Forwarded-For entry, for the sign-in
limits and the audit trail alike; the client-supplied left-most entry is never believed."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from casereview.core.client_ip import client_address
from tests.factories import UserFactory
from tests.partnership.test_sign_in import PASSWORD

PROXY = "10.0.0.1"


@pytest.mark.parametrize(("trusted", "forwarded", "expected"), [
    (0, "6.6.6.6", PROXY),  # no proxy configured: the header is ignored
    (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the left-most entry was made up by the client
    (1, "198.51.100.7", "198.51.100.7"),
    (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
    (2, "198.51.100.7", PROXY),  # fewer entries than proxies: did not come through them; believe the peer
    (1, "not-an-address", PROXY),
])
def test_the_client_address_is_the_right_most_untrusted_entry(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request.META) == expected


def _fail_sign_in(address: str, login: str):
    return Client().post(reverse("account_login"), {"login": login, "password": "wrong password entirely"},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{len(login)}, {address}")


def test_one_address_guessing_behind_the_proxy_does_not_lock_everyone_out(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="pat")
    for attempt in range(25):  # more than the per-address limit of failed sign-ins
        _fail_sign_in("203.0.113.66", f"nobody{attempt}")
    blocked = _fail_sign_in("203.0.113.66", "pat")
    assert "Too many failed" in blocked.text or blocked.status_code == 429
    # Someone else behind the same proxy signs in as usual.
    response = Client().post(reverse("account_login"), {"login": "pat", "password": PASSWORD},
                             REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
