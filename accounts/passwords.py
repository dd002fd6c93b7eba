"""Password hashing and validation: Django's hashers and validators, no ORM.

``PASSWORD_HASHERS`` puts Argon2id first with Django's default parameters;
``check`` upgrades a hash whose parameters are no longer the current ones,
and ``burn`` runs the hasher for an unknown email so that login takes the
same time whether or not the account exists (Django ticket #20760).
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.contrib.auth import hashers, password_validation
from django.core.exceptions import ValidationError

from config.api.errors import ValidationFailed

_LABELS = {"email": "email address", "first_name": "first name", "last_name": "last name"}


class _PasswordOwner(SimpleNamespace):
    """What ``UserAttributeSimilarityValidator`` reads off a user: the attributes,
    and ``_meta.get_field(name).verbose_name`` for its message."""

    _meta = SimpleNamespace(get_field=lambda name: SimpleNamespace(verbose_name=_LABELS[name]))


def validate(password: str, *, email: str, first_name: str, last_name: str) -> None:
    """Run ``AUTH_PASSWORD_VALIDATORS``; their messages go in ``details.password``."""
    user = _PasswordOwner(email=email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(details={"password": list(exc.messages)}) from None


def make(password: str) -> str:
    return hashers.make_password(password)


def check(password: str, encoded: str, *, upgrade: Callable[[str], None]) -> bool:
    """True if ``password`` matches; calls ``upgrade(new_hash)`` when the hash is outdated."""
    return hashers.check_password(password, encoded, setter=lambda raw: upgrade(make(raw)))


def burn(password: str) -> None:
    """Spend the time a real check would, for a user that does not exist."""
    make(password)
