"""Raw store contents for command tests: Alice owns a tenant, Bob is a member, Charlie is not.

Written with the key builders of ``fdbstore.keys`` directly, so the dump and
status tests depend on the key layout only, not on the domain apps' records.
Values include bytes that are not UTF-8 or JSON, to prove byte-exact copies.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from fdb import tuple as fdbtuple

from fdbstore.keys import keyspace

ALICE = uuid.UUID("a11ce000-0000-4000-8000-000000000001")
BOB = uuid.UUID("b0b00000-0000-4000-8000-000000000002")
CHARLIE = uuid.UUID("c4a41e00-0000-4000-8000-000000000003")
ACME = uuid.UUID("acc0e000-0000-4000-8000-00000000000a")  # Alice's tenant
OTHER = uuid.UUID("07e40000-0000-4000-8000-00000000000c")  # Charlie's tenant
S1 = uuid.UUID("01890a5d-ac96-7000-8000-000000000001")
S2 = uuid.UUID("01890a5d-ac96-7000-8000-000000000002")
S3 = uuid.UUID("01890a5d-ac96-7000-8000-000000000003")


def record(**fields) -> bytes:
    return json.dumps({"_v": 1, **fields}, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Dataset:
    acme_keys: frozenset[bytes]  # exactly what a dump of tenant ACME holds
    all_keys: frozenset[bytes]  # every data key (the layout header excluded)


def plant(db) -> Dataset:
    ks = keyspace()
    pairs = {
        ks.user(ALICE): record(id=str(ALICE), email="alice@example.com"),
        ks.user(BOB): record(id=str(BOB), email="bob@example.com"),
        ks.user(CHARLIE): record(id=str(CHARLIE), email="chärlie@example.com"),
        ks.user_by_email("alice@example.com"): fdbtuple.pack((ALICE,)),
        ks.user_by_email("bob@example.com"): fdbtuple.pack((BOB,)),
        ks.user_by_email("chärlie@example.com"): fdbtuple.pack((CHARLIE,)),
        ks.tenant(ACME): record(id=str(ACME), name="Acme"),
        ks.tenant(OTHER): record(id=str(OTHER), name="Other"),
        ks.membership(ALICE, ACME): record(role="owner"),
        ks.membership(BOB, ACME): record(role="member"),
        ks.membership(BOB, OTHER): record(role="member"),  # Bob's other tenant: not ACME's
        ks.membership(CHARLIE, OTHER): record(role="owner"),
        ks.tenant_member(ACME, ALICE): fdbtuple.pack((ALICE, ACME)),
        ks.tenant_member(ACME, BOB): fdbtuple.pack((BOB, ACME)),
        ks.tenant_member(OTHER, BOB): fdbtuple.pack((BOB, OTHER)),
        ks.tenant_member(OTHER, CHARLIE): fdbtuple.pack((CHARLIE, OTHER)),
        ks.session(S1): record(name="one", blob="\x00\u2603"),
        ks.session(S2): b"\x00\xff\xfe raw bytes, not JSON \n\r",
        ks.session(S3): record(name="charlie's"),
        ks.tenant_session(ACME, S1): fdbtuple.pack((S1,)),
        ks.tenant_session(ACME, S2): fdbtuple.pack((S2,)),
        ks.tenant_session(OTHER, S3): fdbtuple.pack((S3,)),
        ks.revoked_token("jti-\x00-1"): fdbtuple.pack((1_900_000_000,)),
        ks.user_token_floor(ALICE): fdbtuple.pack((1_800_000_000,)),
        ks.throttle_counter("login", "203.0.113.9", 29_000_000): (7).to_bytes(8, "little"),
    }
    db.transact(lambda tr: tr.set_many(pairs.items()))
    acme = {
        ks.user(ALICE),
        ks.user(BOB),
        ks.user_by_email("alice@example.com"),
        ks.user_by_email("bob@example.com"),
        ks.tenant(ACME),
        ks.membership(ALICE, ACME),
        ks.membership(BOB, ACME),
        ks.tenant_member(ACME, ALICE),
        ks.tenant_member(ACME, BOB),
        ks.session(S1),
        ks.session(S2),
        ks.tenant_session(ACME, S1),
        ks.tenant_session(ACME, S2),
    }
    return Dataset(frozenset(acme), frozenset(pairs))


def data_pairs(db) -> dict[bytes, bytes]:
    """Every key-value pair under the root except the layout header."""
    ks = keyspace()
    rows = db.transact(lambda tr: tr.get_range_startswith(ks.root.key()))
    return {k: v for k, v in rows if not k.startswith(ks.meta.key())}
