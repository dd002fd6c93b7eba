"""The repositories of every app, for commands that walk the whole store.

Domain apps register their repositories when their module is imported (from
their ``AppConfig.ready``); ``fdbstore_check`` and friends read them here.
Tests swap the whole registry for a block with ``use_repositories``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fdbstore.repository import Repository

_repositories: dict[str, Repository[Any]] = {}


def register(name: str, repository: Repository[Any]) -> Repository[Any]:
    existing = _repositories.get(name)
    if existing is not None and existing is not repository:
        raise ValueError(f"a repository named {name!r} is already registered")
    _repositories[name] = repository
    return repository


def repositories() -> dict[str, Repository[Any]]:
    return dict(_repositories)


@contextmanager
def use_repositories(
    repos: dict[str, Repository[Any]], *, replace: bool = True
) -> Iterator[dict[str, Repository[Any]]]:
    """Register ``repos`` inside the block and restore the registry afterwards.

    With ``replace`` (the default) they are the only ones registered, so a
    test sees exactly its own; otherwise they join those already there."""
    saved = dict(_repositories)
    if replace:
        _repositories.clear()
    try:
        for name, repository in repos.items():
            register(name, repository)
        yield repositories()
    finally:
        _repositories.clear()
        _repositories.update(saved)
