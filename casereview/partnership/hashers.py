"""The password hasher for sign-in: Argon2id at the OWASP-recommended cost (m=19 MiB, t=2, p=1).

Django's default PBKDF2 (1,000,000 iterations) takes 0.7 s a sign-in on the standard 2-core machine, more
under load; Argon2id is memory-hard, so it resists GPU guessing better at a fraction of the CPU time
(see BENCHMARKS.md, "Sign-in"). Existing PBKDF2 hashes keep working and are upgraded at the next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class BoardArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, OWASP Password Storage Cheat Sheet (2025) first option: 19 MiB, 2 passes, 1 lane."""

    algorithm = "argon2"  # the same encoding as Django's: hashes stay readable by the stock hasher
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
