"""Walking a session's tree inside one transaction: find, create, list.

A path of n names costs n point reads (one per level, at most 64): the price
of a tree in which a directory of any size moves by rewriting one entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from fdbstore.transaction import ReadOperations, Transaction
from files.errors import FileNotFound, NotADirectory
from files.records import DIRECTORY, ROOT_ID, Entry
from files.repositories import entries_page, entry_get, entry_set

LIST_BATCH = 100  # entries per range read while listing


@dataclass(frozen=True)
class Located:
    parent_id: uuid.UUID
    name: str
    entry: Entry | None


def dir_id_of(tr: ReadOperations, sid: uuid.UUID, parts: tuple[str, ...]) -> uuid.UUID:
    """The id of the directory at ``parts``; ``FileNotFound`` if it is missing or a file."""
    dir_id = ROOT_ID
    for name in parts:
        entry = entry_get(tr, sid, dir_id, name)
        if entry is None or not entry.is_dir:
            raise FileNotFound()
        dir_id = entry.id
    return dir_id


def locate(tr: ReadOperations, sid: uuid.UUID, parts: tuple[str, ...]) -> Located:
    """The entry at ``parts`` (None if absent) and its parent's id; ``FileNotFound`` if a
    parent is missing or a file."""
    parent = dir_id_of(tr, sid, parts[:-1])
    return Located(parent, parts[-1], entry_get(tr, sid, parent, parts[-1]))


def make_dirs(tr: Transaction, sid: uuid.UUID, parts: tuple[str, ...], now_ms: int) -> uuid.UUID:
    """The id of the directory at ``parts``, creating what is missing (``mkdir -p``).

    ``NotADirectory`` if a file stands in the way."""
    dir_id = ROOT_ID
    for name in parts:
        entry = entry_get(tr, sid, dir_id, name)
        if entry is None:
            entry = Entry(DIRECTORY, uuid.uuid4(), now_ms)
            entry_set(tr, sid, dir_id, name, entry)
        elif not entry.is_dir:
            raise NotADirectory()
        dir_id = entry.id
    return dir_id


Frame = tuple[uuid.UUID, tuple[str, ...], str | None]  # (dir id, its path, last name seen)


def resume_frames(
    tr: ReadOperations, sid: uuid.UUID, base: uuid.UUID, after: tuple[str, ...] | None
) -> list[Frame]:
    """The walk's stack to continue after the path ``after`` (relative to ``base``).

    A name of ``after`` that has gone since (moved, deleted) still places the walk
    in name order; a directory reached by ``after`` is entered next (pre-order)."""
    if not after:
        return [(base, (), None)]
    frames: list[Frame] = []
    dir_id = base
    for depth, name in enumerate(after):
        frames.append((dir_id, after[:depth], name))
        entry = entry_get(tr, sid, dir_id, name)
        if entry is None or not entry.is_dir:
            return frames
        dir_id = entry.id
    frames.append((dir_id, after, None))
    return frames


def walk(
    tr: ReadOperations, sid: uuid.UUID, frames: list[Frame], *, recursive: bool
) -> Iterator[tuple[tuple[str, ...], Entry]]:
    """Yield (path relative to the walk's base, entry) in name order, depth first,
    a directory before its contents; reads lazily, ``LIST_BATCH`` entries at a time."""
    while frames:
        dir_id, prefix, after = frames[-1]
        rows = entries_page(tr, sid, dir_id, after=after, limit=LIST_BATCH)
        descended = False
        for name, entry in rows:
            frames[-1] = (dir_id, prefix, name)
            yield (*prefix, name), entry
            if recursive and entry.is_dir:
                frames.append((entry.id, (*prefix, name), None))
                descended = True
                break
        if not descended and len(rows) < LIST_BATCH:
            frames.pop()
