"""The avatar keys (issue 9) pin their exact bytes (encoding: test_keys.py)."""

from __future__ import annotations

from uuid import UUID

from fdbstore.keys import SPACES, Keyspace

USER = UUID("3f2504e0-4f89-41d3-9a0c-0305e82c3301")
U = b"\x30\x3f\x25\x04\xe0\x4f\x89\x41\xd3\x9a\x0c\x03\x05\xe8\x2c\x33\x01"
KS = Keyspace("coditect")


def test_avatar_key():
    assert KS.avatar(USER) == b"\x02coditect\x00\x02avatars\x00" + U


def test_the_avatars_space_is_a_declared_space_of_its_own():
    assert "avatars" in SPACES
    assert KS.space("avatars").key() == b"\x02coditect\x00\x02avatars\x00"
    assert not KS.avatar(USER).startswith(KS.users.key())
