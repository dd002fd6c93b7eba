"""Test-only Argon2id with tiny parameters: tests stay fast, production keeps Django's defaults."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1


class OtherFastArgon2PasswordHasher(Argon2PasswordHasher):
    """Same algorithm, different parameters: hashes made by the first must be upgraded."""

    time_cost = 2
    memory_cost = 128
    parallelism = 1
