"""The repositories of every app, for commands that walk the whole store.

Domain apps register their repositories when their module is imported (from
their ``AppConfig.ready``); ``fdbstore_check`` and friends read them here.
"""

from __future__ import annotations

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
