"""Every key builder pins its exact bytes, so a layout change cannot slip in unnoticed.

The expected keys are written out by hand from the tuple layer's encoding:
0x02 <utf-8, NUL escaped as 00 ff> 0x00 for strings, 0x30 <16 bytes> for UUIDs,
0x14+n <n big-endian bytes> for positive ints.
"""

from __future__ import annotations

import itertools
from uuid import UUID

import pytest
from django.test import override_settings

from fdbstore.keys import SPACES, Keyspace, keyspace

USER = UUID("00112233-4455-6677-8899-aabbccddeeff")
TENANT = UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
SESSION = UUID("01890a5d-ac96-774b-bcce-b302099a8057")

KS = Keyspace("coditect")


def test_layout_version_key():
    assert KS.layout_version() == b"\x02coditect\x00\x02meta\x00\x02layout_version\x00"


def test_user_key():
    assert KS.user(USER) == (
        b"\x02coditect\x00\x02users\x00"
        b"\x30\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"
    )


def test_user_by_email_key():
    assert KS.user_by_email("alice@example.com") == (
        b"\x02coditect\x00\x02users_by_email\x00\x02alice@example.com\x00"
    )


def test_membership_key():
    assert KS.membership(USER, TENANT) == (
        b"\x02coditect\x00\x02user_tenants\x00"
        b"\x30\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"
        b"\x30\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0"
    )


def test_tenant_member_key():
    assert KS.tenant_member(TENANT, USER) == (
        b"\x02coditect\x00\x02tenant_users\x00"
        b"\x30\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0"
        b"\x30\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"
    )


def test_tenant_key():
    assert KS.tenant(TENANT) == (
        b"\x02coditect\x00\x02tenants\x00"
        b"\x30\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0"
    )


def test_tenant_session_key():
    assert KS.tenant_session(TENANT, SESSION) == (
        b"\x02coditect\x00\x02tenant_sessions\x00"
        b"\x30\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0"
        b"\x30\x01\x89\x0a\x5d\xac\x96\x77\x4b\xbc\xce\xb3\x02\x09\x9a\x80\x57"
    )


def test_session_key():
    assert KS.session(SESSION) == (
        b"\x02coditect\x00\x02sessions\x00"
        b"\x30\x01\x89\x0a\x5d\xac\x96\x77\x4b\xbc\xce\xb3\x02\x09\x9a\x80\x57"
    )


def test_revoked_token_key_escapes_nul_in_the_jti():
    assert KS.revoked_token("jti\x00x") == (
        b"\x02coditect\x00\x02revoked_tokens\x00\x02jti\x00\xffx\x00"
    )


def test_token_floor_key():
    assert KS.user_token_floor(USER) == (
        b"\x02coditect\x00\x02token_floor\x00"
        b"\x30\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"
    )


def test_throttle_counter_key():
    assert KS.throttle_counter("login", "10.0.0.1", 1000) == (
        b"\x02coditect\x00\x02throttle\x00\x02login\x00\x0210.0.0.1\x00\x16\x03\xe8"
    )


def test_no_space_prefixes_another():
    # "users" and "users_by_email" share a prefix as words, never as keys: the
    # tuple layer terminates each string with 0x00.
    prefixes = {name: KS.space(name).key() for name in SPACES}
    for a, b in itertools.permutations(SPACES, 2):
        assert not prefixes[a].startswith(prefixes[b]), (a, b)


def test_every_builder_lands_in_its_own_space_only():
    built = {
        "meta": KS.layout_version(),
        "users": KS.user(USER),
        "users_by_email": KS.user_by_email("a@b.c"),
        "user_tenants": KS.membership(USER, TENANT),
        "tenant_users": KS.tenant_member(TENANT, USER),
        "tenants": KS.tenant(TENANT),
        "tenant_sessions": KS.tenant_session(TENANT, SESSION),
        "sessions": KS.session(SESSION),
        "revoked_tokens": KS.revoked_token("j"),
        "token_floor": KS.user_token_floor(USER),
        "throttle": KS.throttle_counter("s", "i", 1),
        # blobs and files (issue 11)
        "blob_chunks": KS.blob_chunk(SESSION, 0),
        "blob_pending": KS.blob_marker(SESSION),
        "file_entries": KS.file_entry(SESSION, USER, "a"),
        "file_usage": KS.file_usage_counter(TENANT, "bytes"),
        "file_trash": KS.file_trash_entry(SESSION, USER),
        # tenancy: organisations (issue 10)
        "invitations": KS.invitation(SESSION),
        "invitations_by_code": KS.invitation_by_code("ab"),
        "tenant_invitations": KS.tenant_invitation(TENANT, SESSION),
        "invitations_by_expiry": KS.invitation_expiry(1, SESSION),
        "api_keys": KS.api_key("ab"),
        "tenant_api_keys": KS.tenant_api_key(TENANT, SESSION),
        "user_api_keys": KS.user_api_key(USER, TENANT, SESSION),
        "api_key_used": KS.api_key_last_used("ab"),
        "tenant_roles": KS.tenant_role(TENANT, "owner", USER),
        # agents (issue 13)
        "agents": KS.agent(USER),
        "tenant_agents": KS.tenant_agents.pack((TENANT, USER)),
        "a2a_tasks": KS.a2a_task(SESSION),
        "tenant_a2a_tasks": KS.tenant_a2a_tasks.pack((TENANT, SESSION)),
        "a2a_task_log": KS.a2a_task_event(SESSION, 1),
        "a2a_queue": KS.a2a_queued(TENANT, "s", SESSION),
        "a2a_leases": KS.a2a_lease(TENANT, 1, SESSION),
        "a2a_signal": KS.a2a_skill_signal(TENANT, "s"),
        # avatars (issue 9)
        "avatars": KS.avatar(USER),
        "a2a_task_blobs": KS.a2a_task_blob(SESSION, USER),
        "a2a_session_tasks": KS.a2a_session_task(SESSION, USER),
        "a2a_gone_sessions": KS.a2a_gone_session(SESSION),
        "tenants_deleting": KS.tenant_deleting(TENANT),
    }
    assert set(built) == set(SPACES)
    for owner, key in built.items():
        assert [name for name in SPACES if KS.space(name).contains(key)] == [owner]


def test_unknown_space_is_a_key_error():
    with pytest.raises(KeyError):
        KS.space("nope")


def test_keyspace_uses_the_configured_root():
    with override_settings(FDBSTORE={"ROOT": "other"}):
        assert keyspace().user(USER).startswith(b"\x02other\x00\x02users\x00")
