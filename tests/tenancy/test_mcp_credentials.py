"""The MCP endpoint's credential check (issue 12) is the REST one: an API key acts in its
tenant with its role, and a removed member's organisation token is refused there too."""

from __future__ import annotations

from mcp_server.auth import Refusal, authenticate
from tests.support.orgs import ok


def test_an_api_key_authenticates_for_mcp_in_its_tenant_with_its_role(api, org):
    body = {"name": "agent", "role": "member"}
    key = ok(api.post(f"{org.url}/api-keys", body, format="json", **org.alice.auth), 201)
    principal = authenticate(f"Bearer {key['key']}")
    assert not isinstance(principal, Refusal)
    assert principal.tenant_id == org.id and principal.role == "member"
    assert str(principal.api_key_id) == key["id"]
    api.delete(f"{org.url}/api-keys/{key['id']}", **org.alice.auth)
    refused = authenticate(f"Bearer {key['key']}")
    assert isinstance(refused, Refusal) and refused.code == "api_key_invalid"


def test_a_removed_members_token_is_refused_for_mcp(api, org):
    assert authenticate(f"Bearer {org.bob.org}").role == "member"
    api.delete(f"{org.url}/members/{org.bob.user_id}", **org.alice.auth)
    refused = authenticate(f"Bearer {org.bob.org}")
    assert isinstance(refused, Refusal) and refused.code == "membership_revoked"
