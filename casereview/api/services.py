import hashlib
import hmac
import secrets
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.core.errors import ServiceError

from .models import ApiToken

TOKEN_START = "cr_"  # noqa: S105 - a visible prefix, not a secret
# Writing last_used_at on every call would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenError(ServiceError):
    pass


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_DAYS)


def two_factor_enrolled(user) -> bool:
    """A token is as strong as the account behind it: only an account protected by an authenticator app may
    hold one (or, while demo mode is on, a fictional demo account, whose tokens die with demo mode)."""
    if settings.DEMO_MODE and getattr(user, "is_demo_account", False):
        return True
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def api_token_create(*, by, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`. The key is returned once and never stored."""
    if not two_factor_enrolled(user):
        raise ApiTokenError("Set up two-factor authentication (an authenticator app) before you create an API token")
    if not name.strip():
        raise ApiTokenError("Say what the token is for", field="name")
    prefix = secrets.token_hex(4)
    key = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name.strip(), prefix=prefix, key_hash=_hash(key),
                                        expires_at=timezone.now() + _lifetime(),
                                        made_in_demo_mode=settings.DEMO_MODE)
        audit_record(by=by, action="api_token.created", obj=token, board_id=user.board_id,
                     detail={"owner": user.username, "expires": token.expires_at.date().isoformat()})
    return token, key


def api_token_renew(*, by, token: ApiToken) -> ApiToken:
    """Give a working token another full lifetime from today."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
        if token.revoked_at is not None:
            raise ApiTokenError("This token has been revoked: create a new one instead")
        if token.made_in_demo_mode and not settings.DEMO_MODE:
            raise ApiTokenError("This token was made in the demonstration: create a new one instead")
        if not two_factor_enrolled(token.user):
            raise ApiTokenError("Set up two-factor authentication (an authenticator app) before you renew a token")
        token.expires_at = timezone.now() + _lifetime()
        token.save(update_fields=["expires_at"])
        audit_record(by=by, action="api_token.renewed", obj=token, board_id=token.user.board_id,
                     detail={"expires": token.expires_at.date().isoformat()})
    return token


def api_token_revoke(*, by, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(by=by, action="api_token.revoked", obj=token, board_id=token.user.board_id)
    return token


def api_token_authenticate(key: str):
    """The active owner of a valid, unrevoked, unexpired token whose account has two-factor, or None."""
    if not key.startswith(TOKEN_START) or key.count("_") < 2:
        return None
    prefix = key[len(TOKEN_START):].split("_", 1)[0]
    token = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).select_related("user").first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(key)) or not token.user.is_active:
        return None
    if token.is_expired or (token.made_in_demo_mode and not settings.DEMO_MODE):
        return None
    if not two_factor_enrolled(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
