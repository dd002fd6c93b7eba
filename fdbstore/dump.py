"""Writing a dump: the whole store or one tenant, as versioned JSON lines.

The format is described in ``fdbstore.dumpfile`` and the scopes in
``fdbstore.scopes``. The pairs are read in bounded snapshot batches, one
short transaction each, so a dump of any size stays inside FoundationDB's
5-second limit; a dump of a store that is being written is therefore not one
consistent snapshot (stop the writers for an exact copy).
"""

from __future__ import annotations

from typing import IO, Any

from fdbstore.database import Database
from fdbstore.dumpfile import DumpError, Header, end_line, entry_line
from fdbstore.keys import LAYOUT_VERSION, keyspace
from fdbstore.layout import read_layout_version
from fdbstore.progress import Progress
from fdbstore.scopes import StoreScope, TenantScope
from fdbstore.status import root_name


def dump(
    db: Database,
    out: IO[str] | Any,
    scope: StoreScope | TenantScope,
    *,
    progress: Progress | None = None,
) -> int:
    """Write ``scope`` of ``db`` to ``out``; return the number of pairs written."""
    if not scope.exists(db):
        raise DumpError(f"tenant {scope.tenant} does not exist")
    layout = db.transact(read_layout_version) or LAYOUT_VERSION
    out.write(Header(layout, root_name(), scope.name, scope.tenant).line())
    prefix = len(keyspace().root.key())
    count = 0
    for pair in scope.pairs(db):
        out.write(entry_line(pair.key[prefix:], pair.value))
        count += 1
        if progress is not None:
            progress.advance()
    out.write(end_line(count))
    if progress is not None:
        progress.close()
    return count
