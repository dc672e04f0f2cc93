"""Secrets at rest: authenticator (TOTP) secrets and recovery-code seeds are stored encrypted.

The keys come from settings (`FIELD_ENCRYPTION_KEYS`, from the environment variable CASEREVIEW_FIELD_KEYS: Fernet
keys separated by commas, the newest first). Without it, an installation makes its own key once and keeps it in
var/field_keys (mode 0600), next to its generated SECRET_KEY, never in the database.

Rotation: put a new key first and keep the old ones after it, run `manage.py rotate_field_keys` (every secret is
re-encrypted with the newest key), then drop the old keys.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "enc1:"  # marks an encrypted value; anything else is a secret written before encryption was switched on


def new_key() -> str:
    return Fernet.generate_key().decode()


def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise RuntimeError("No FIELD_ENCRYPTION_KEYS: set CASEREVIEW_FIELD_KEYS")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    if not is_encrypted(value):
        return value  # written in the clear before encryption: rotate_field_keys encrypts it
    try:
        return _fernet().decrypt(value[len(PREFIX):].encode()).decode()
    except InvalidToken as error:
        raise RuntimeError("An encrypted secret cannot be read with the configured keys "
                           "(CASEREVIEW_FIELD_KEYS): was a key removed before rotate_field_keys ran?") from error


def rotate(value: str) -> str:
    """The value encrypted with the newest key (plain values are encrypted)."""
    if not is_encrypted(value):
        return encrypt(value)
    return PREFIX + _fernet().rotate(value[len(PREFIX):].encode()).decode()


class MFAAdapter(DefaultMFAAdapter):
    """allauth stores TOTP secrets and recovery-code seeds through these two hooks."""

    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)
