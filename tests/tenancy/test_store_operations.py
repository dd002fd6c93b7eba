"""The store reads of a request in an organisation: the membership rides in the
revocation read (one round trip, three keys), and an API key is one read."""

from __future__ import annotations

import uuid

import jwt

from fdbstore.connection import use_database
from fdbstore.keys import keyspace
from tenancy import secrets
from tests.support.api import bearer
from tests.support.orgs import V5, ok
from tests.support.recording import RecordingDatabase

SESSIONS = f"{V5}/sessions"


def _recorded(store, request):
    recording = RecordingDatabase(store)
    with use_database(recording):
        response = request()
    assert response.status_code < 300, response.content
    return recording.operations


def test_an_organisation_token_reads_its_membership_in_the_revocation_read(api, org, store):
    sid = ok(api.post(SESSIONS, {"name": "s"}, format="json", **org.bob.auth), 201)["id"]
    claims = jwt.decode(org.bob.org, options={"verify_signature": False})
    ks = keyspace()
    ops = _recorded(store, lambda: api.get(f"{SESSIONS}/{sid}", **org.bob.auth))
    assert ops == [
        (
            "get_many",
            (
                ks.revoked_token(claims["jti"]),
                ks.user_token_floor(org.bob.user_id),
                ks.membership(org.bob.user_id, org.id),
            ),
        ),
        ("commit",),
        ("get", ks.session(uuid.UUID(sid))),
        ("commit",),
    ]


def test_a_personal_token_still_reads_only_the_revocation_pair(api, org, store):
    claims = jwt.decode(org.bob.own, options={"verify_signature": False})
    ks = keyspace()
    ops = _recorded(store, lambda: api.get(SESSIONS, **org.bob.own_auth))
    assert ops[:2] == [
        ("get_many", (ks.revoked_token(claims["jti"]), ks.user_token_floor(org.bob.user_id))),
        ("commit",),
    ]
    assert len(ops) == 5  # then the page: one range read, one batched read, commit


def test_an_api_key_is_one_read_and_its_last_use_at_most_one_write_a_minute(api, org, store):
    body = {"name": "ci", "role": "member"}
    key = ok(api.post(f"{org.url}/api-keys", body, format="json", **org.alice.auth), 201)["key"]
    digest = secrets.digest(key)
    ks = keyspace()
    reads = ("get_many", (ks.api_key(digest), ks.api_key_last_used(digest)))
    first = _recorded(store, lambda: api.get(SESSIONS, **bearer(key)))
    assert first[:4] == [reads, ("commit",), ("set", ks.api_key_last_used(digest)), ("commit",)]
    second = _recorded(store, lambda: api.get(SESSIONS, **bearer(key)))
    assert second[:2] == [reads, ("commit",)] and second[2][0] == "get_range"
