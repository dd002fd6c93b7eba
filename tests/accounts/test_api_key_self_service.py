"""An organisation's API key cannot change its creator's own account (issue 9 x issue 10)."""

from __future__ import annotations

from tests.support import images
from tests.support.api import STRONG_PASSWORD, bearer, error_of
from tests.support.orgs import V5, ok, org  # noqa: F401


def test_a_key_cannot_change_the_profile_password_or_avatar(api, org):  # noqa: F811
    body = {"name": "ci", "role": "admin"}
    key = ok(api.post(f"{org.url}/api-keys", body, format="json", **org.alice.auth), 201)["key"]
    auth = bearer(key)
    refused = [
        api.patch(f"{V5}/auth/me", {"firstName": "Mallory"}, format="json", **auth),
        api.post(
            f"{V5}/auth/password",
            {"currentPassword": STRONG_PASSWORD, "newPassword": "a stolen new passphrase"},
            format="json",
            **auth,
        ),
        api.generic("PUT", f"{V5}/auth/me/avatar", images.png(), content_type="image/png", **auth),
        api.delete(f"{V5}/auth/me/avatar", **auth),
    ]
    for response in refused:
        assert response.status_code == 403, response.content
        assert error_of(response)["code"] == "api_key_not_allowed"
    me = api.get(f"{V5}/auth/me", **org.alice.auth).json()["data"]
    assert me["firstName"] == "Alice" and me["avatarUrl"] is None
