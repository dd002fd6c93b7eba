"""UUIDv7 session ids."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sessions_api.ids import uuid7


def test_it_is_a_version_7_rfc_variant_uuid_with_the_millisecond_timestamp():
    at = datetime(2030, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    value = uuid7(at)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert value.int >> 80 == int(at.timestamp() * 1000)


def test_ids_strictly_increase_within_one_millisecond_and_when_the_clock_steps_back():
    at = datetime(2030, 1, 1, tzinfo=UTC)
    ids = [uuid7(at) for _ in range(5000)] + [uuid7(at - timedelta(seconds=1)) for _ in range(10)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(value.version == 7 for value in ids)


def test_later_times_sort_later_as_bytes():
    early, late = uuid7(datetime(2031, 1, 1, tzinfo=UTC)), uuid7(datetime(2031, 1, 2, tzinfo=UTC))
    assert early.bytes < late.bytes
