"""How passwords are stored: Argon2id at the parameters OWASP's Password Storage Cheat Sheet gives
as its minimum (19 MiB of memory, 2 passes, 1 lane).

Django's own Argon2 defaults (100 MiB, 8 lanes) and its PBKDF2 default (1,000,000 iterations) each
cost 0.25-0.8 s of one core per sign-in; on a two-core server ten people signing in at once waited
over a second (issue #19). Argon2id at these parameters takes about 30 ms and, being memory-hard,
resists GPU guessing better than PBKDF2 at any count. Hashes made by an earlier hasher still verify
(``PASSWORD_HASHERS`` keeps PBKDF2 after this one) and are rewritten as Argon2id at the person's
next sign-in (Django's ``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, OWASP minimum parameters; the stored hash names them, so changing them later
    rehashes at the next sign-in."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
