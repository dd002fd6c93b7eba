"""What a dump covers: the whole store, or one tenant.

A scope lists its key-value pairs in ascending key order (bounded snapshot
reads, one short transaction per batch), says whether a key belongs to it
(to validate a dump before loading it) and which of its parts already hold
data in a target store.

The whole store is every top-level space of ``fdbstore.keys.SPACES`` except
``meta`` (the layout header, which each store writes for itself and a dump
records in its header line). Keys under the root outside those spaces are not
the application's and are not dumped.

A tenant T is, exactly (space: keys)::

    tenants:          (T)                 the tenant record
    tenant_users:     (T, U, ...)         its members U
    user_tenants:     (U, T)              each member's membership of T (not of others)
    users:            (U)                 each member's user record
    users_by_email:   (email) -> (U)      each member's email index entry
    tenant_sessions:  (T, S, ...)         its sessions S
    sessions:         (S)                 each session's record

and, for an organisation (issue 10)::

    tenant_roles:           (T, role, U)      its members by role
    tenant_invitations:     (T, I)            its pending invitations I
    invitations:            (I)               each invitation's record
    invitations_by_code:    (digest) -> (I)   their code index entries
    invitations_by_expiry:  (ms, I) -> (I)    their expiry index entries
    tenant_api_keys:        (T, K) -> (D)     its API keys K, stored under digest D
    api_keys:               (D)               each key's record
    user_api_keys:          (U, T, K)         each member's keys in T
    api_key_used:           (D)               each key's last use

and, for the agents hub (issue 13)::

    tenant_agents:    (T, A, ...)         its worker agents A
    agents:           (A)                 each agent's record
    tenant_a2a_tasks: (T, K, ...)         its hub tasks K
    a2a_tasks:        (K)                 each task's record
    a2a_task_log:     (K, seq)            each task's messages, artifacts, status events
    a2a_queue:        (T, skill, K)       its submitted tasks, per skill
    a2a_leases:       (T, ms, K)          its leased tasks, by expiry
    a2a_signal:       (T, skill)          its per-skill wake-up counters
    a2a_task_blobs:   (K, blob)           each task's file parts (chunks: ``agents/dump.py``)

Members and sessions are found through the tenant's own index entries
(``tenant_users``, ``tenant_sessions``), so a record whose index entry is
missing is not dumped: run ``fdbstore_check`` first. A member's email entry
is found by reading ``users_by_email`` for entries pointing at the member (in
bounded batches), which depends on no record schema. Revoked tokens, token
floors and throttle counters are not a tenant's data and are left out.

Higher apps add the spaces they keep per tenant or per session with
``register_tenant_space(name, reader, accepts)`` (files: its entries, blobs,
usage and trash; accounts: its members' avatar records and their blobs):
``reader(db, tenant, session_ids)`` yields the space's pairs of that tenant in
ascending key order, ``accepts(relative, tenant)`` says whether a key of the
space may belong to it. Several apps may register one space (``blob_chunks``:
files and accounts): their readers' pairs are merged in key order and a key
belongs to the tenant when any of them accepts it.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from fdb import tuple as fdbtuple

from fdbstore import scan
from fdbstore.database import Database
from fdbstore.keys import SPACES, Keyspace, keyspace
from fdbstore.scan import batches
from fdbstore.transaction import KeyValue


def in_key_order(spaces: Sequence[str]) -> list[str]:
    ks = keyspace()
    return sorted(spaces, key=lambda name: ks.space(name).key())


DATA_SPACES = tuple(name for name in SPACES if name != "meta")

TenantReader = Callable[[Database, uuid.UUID, list[Any]], Iterator[KeyValue]]
TenantAccepts = Callable[[tuple[Any, ...], uuid.UUID], bool]
_tenant_spaces: dict[str, dict[TenantReader, TenantAccepts]] = {}


def register_tenant_space(name: str, reader: TenantReader, accepts: TenantAccepts) -> None:
    """Dump ``name``'s pairs of a tenant with the tenant (see the module docstring).

    Registering the same reader again replaces its ``accepts``; another reader of
    the same space is added to it."""
    _tenant_spaces.setdefault(name, {})[reader] = accepts


class StoreScope:
    """Every data space of the store."""

    name = "store"
    tenant: uuid.UUID | None = None

    def exists(self, db: Database) -> bool:
        return True

    def pairs(self, db: Database) -> Iterator[KeyValue]:
        for name in in_key_order(DATA_SPACES):
            span = keyspace().space(name).range()
            for batch in batches(db, span.start, span.stop):
                yield from batch

    def accepts(self, relative: tuple[Any, ...]) -> bool:
        return len(relative) >= 2 and relative[0] in DATA_SPACES

    def occupied(self, db: Database) -> list[str]:
        """The spaces that already hold at least one key."""
        return [name for name in DATA_SPACES if _any(db, keyspace().space(name).range())]


class TenantScope:
    """One tenant, its members and its sessions (see the module docstring)."""

    name = "tenant"

    def __init__(self, tenant: uuid.UUID) -> None:
        self.tenant = tenant

    def exists(self, db: Database) -> bool:
        key = keyspace().tenant(self.tenant)
        return db.transact(lambda tr: tr.snapshot.get(key)) is not None

    def pairs(self, db: Database) -> Iterator[KeyValue]:
        ks = keyspace()
        members = _distinct(self._own(db, ks.tenant_users))
        readers: dict[str, Callable[[], Iterator[KeyValue]]] = {
            "sessions": lambda: self._sessions(db, ks),
            "tenant_sessions": lambda: _prefix(db, ks.tenant_sessions.subspace((self.tenant,))),
            "tenant_users": lambda: _prefix(db, ks.tenant_users.subspace((self.tenant,))),
            "tenants": lambda: _fetch(db, [ks.tenant(self.tenant)]),
            "user_tenants": lambda: _fetch(db, [ks.membership(u, self.tenant) for u in members]),
            "users": lambda: _fetch(db, [ks.user(u) for u in members]),
            "users_by_email": lambda: self._emails(db, ks, members),
            **self._organization(db, ks, members),
            # agents (issue 13)
            **self._hub_readers(db, ks),
        }
        if _tenant_spaces:
            sessions = _distinct(self._own(db, ks.tenant_sessions))
            for name, registrations in _tenant_spaces.items():
                parts = [partial(reader, db, self.tenant, sessions) for reader in registrations]
                if name in readers:  # a built-in reader of the same space: merge with it
                    parts.insert(0, readers[name])
                readers[name] = parts[0] if len(parts) == 1 else partial(_merged, *parts)
        for name in in_key_order(list(readers)):
            yield from readers[name]()

    def accepts(self, relative: tuple[Any, ...]) -> bool:
        if len(relative) < 2:
            return False
        space, tenant = relative[0], self.tenant
        if space == "tenants":
            return relative == ("tenants", tenant)
        if space in ("tenant_users", "tenant_sessions"):
            return len(relative) >= 3 and relative[1] == tenant
        if space == "user_tenants":
            return len(relative) == 3 and relative[2] == tenant
        if space in _tenant_spaces:
            return any(accepts(relative, tenant) for accepts in _tenant_spaces[space].values())
        if space in ("tenant_roles", "tenant_invitations", "tenant_api_keys"):
            return len(relative) >= 3 and relative[1] == tenant
        if space == "user_api_keys":
            return len(relative) >= 4 and relative[2] == tenant
        if space in _HUB_BY_TENANT:  # agents (issue 13)
            return len(relative) >= 3 and relative[1] == tenant
        members = ("users", "users_by_email", "sessions")
        return space in (*members, *_REFERENCED, *_HUB_BY_ID)

    def occupied(self, db: Database) -> list[str]:
        """The tenant's own parts already present: its record, members, sessions."""
        ks = keyspace()
        found = ["tenants"] if self.exists(db) else []
        for name in ("tenant_users", "tenant_sessions"):
            if _any(db, ks.space(name).subspace((self.tenant,)).range()):
                found.append(name)
        return found

    def _organization(
        self, db: Database, ks: Keyspace, members: list[Any]
    ) -> dict[str, Callable[[], Iterator[KeyValue]]]:
        """Readers of the organisation's invitations and API keys (issue 10)."""
        tid = self.tenant
        invitations = _distinct(self._own(db, ks.tenant_invitations))
        digests = _distinct(
            fdbtuple.unpack(row.value)[0] for row in _prefix(db, ks.tenant_api_keys[tid])
        )
        wanted = {fdbtuple.pack((i,)) for i in invitations}
        return {
            "tenant_roles": lambda: _prefix(db, ks.tenant_roles.subspace((tid,))),
            "tenant_invitations": lambda: _prefix(db, ks.tenant_invitations.subspace((tid,))),
            "invitations": lambda: _fetch(db, [ks.invitation(i) for i in invitations]),
            "invitations_by_code": lambda: _pointing(db, ks.invitations_by_code, wanted),
            "invitations_by_expiry": lambda: _pointing(db, ks.invitations_by_expiry, wanted),
            "tenant_api_keys": lambda: _prefix(db, ks.tenant_api_keys.subspace((tid,))),
            "api_keys": lambda: _fetch(db, sorted(ks.api_key(d) for d in digests)),
            "user_api_keys": lambda: (
                row for u in members for row in _prefix(db, ks.user_api_keys.subspace((u, tid)))
            ),
            "api_key_used": lambda: _fetch(db, sorted(ks.api_key_last_used(d) for d in digests)),
        }

    # -- the parts found through the tenant's index entries -------------------
    def _own(self, db: Database, space: Any) -> Iterator[Any]:
        """The second key element (a member or a session id) of the tenant's entries."""
        for row in _prefix(db, space.subspace((self.tenant,))):
            yield space.unpack(row.key)[1]

    def _hub_readers(
        self, db: Database, ks: Keyspace
    ) -> dict[str, Callable[[], Iterator[KeyValue]]]:
        """The agents hub's spaces: by tenant prefix, or by the ids its indexes list."""
        readers: dict[str, Callable[[], Iterator[KeyValue]]] = {
            name: lambda name=name: _prefix(db, ks.space(name).subspace((self.tenant,)))
            for name in _HUB_BY_TENANT
        }
        readers["agents"] = lambda: _fetch(
            db, [ks.agent(a) for a in _distinct(self._own(db, ks.tenant_agents))]
        )
        readers["a2a_tasks"] = lambda: _fetch(
            db, [ks.a2a_task(t) for t in _distinct(self._own(db, ks.tenant_a2a_tasks))]
        )
        readers["a2a_task_log"] = lambda: (
            row
            for task in _distinct(self._own(db, ks.tenant_a2a_tasks))
            for row in _prefix(db, ks.a2a_task_log.subspace((task,)))
        )
        # file parts (issue 13 follow-up): their chunks come from agents/dump.py
        readers["a2a_task_blobs"] = lambda: (
            row
            for task in _distinct(self._own(db, ks.tenant_a2a_tasks))
            for row in _prefix(db, ks.a2a_task_blobs.subspace((task,)))
        )
        return readers

    def _sessions(self, db: Database, ks: Keyspace) -> Iterator[KeyValue]:
        ids = _distinct(self._own(db, ks.tenant_sessions))
        yield from _fetch(db, [ks.session(s) for s in ids])

    def _emails(self, db: Database, ks: Keyspace, members: list[Any]) -> Iterator[KeyValue]:
        if not members:
            return
        wanted = {fdbtuple.pack((member,)) for member in members}
        for row in _prefix(db, ks.users_by_email):
            if row.value in wanted:
                yield row


# agents (issue 13): spaces keyed by tenant first, and spaces keyed by an agent or task id.
_HUB_BY_TENANT = ("tenant_agents", "tenant_a2a_tasks", "a2a_queue", "a2a_leases", "a2a_signal")
_HUB_BY_ID = ("agents", "a2a_tasks", "a2a_task_log", "a2a_task_blobs")


_REFERENCED = (
    "invitations",
    "invitations_by_code",
    "invitations_by_expiry",
    "api_keys",
    "api_key_used",
)


def _pointing(db: Database, space: Any, wanted: set[bytes]) -> Iterator[KeyValue]:
    """The entries of ``space`` whose value is one of ``wanted`` (bounded batches)."""
    if wanted:
        yield from (row for row in _prefix(db, space) if row.value in wanted)


def _merged(*readers: Callable[[], Iterator[KeyValue]]) -> Iterator[KeyValue]:
    """The pairs of several readers of one space, in key order (each is in key order)."""
    return heapq.merge(*(reader() for reader in readers), key=lambda row: row.key)


def _prefix(db: Database, space: Any) -> Iterator[KeyValue]:
    span = space.range()
    for batch in batches(db, span.start, span.stop):
        yield from batch


def _fetch(db: Database, keys: list[bytes]) -> Iterator[KeyValue]:
    """The pairs among ``keys`` (ascending) that exist, in batches of snapshot reads."""
    for i in range(0, len(keys), scan.BATCH):
        chunk = keys[i : i + scan.BATCH]
        values = db.transact(lambda tr, c=chunk: tr.snapshot.get_many(c))
        yield from (KeyValue(k, v) for k, v in zip(chunk, values, strict=True) if v is not None)


def _any(db: Database, span: slice) -> bool:
    return bool(db.transact(lambda tr: tr.snapshot.get_range(span.start, span.stop, limit=1)))


def _distinct(items: Iterator[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def scope_for(tenant: uuid.UUID | None) -> StoreScope | TenantScope:
    return StoreScope() if tenant is None else TenantScope(tenant)
