"""The repositories of every app, for commands that walk the whole store.

Domain apps register their repositories when their module is imported (from
their ``AppConfig.ready``); ``fdbstore_check`` and friends read them here.
Tests swap the whole registry for a block with ``use_repositories``.

Data that is not records-with-indexes (the files tree and its blobs) registers
a check instead: ``register_check(name, check)``, ``check(db, repair=...)``
returning an ``IndexReport``; ``fdbstore_check`` runs them after the
repositories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fdbstore.repository import Repository

_repositories: dict[str, Repository[Any]] = {}
_checks: dict[str, Callable[..., Any]] = {}


def register(name: str, repository: Repository[Any]) -> Repository[Any]:
    existing = _repositories.get(name)
    if existing is not None and existing is not repository:
        raise ValueError(f"a repository named {name!r} is already registered")
    _repositories[name] = repository
    return repository


def repositories() -> dict[str, Repository[Any]]:
    return dict(_repositories)


def register_check(name: str, check: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``check(db, *, repair) -> IndexReport`` for ``fdbstore_check``."""
    _checks[name] = check
    return check


def checks() -> dict[str, Callable[..., Any]]:
    return dict(_checks)


@contextmanager
def use_repositories(
    repos: dict[str, Repository[Any]], *, replace: bool = True
) -> Iterator[dict[str, Repository[Any]]]:
    """Register ``repos`` inside the block and restore the registry afterwards.

    With ``replace`` (the default) they are the only ones registered (and no
    check), so a test sees exactly its own; otherwise they join those already there."""
    saved, saved_checks = dict(_repositories), dict(_checks)
    if replace:
        _repositories.clear()
        _checks.clear()
    try:
        for name, repository in repos.items():
            register(name, repository)
        yield repositories()
    finally:
        _repositories.clear()
        _repositories.update(saved)
        _checks.clear()
        _checks.update(saved_checks)
