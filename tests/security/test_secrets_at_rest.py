"""G6 item 10: authenticator secrets encrypted at rest (rotated by a command); files 0600, directories 0700.
G6 item 11: email that would not leave the machine makes `check --deploy` warn."""

import os
import stat

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from casereview.core import crypto
from tests.factories import UserFactory


def _stored(user, kind=Authenticator.Type.TOTP) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def test_the_authenticator_secret_is_not_stored_in_the_clear(db):
    user = UserFactory(username="pat")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    stored = _stored(user)["secret"]
    assert secret not in stored and stored.startswith(crypto.PREFIX)
    assert _stored(user, Authenticator.Type.RECOVERY_CODES)["seed"].startswith(crypto.PREFIX)
    # and it still checks a code from the person's app
    code = hotp_value(secret, next(yield_hotp_counters_from_time()))
    assert TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)).validate_code(f"{code:06d}")


def test_rotating_the_key_re_encrypts_every_secret_and_encrypts_old_plain_ones(db, settings):
    old_key, new_key = crypto.new_key(), crypto.new_key()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    user = UserFactory(username="pat")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    legacy = UserFactory(username="lee")
    Authenticator.objects.create(user=legacy, type=Authenticator.Type.TOTP, data={"secret": "PLAINSECRET"})
    before = _stored(user)["secret"]

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone: everything must read with the new one
    assert _stored(user)["secret"] != before
    assert crypto.decrypt(_stored(user)["secret"]) == secret
    assert crypto.decrypt(_stored(legacy)["secret"]) == "PLAINSECRET"
    assert _stored(legacy)["secret"].startswith(crypto.PREFIX)


def test_uploads_are_readable_by_the_service_account_only(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    from django.core.files.storage import storages

    storages._storages.pop("default", None)  # noqa: SLF001 - pick up the test location
    try:
        name = default_storage.save("chronology/2026/import.xlsx", ContentFile(b"data"))
        path = tmp_path / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        storages._storages.pop("default", None)  # noqa: SLF001


def test_files_the_service_makes_are_private(settings, tmp_path):
    # The process umask (set in settings) covers the database, backups, exports and keys alike.
    assert os.umask(0o077) == 0o077
    made = tmp_path / "backup.tar.gz"
    made.write_bytes(b"x")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.VAR_DIR.stat().st_mode) == 0o700


def test_check_deploy_warns_when_email_would_not_leave_the_machine(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "casereview.W001" in ids
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "casereview.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
