"""Sign-in speed (issue G7 item 10): where the time of one sign-in goes, and what each password hasher costs.

Run: `.venv/bin/python -m bench.signin_bench` (or `make bench`). Uses its own throwaway SQLite database in a
temporary directory. For each password hasher it creates one account, then times the sign-in form post
(`/accounts/login/`, the same request a browser sends) ROUNDS times by sign-in name and by email address,
counting how many password hashes each sign-in computes. Target: under 0.5 s on the 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
TARGET_S = 0.5
PASSWORD = "plum orchard lantern 42"  # noqa: S105 - a fictional account in a throwaway database

HASHERS = {
    "PBKDF2-SHA256, 1,000,000 iterations (Django 5.2 default)": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "Argon2id (t=2, m=100 MiB, p=8; Django default)": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "scrypt (N=2^14, r=8, p=1; Django default)": "django.contrib.auth.hashers.ScryptPasswordHasher",
    "Argon2id (t=2, m=19 MiB, p=1; OWASP; proposed)": "casereview.partnership.hashers.BoardArgon2PasswordHasher",
}


def _setup_django(tmp: Path):
    os.environ["CASEREVIEW_VAR_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _available(path: str) -> bool:
    from django.utils.module_loading import import_string

    try:
        import_string(path)().algorithm  # noqa: B018 - Argon2 needs argon2-cffi
        if "Argon2" in path:
            import argon2  # noqa: F401
    except ImportError:
        return False
    return True


def _count_hashes():
    """Count the password hashes one request computes: each check of a password, and each dummy hash made
    to hide whether an account exists (Django's set_password on an unsaved user)."""
    from django.contrib.auth import base_user, hashers

    counter = {"n": 0}
    for cls in (hashers.PBKDF2PasswordHasher, hashers.ScryptPasswordHasher, hashers.Argon2PasswordHasher):
        original = cls.verify

        def verify(self, *args, _original=original, **kwargs):
            counter["n"] += 1
            return _original(self, *args, **kwargs)

        cls.verify = verify
    original_make = base_user.make_password

    def make_password(*args, **kwargs):
        counter["n"] += 1
        return original_make(*args, **kwargs)

    base_user.make_password = make_password
    return counter


def _time_signin(client_factory, login: str, counter) -> tuple[list[float], int]:
    from django.core.cache import cache

    times, hashes = [], 0
    for _ in range(ROUNDS):
        cache.clear()  # the rate limiter counts sign-ins per address
        client = client_factory()
        before = counter["n"]
        start = time.perf_counter()
        response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        times.append(time.perf_counter() - start)
        hashes = counter["n"] - before
        if response.status_code != 302:
            raise SystemExit(f"sign-in failed with status {response.status_code}")
    return times, hashes


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(Path(tmp))
        from django.conf import settings
        from django.contrib.auth.hashers import make_password
        from django.test import Client, override_settings

        from casereview.partnership.models import Board, User

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        counter = _count_hashes()
        board = Board.objects.create(name="Benchshire Safeguarding Children Board", slug="benchshire")
        print(f"Sign-in, median of {ROUNDS} (seconds); hashes computed per sign-in in brackets")
        for label, path in HASHERS.items():
            if not _available(path):
                print(f"  {label}: not installed (pip install argon2-cffi)")
                continue
            with override_settings(PASSWORD_HASHERS=[path]):
                start = time.perf_counter()
                encoded = make_password(PASSWORD)
                one_hash = time.perf_counter() - start
                username = f"bench-{path.rsplit('.', 1)[1].lower()}"
                User.objects.filter(username=username).delete()
                User.objects.create(username=username, email=f"{username}@benchshire.example", password=encoded,
                                    board=board)
                by_name, n_name = _time_signin(Client, username, counter)
                by_email, n_email = _time_signin(Client, f"{username}@benchshire.example", counter)
                name_median, email_median = statistics.median(by_name), statistics.median(by_email)
                verdict = "meets" if max(name_median, email_median) < TARGET_S else "misses"
                print(f"  {label}: one hash {one_hash:.3f}; by sign-in name {name_median:.3f} ({n_name}); "
                      f"by email {email_median:.3f} ({n_email}) -> {verdict} the {TARGET_S} s target")


if __name__ == "__main__":
    main()
