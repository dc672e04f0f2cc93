"""G6 item 6: an API token needs two-factor, expires (90 days by default, shown and renewable), and a token
made in demo mode is refused once demo mode is off."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casereview.api.models import ApiToken
from casereview.api.services import ApiTokenError, api_token_authenticate, api_token_create
from casereview.audit.models import AuditEvent
from tests.api.two_factor import enrol_two_factor


def call(key: str):
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me")


def test_an_account_without_two_factor_cannot_make_a_token(world, as_user, settings):
    client = as_user(world.manager)
    settings.DEMO_MODE = False  # a real account: signed in (the test client skips the sign-in), no authenticator
    response = client.post(reverse("api_tokens:list"), {"name": "Dashboard sync"})
    assert response["Location"] == reverse("mfa_activate_totp")
    with pytest.raises(ApiTokenError, match="Set up two-factor authentication"):
        api_token_create(by=world.manager, user=world.manager, name="Sync")
    with pytest.raises(CommandError, match="Set up two-factor authentication"):
        call_command("api_token", world.manager.username)
    assert not ApiToken.objects.exists()


def test_a_token_stops_working_when_its_owner_has_no_two_factor(world, settings):
    settings.DEMO_MODE = False
    _, key = api_token_create(by=world.manager, user=enrol_two_factor(world.manager), name="Sync")
    assert call(key).status_code == 200
    Authenticator.objects.filter(user=world.manager).delete()
    assert call(key).status_code == 401


def test_a_token_expires_after_90_days_unless_renewed(world, as_user, settings):
    settings.DEMO_MODE = False
    token, key = api_token_create(by=world.manager, user=enrol_two_factor(world.manager), name="Sync")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    page = as_user(world.manager).get(reverse("api_tokens:list")).text
    assert "Expires" in page and "works for 90 days" in page
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert call(key).status_code == 401
    assert "Expired" in as_user(world.manager).get(reverse("api_tokens:list")).text
    response = as_user(world.manager).post(reverse("api_tokens:renew", args=[token.pk]), follow=True)
    assert "now works until" in response.text
    assert call(key).status_code == 200
    assert AuditEvent.objects.filter(action="api_token.renewed", actor_id=world.manager.pk).exists()


def test_a_token_made_in_demo_mode_is_refused_once_demo_mode_is_off(world, settings):
    settings.DEMO_MODE = True
    world.manager.is_demo_account = True
    world.manager.save(update_fields=["is_demo_account"])
    _, key = api_token_create(by=world.manager, user=world.manager, name="Demo sync")
    assert api_token_authenticate(key) == world.manager
    settings.DEMO_MODE = False
    enrol_two_factor(world.manager)  # even with two-factor set up later, the demo token stays dead
    assert api_token_authenticate(key) is None
    assert call(key).status_code == 401


def test_renewing_someone_elses_token_is_not_found(world, as_user, settings):
    token, _ = api_token_create(by=world.manager, user=enrol_two_factor(world.manager), name="Sync")
    response = as_user(world.chair).post(reverse("api_tokens:renew", args=[token.pk]))
    assert response.status_code == 404
