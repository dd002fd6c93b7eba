"""Versioned JSON records: exact round trips, pinned bytes, upgrade steps, refusals."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fdbstore.codec import CodecError, RecordCodec
from tests.fdbstore.widgets import Widget

ID = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
OWNER = uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
CODEC = RecordCodec(Widget, version=1)


def test_the_encoding_is_pinned():
    w = Widget(id=ID, owner=OWNER, code="A-1", name="Zoë", created=WHEN, note=None)
    assert (
        CODEC.encode(w)
        == (
            '{"_v":1,"id":"00112233-4455-6677-8899-aabbccddeeff",'
            '"owner":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","code":"A-1","name":"Zoë",'
            '"created":"2026-01-02T03:04:05.678901Z","note":null}'
        ).encode()
    )


@settings(max_examples=50, deadline=None)
@given(
    id=st.uuids(),
    code=st.text(max_size=20),
    note=st.none() | st.text(max_size=20),
    created=st.datetimes(timezones=st.just(UTC)),
)
def test_records_round_trip_exactly(id, code, note, created):
    w = Widget(id=id, owner=OWNER, code=code, name="n", created=created, note=note)
    assert CODEC.decode(CODEC.encode(w)) == w


def test_an_aware_datetime_in_another_zone_is_stored_as_the_same_instant_in_utc():
    east = WHEN.astimezone(timezone(timedelta(hours=5, minutes=30)))
    w = Widget(id=ID, owner=OWNER, code="c", name="n", created=east)
    decoded = CODEC.decode(CODEC.encode(w))
    assert decoded.created == WHEN and decoded.created.utcoffset() == timedelta(0)


def test_a_naive_datetime_is_refused_rather_than_read_in_the_servers_zone():
    w = Widget(id=ID, owner=OWNER, code="c", name="n", created=datetime(2026, 1, 2, 3, 4))
    with pytest.raises(CodecError, match="naive datetime"):
        CODEC.encode(w)


@dataclass(frozen=True)
class Gadget:
    id: uuid.UUID
    title: str
    tags: list
    archived: bool


def rename_name_to_title(data):
    data["title"] = data.pop("name")
    return data


def add_tags_and_archived(data):
    return {**data, "tags": [], "archived": False}


V3 = RecordCodec(Gadget, version=3, upgrades={1: rename_name_to_title, 2: add_tags_and_archived})


def test_upgrade_steps_run_in_order_from_the_stored_version():
    v1 = json.dumps({"_v": 1, "id": str(ID), "name": "old"}).encode()
    assert V3.decode(v1) == Gadget(id=ID, title="old", tags=[], archived=False)
    v2 = json.dumps({"_v": 2, "id": str(ID), "title": "mid"}).encode()
    assert V3.decode(v2) == Gadget(id=ID, title="mid", tags=[], archived=False)


def test_a_record_at_the_current_version_needs_no_upgrade():
    g = Gadget(id=ID, title="now", tags=["a"], archived=True)
    assert V3.decode(V3.encode(g)) == g
    assert json.loads(V3.encode(g))["_v"] == 3


def test_a_record_from_a_newer_schema_is_refused():
    newer = json.dumps({"_v": 4, "id": str(ID), "title": "t", "tags": [], "archived": 0})
    with pytest.raises(CodecError, match="newer"):
        V3.decode(newer.encode())


def test_a_missing_upgrade_step_is_a_codec_error():
    partial = RecordCodec(Gadget, version=3, upgrades={2: add_tags_and_archived})
    with pytest.raises(CodecError):
        partial.decode(json.dumps({"_v": 1, "id": str(ID), "name": "x"}).encode())


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"id": "00112233-4455-6677-8899-aabbccddeeff"}',  # no version
        b'{"_v": 1, "id": "not-a-uuid", "owner": "x", "code": "", "name": "",'
        b' "created": "2026-01-01T00:00:00Z", "note": null}',
        b'{"_v": 1, "id": "00112233-4455-6677-8899-aabbccddeeff"}',  # missing fields
        b'{"_v": "1"}',
        b"\xff\xfe",
    ],
)
def test_garbage_is_a_codec_error(raw):
    with pytest.raises(CodecError):
        CODEC.decode(raw)


def test_text_that_is_not_utf8_is_a_codec_error_not_a_unicode_crash():
    # JSON bodies may carry "\ud800"; it decodes to a lone surrogate in Python.
    w = Widget(id=ID, owner=OWNER, code="\ud800", name="n", created=WHEN)
    with pytest.raises(CodecError, match="not UTF-8"):
        CODEC.encode(w)
