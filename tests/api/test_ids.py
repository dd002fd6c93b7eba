"""UUIDv7 ids: session ids and token jtis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from config.api.ids import epoch_ms, is_uuid7, uuid7, uuid7_at, uuid7_ms


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


def test_uuid7_at_carries_the_millisecond_and_fixed_entropy_gives_a_fixed_id():
    value = uuid7_at(1_900_000_000_123)
    assert is_uuid7(value) and uuid7_ms(value) == 1_900_000_000_123
    assert uuid7_at(5, entropy=42) == uuid7_at(5, entropy=42) != uuid7_at(5, entropy=43)
    assert uuid7_at(1_900_000_000_123) != value  # random otherwise


def test_uuid7_at_does_not_move_the_monotonic_sequence():
    at = datetime(2031, 6, 1, tzinfo=UTC)
    first = uuid7(at)
    uuid7_at(epoch_ms(at) + 10_000)
    assert uuid7_ms(uuid7(at + timedelta(milliseconds=1))) == epoch_ms(at) + 1 > uuid7_ms(first)


def test_is_uuid7_refuses_other_versions():
    assert not is_uuid7(uuid.uuid4())
    assert not is_uuid7(uuid.uuid5(uuid.NAMESPACE_DNS, "x"))
