import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from casereview.audit.services import audit_record

from .models import ApiToken

TOKEN_START = "cr_"  # noqa: S105 - a visible prefix, not a secret
# Writing last_used_at on every call would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, by, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`. The key is returned once and never stored."""
    prefix = secrets.token_hex(4)
    key = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name.strip(), prefix=prefix, key_hash=_hash(key))
        audit_record(by=by, action="api_token.created", obj=token, board_id=user.board_id,
                     detail={"owner": user.username})
    return token, key


def api_token_revoke(*, by, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(by=by, action="api_token.revoked", obj=token, board_id=token.user.board_id)
    return token


def api_token_authenticate(key: str):
    """The active owner of a valid, unrevoked token, or None."""
    if not key.startswith(TOKEN_START) or key.count("_") < 2:
        return None
    prefix = key[len(TOKEN_START):].split("_", 1)[0]
    token = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).select_related("user").first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(key)) or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
