from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from casereview.partnership.roles import Role
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def sign_in(client: Client, login: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_a_person_signs_in_with_their_email_address(db):
    UserFactory(username="pat", email="pat@testshire.example", roles=[Role.BUSINESS_MANAGER])
    response = sign_in(Client(), "pat@testshire.example")
    assert response.status_code == 302


def test_every_real_account_must_set_up_two_factor_before_anything_else(db):
    UserFactory(username="pat", roles=[Role.BUSINESS_MANAGER])
    client = Client()
    sign_in(client, "pat")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Setting up an authenticator asks for the password once more (allauth's reauthentication).
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    setup_page = client.get(reverse("mfa_activate_totp"))
    assert setup_page.status_code == 200
    assert "Authenticator" in setup_page.text and "data:image/svg+xml" in setup_page.text


def test_demo_accounts_skip_two_factor_only_in_demo_mode(db, settings):
    UserFactory(username="demo-person", is_demo_account=True, roles=[Role.BUSINESS_MANAGER])
    settings.DEMO_MODE = True
    client = Client()
    sign_in(client, "demo-person")
    assert client.get(reverse("home")).status_code == 200
    settings.DEMO_MODE = False
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_a_wrong_password_shows_the_error_summary(db):
    UserFactory(username="pat")
    response = sign_in(Client(), "pat", "wrong password entirely")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and "There is a problem" in response.text


def test_an_empty_form_says_what_to_enter(db):
    response = Client().post(reverse("account_login"), {"login": "", "password": ""})
    assert "Enter your email address or sign-in name" in response.text
    assert 'href="#id_login"' in response.text


def test_repeated_failures_lock_the_account_out(db):
    UserFactory(username="pat")
    client = Client()
    for _ in range(5):
        sign_in(client, "pat", "wrong password entirely")
    response = sign_in(client, "pat")  # even the right password is refused while locked out
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_sessions_end_after_thirty_idle_minutes():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True


def test_password_reset_sends_an_email(db, django_capture_on_commit_callbacks):
    UserFactory(username="pat", email="pat@testshire.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("account_reset_password"), {"email": "pat@testshire.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "pat@testshire.example" in mail.outbox[0].to
    message = mail.outbox[0]
    assert message.subject.startswith("CaseReview: ") and "example.com" not in message.subject
    body_without_link = "\n".join(line for line in message.body.splitlines() if "://" not in line)
    assert "example.com" not in body_without_link and "testserver" not in body_without_link


def test_nobody_can_sign_up_themselves(db):
    response = Client().get(reverse("account_signup"))
    assert "Sign Up Closed" in response.text or response.status_code in (403, 404)


def test_the_login_page_says_it_is_a_demo_in_demo_mode(db, settings):
    settings.DEMO_MODE = True
    html = Client().get(reverse("account_login")).text
    assert "This is a demonstration" in html and "manager" in html
    settings.DEMO_MODE = False
    assert "This is a demonstration" not in Client().get(reverse("account_login")).text


def _totp_user():
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = UserFactory(username="pat", roles=[Role.BUSINESS_MANAGER])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return user, secret, codes


def test_signing_in_with_an_authenticator_asks_for_the_code(db):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    _, secret, _ = _totp_user()
    client = Client()
    response = sign_in(client, "pat")
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in until the code is given
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(db):
    _, _, codes = _totp_user()
    client = Client()
    sign_in(client, "pat")
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert client.get(reverse("home")).status_code == 200
    again = Client()
    sign_in(again, "pat")
    again.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.get(reverse("home")).status_code == 302


def test_a_wrong_code_is_refused_with_a_message(db):
    _totp_user()
    client = Client()
    sign_in(client, "pat")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "govuk-error-summary" in response.text
