"""Hypothesis: every record type of accounts, tenancy and sessions_api round-trips.

For any record (any UTF-8 text, including NUL, quotes, backslashes and
astral characters; any aware datetime in any zone; optional fields absent),
the codec's bytes decode to an equal record, the bytes are deterministic JSON
with the schema version, the record's key unpacks to its primary key, and
its index entries point back at it. Text that is not UTF-8 (a lone
surrogate) and naive datetimes are refused at encode time, never stored.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fdb import tuple as fdbtuple
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.records import User
from accounts.repositories import users
from agents.records import Agent, HubTask
from agents.repositories import agents
from agents.repositories import tasks as hub_tasks
from fdbstore.codec import VERSION_FIELD, CodecError
from fdbstore.registry import repositories
from sessions_api.records import Session
from sessions_api.repositories import sessions
from tenancy.records import ROLES, ApiKey, Invitation, Membership, Tenant
from tenancy.repositories import api_keys, invitations, memberships, tenants

FEW = settings(max_examples=60, deadline=None)

utf8_text = st.text(st.characters(codec="utf-8"), max_size=40)
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=9, minutes=30))]
)
# Years 2..9998: at the calendar's very edge, converting to UTC overflows (a codec
# limit noted in docs/RELIABILITY.md; records only ever hold clock.now()).
aware = st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=zones)

# UUIDv7 as sessions use them: 48-bit milliseconds, version 7, RFC variant, random rest.
uuid7s = st.builds(
    lambda ms, rand_a, rand_b: uuid.UUID(int=ms << 80 | 7 << 76 | rand_a << 64 | 2 << 62 | rand_b),
    st.integers(0, 2**48 - 1),
    st.integers(0, 2**12 - 1),
    st.integers(0, 2**62 - 1),
)

RECORDS = {
    "accounts.User": (
        users,
        st.builds(
            User,
            id=st.uuids(),
            email=utf8_text,
            first_name=utf8_text,
            last_name=utf8_text,
            company=st.none() | utf8_text,
            password_hash=utf8_text,
            created_at=aware,
            updated_at=aware,
        ),
    ),
    "tenancy.Tenant": (
        tenants,
        st.builds(
            Tenant,
            id=st.uuids(),
            name=utf8_text,
            kind=st.sampled_from(["personal", "organization"]),
            owner_id=st.uuids(),
            created_at=aware,
        ),
    ),
    "tenancy.Membership": (
        memberships,
        st.builds(
            Membership,
            user_id=st.uuids(),
            tenant_id=st.uuids(),
            role=st.sampled_from(ROLES),
            created_at=aware,
        ),
    ),
    "tenancy.Invitation": (
        invitations,
        st.builds(
            Invitation,
            id=st.uuids(),
            tenant_id=st.uuids(),
            email=utf8_text,
            role=st.sampled_from(ROLES),
            code_digest=utf8_text,
            inviter_id=st.uuids(),
            created_at=aware,
            expires_at=aware,
        ),
    ),
    "tenancy.ApiKey": (
        api_keys,
        st.builds(
            ApiKey,
            id=st.uuids(),
            digest=utf8_text,
            tenant_id=st.uuids(),
            creator_id=st.uuids(),
            creator_email=utf8_text,
            name=utf8_text,
            prefix=utf8_text,
            role=st.sampled_from(ROLES),
            created_at=aware,
            expires_at=st.none() | aware,
        ),
    ),
    "sessions_api.Session": (
        sessions,
        st.builds(
            Session,
            id=uuid7s | st.uuids(),
            tenant_id=st.uuids(),
            user_id=st.uuids(),
            name=utf8_text,
            workspace_path=st.none() | utf8_text,
            created_at=aware,
            updated_at=aware,
        ),
    ),
    # agents (issue 13)
    "agents.Agent": (
        agents,
        st.builds(
            Agent,
            id=uuid7s,
            tenant_id=st.uuids(),
            name=utf8_text,
            skills=st.lists(
                st.fixed_dictionaries({"id": utf8_text, "name": utf8_text}), max_size=3
            ),
            created_at=aware,
        ),
    ),
    "agents.HubTask": (
        hub_tasks,
        st.builds(
            HubTask,
            id=uuid7s,
            tenant_id=st.uuids(),
            skill_id=utf8_text,
            context_id=utf8_text,
            state=st.sampled_from(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"]),
            status_message=st.none() | st.fixed_dictionaries({"parts": st.just([])}),
            status_at=aware,
            seq=st.integers(0, 10_000),
            lease_id=st.none() | utf8_text,
            lease_expires_at=st.none() | aware,
            agent_id=st.none() | st.uuids(),
            expiries=st.integers(0, 100),
            created_at=aware,
        ),
    ),
}


@pytest.mark.parametrize("name", RECORDS)
def test_records_round_trip_through_the_codec(name):
    repository, records = RECORDS[name]

    @FEW
    @given(records)
    def check(record):
        raw = repository.codec.encode(record)
        assert repository.codec.decode(raw) == record
        assert repository.codec.encode(repository.codec.decode(raw)) == raw
        data = json.loads(raw.decode("utf-8"))
        assert data[VERSION_FIELD] == repository.codec.version

    check()


@pytest.mark.parametrize("name", RECORDS)
def test_record_keys_and_index_entries_point_back_at_the_record(name):
    repository, records = RECORDS[name]

    @FEW
    @given(records)
    def check(record):
        pk = repository.pk(record)
        assert repository.space.unpack(repository.key(pk)) == pk
        for index, key, value in repository.maintainer.expected_entries(record):
            indexed = index.values(record)
            assert index.space().unpack(key) == (indexed if index.unique else indexed + pk)
            assert fdbtuple.unpack(value) == pk

    check()


@pytest.mark.parametrize("name", RECORDS)
def test_text_that_is_not_utf8_is_refused_at_encode_time(name):
    repository, records = RECORDS[name]

    @FEW
    @given(records, st.text(min_size=1, max_size=5).map(lambda t: t + "\ud800"))
    def check(record, bad):
        text_fields = [k for k, v in vars(record).items() if isinstance(v, str)]
        if not text_fields:
            return
        broken = type(record)(**{**vars(record), text_fields[0]: bad})
        with pytest.raises(CodecError):
            repository.codec.encode(broken)

    check()


@pytest.mark.parametrize("name", RECORDS)
def test_naive_datetimes_are_refused_at_encode_time(name):
    repository, records = RECORDS[name]

    @FEW
    @given(records, st.datetimes())
    def check(record, naive):
        broken = type(record)(**{**vars(record), "created_at": naive})
        with pytest.raises(CodecError):
            repository.codec.encode(broken)

    check()


def test_every_registered_repository_has_a_strategy_here():
    """A new record type must get a strategy above before it can be stored."""
    covered = {id(repository) for repository, _ in RECORDS.values()}
    missing = [name for name, repo in repositories().items() if id(repo) not in covered]
    assert missing == []
