"""``session_data`` writes exactly what ``SessionSerializer`` would, for any session."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fdbstore.codec import CodecError
from sessions_api.records import Session
from sessions_api.repositories import session_fields, sessions
from sessions_api.serializers import (
    SessionInputSerializer,
    SessionSerializer,
    iso_utc,
    session_data,
    stored_session_data,
)

zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
moments = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30), timezones=zones
)
records = st.builds(
    Session,
    id=st.uuids(),
    tenant_id=st.uuids(),
    user_id=st.uuids(),
    name=st.text(max_size=50),
    workspace_path=st.none() | st.text(max_size=50),
    created_at=moments,
    updated_at=moments,
)


@given(records)
def test_session_data_equals_the_serializer_output(session):
    assert session_data(session) == dict(SessionSerializer(session).data)


@given(st.lists(records, max_size=5))
def test_a_list_of_session_data_equals_the_many_serializer_output(items):
    expected = [dict(row) for row in SessionSerializer(items, many=True).data]
    assert [session_data(s) for s in items] == expected


@given(records)
def test_a_session_read_as_stored_fields_gives_the_same_body(session):
    fields = session_fields.codec.decode(sessions.codec.encode(session))
    assert stored_session_data(fields) == session_data(session)


def test_stored_fields_not_in_the_current_shape_are_read_through_the_codec():
    session = _one(datetime(2030, 1, 2, tzinfo=timezone(timedelta(hours=1))))
    stored = json.loads(sessions.codec.encode(session))
    extra = json.dumps({**stored, "later_field": 1}).encode()
    assert stored_session_data(session_fields.codec.decode(extra)) == session_data(session)
    for damaged in (b"{", b"[]", json.dumps({**stored, "_v": 9}).encode()):
        with pytest.raises(CodecError):
            session_fields.codec.decode(damaged)


def test_iso_utc_writes_utc_with_a_z_and_drops_zero_microseconds():
    moment = datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert iso_utc(moment) == "2030-01-02T03:04:05.678000Z"
    assert iso_utc(moment.replace(microsecond=0)) == "2030-01-02T03:04:05Z"
    east = moment.astimezone(timezone(timedelta(hours=2)))
    assert iso_utc(east) == "2030-01-02T03:04:05.678000Z"
    assert uuid.UUID(session_data(_one(moment))["id"]).version == 4


def _one(moment: datetime) -> Session:
    return Session(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "n", None, moment, moment)


json_values = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
bodies = (
    st.dictionaries(
        st.sampled_from(["name", "workspacePath", "id", "tenantId", "createdAt", "other"]),
        json_values | st.text(min_size=199, max_size=202) | st.lists(json_values, max_size=2),
    )
    | st.lists(json_values, max_size=2)
    | json_values
)


@given(bodies)
def test_the_input_serializer_validates_exactly_as_the_session_serializer(body):
    full, inputs = SessionSerializer(data=body), SessionInputSerializer(data=body)
    assert full.is_valid() == inputs.is_valid()
    assert full.errors == inputs.errors
    if not full.errors:
        assert full.validated_data == inputs.validated_data
