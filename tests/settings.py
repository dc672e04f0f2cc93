"""Settings for the test suite: the real settings, with tasks run inline and test-only storage."""

import os
from pathlib import Path

os.environ.setdefault("CASEREVIEW_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from casereview.settings import *  # noqa: E402, F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - speed, tests only
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# The SQLite test database is built by migrations once per set of migration files and then reused (the file
# name carries a hash of them, so a new migration builds a fresh one); tests/conftest.py empties it at the
# start of each run. PostgreSQL (CI's second run) is built afresh each time.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import hashlib

    _migrations = sorted((Path(__file__).resolve().parent.parent / "casereview").glob("*/migrations/*.py"))
    _digest = hashlib.sha256(b"".join(p.read_bytes() for p in _migrations)).hexdigest()[:16]
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{_digest}.sqlite3")}  # noqa: F405
    # Databases built from older migration files are never used again: remove them (each is tens of MB).
    for _stale in VAR_DIR.glob("test-db-*.sqlite3*"):  # noqa: F405
        if not _stale.name.startswith(f"test-db-{_digest}.sqlite3"):
            _stale.unlink(missing_ok=True)
