"""The organisation keys (issue 10) pin their exact bytes, as ``test_keys.py`` does."""

from __future__ import annotations

from uuid import UUID

from fdbstore.keys import Keyspace

USER = UUID("00112233-4455-6677-8899-aabbccddeeff")
TENANT = UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
ITEM = UUID("01890a5d-ac96-774b-bcce-b302099a8057")

KS = Keyspace("coditect")
ROOT = b"\x02coditect\x00"
U = b"\x30\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"
T = b"\x30\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0"
I = b"\x30\x01\x89\x0a\x5d\xac\x96\x77\x4b\xbc\xce\xb3\x02\x09\x9a\x80\x57"  # noqa: E741


def test_invitation_key():
    assert KS.invitation(ITEM) == ROOT + b"\x02invitations\x00" + I


def test_invitation_by_code_key():
    assert KS.invitation_by_code("ab12") == ROOT + b"\x02invitations_by_code\x00\x02ab12\x00"


def test_tenant_invitation_key():
    assert KS.tenant_invitation(TENANT, ITEM) == ROOT + b"\x02tenant_invitations\x00" + T + I


def test_invitation_expiry_key():
    assert KS.invitation_expiry(1000, ITEM) == (
        ROOT + b"\x02invitations_by_expiry\x00\x16\x03\xe8" + I
    )


def test_api_key_key():
    assert KS.api_key("ab12") == ROOT + b"\x02api_keys\x00\x02ab12\x00"


def test_tenant_api_key_key():
    assert KS.tenant_api_key(TENANT, ITEM) == ROOT + b"\x02tenant_api_keys\x00" + T + I


def test_user_api_key_key():
    assert KS.user_api_key(USER, TENANT, ITEM) == ROOT + b"\x02user_api_keys\x00" + U + T + I


def test_api_key_last_used_key():
    assert KS.api_key_last_used("ab12") == ROOT + b"\x02api_key_used\x00\x02ab12\x00"


def test_tenant_role_key():
    assert KS.tenant_role(TENANT, "owner", USER) == (
        ROOT + b"\x02tenant_roles\x00" + T + b"\x02owner\x00" + U
    )
