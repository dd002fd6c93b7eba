"""``session_data`` writes exactly what ``SessionSerializer`` would, for any session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from sessions_api.records import Session
from sessions_api.serializers import SessionSerializer, iso_utc, session_data

zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
moments = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30), timezones=zones
)
sessions = st.builds(
    Session,
    id=st.uuids(),
    tenant_id=st.uuids(),
    user_id=st.uuids(),
    name=st.text(max_size=50),
    workspace_path=st.none() | st.text(max_size=50),
    created_at=moments,
    updated_at=moments,
)


@given(sessions)
def test_session_data_equals_the_serializer_output(session):
    assert session_data(session) == dict(SessionSerializer(session).data)


@given(st.lists(sessions, max_size=5))
def test_a_list_of_session_data_equals_the_many_serializer_output(items):
    expected = [dict(row) for row in SessionSerializer(items, many=True).data]
    assert [session_data(s) for s in items] == expected


def test_iso_utc_writes_utc_with_a_z_and_drops_zero_microseconds():
    moment = datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert iso_utc(moment) == "2030-01-02T03:04:05.678000Z"
    assert iso_utc(moment.replace(microsecond=0)) == "2030-01-02T03:04:05Z"
    east = moment.astimezone(timezone(timedelta(hours=2)))
    assert iso_utc(east) == "2030-01-02T03:04:05.678000Z"
    assert uuid.UUID(session_data(_one(moment))["id"]).version == 4


def _one(moment: datetime) -> Session:
    return Session(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "n", None, moment, moment)
