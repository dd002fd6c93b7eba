"""What ``fdbstore_status`` reports: where the store is and how much it holds.

Keys and bytes (key plus value) are counted per top-level space with bounded
snapshot range reads, one short transaction per batch (``fdbstore.scan``), so
counting a large store never runs into FoundationDB's 5-second limit and
never makes a concurrent writer conflict. On a live store the counts are
therefore a moving sum, not one snapshot.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from fdb import tuple as fdbtuple

from fdbstore.database import Database
from fdbstore.keys import LAYOUT_VERSION, SPACES, keyspace
from fdbstore.layout import read_layout_version
from fdbstore.scan import batches


@dataclass(frozen=True)
class SpaceUsage:
    space: str
    keys: int
    bytes: int


@dataclass(frozen=True)
class StoreStatus:
    backend: str
    location: str
    root: str
    layout_version: int | None
    code_layout_version: int
    spaces: list[SpaceUsage] = field(default_factory=list)

    @property
    def total(self) -> SpaceUsage:
        return SpaceUsage(
            "total", sum(s.keys for s in self.spaces), sum(s.bytes for s in self.spaces)
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["total"] = {"keys": self.total.keys, "bytes": self.total.bytes}
        return data


def root_name() -> str:
    """The configured root, read back from the keyspace that is in use."""
    return fdbtuple.unpack(keyspace().root.key())[0]


def space_usage(db: Database, name: str, *, batch_size: int | None = None) -> SpaceUsage:
    """Count the keys and bytes of one top-level space."""
    span = keyspace().space(name).range()
    keys = size = 0
    for batch in batches(db, span.start, span.stop, size=batch_size):
        keys += len(batch)
        size += sum(len(row.key) + len(row.value) for row in batch)
    return SpaceUsage(name, keys, size)


def store_status(db: Database, *, batch_size: int | None = None) -> StoreStatus:
    return StoreStatus(
        backend=db.backend_name,
        location=db.describe(),
        root=root_name(),
        layout_version=db.transact(read_layout_version),
        code_layout_version=LAYOUT_VERSION,
        spaces=[space_usage(db, name, batch_size=batch_size) for name in SPACES],
    )
