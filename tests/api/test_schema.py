"""OpenAPI 3 at /api/v5/schema/ and Swagger UI at /api/v5/docs/, served offline."""

from __future__ import annotations

import pytest
import yaml

ENDPOINTS = {
    ("/api/v5/auth/register", "post"): {"201", "400", "409", "413", "415", "429", "503"},
    ("/api/v5/auth/login", "post"): {"200", "400", "401", "413", "415", "429", "503"},
    ("/api/v5/auth/logout", "post"): {"200", "401", "503"},
    ("/api/v5/auth/me", "get"): {"200", "401", "503"},
    ("/api/v5/auth/me", "patch"): {"200", "400", "401", "409", "413", "415", "429", "503"},
    ("/api/v5/auth/password", "post"): {"200", "400", "401", "413", "415", "429", "503"},
    ("/api/v5/auth/me/avatar", "put"): {"200", "400", "401", "413", "415", "503"},
    ("/api/v5/auth/me/avatar", "delete"): {"204", "401", "503"},
    ("/api/v5/users/{userId}/avatar", "get"): {"200", "304", "404", "503"},
    ("/api/v5/sessions", "post"): {"201", "400", "401", "413", "415", "503"},
    ("/api/v5/sessions", "get"): {"200", "400", "401", "503"},
    ("/api/v5/sessions/{sessionId}", "get"): {"200", "401", "404", "503"},
    ("/api/v5/sessions/{sessionId}", "delete"): {"204", "401", "403", "404", "503"},
    ("/api/v5/health", "get"): {"200", "503"},
    # workspace files (issue 11)
    ("/api/v5/sessions/{sessionId}/files", "get"): {"200", "400", "401", "404", "503"},
    ("/api/v5/sessions/{sessionId}/files/{path}", "get"): {"200", "304", "404", "409", "416"},
    ("/api/v5/sessions/{sessionId}/files/{path}", "put"): {"200", "201", "411", "412", "413"},
    ("/api/v5/sessions/{sessionId}/files/{path}", "delete"): {"204", "404", "409", "412"},
    ("/api/v5/sessions/{sessionId}/files:move", "post"): {"200", "400", "404", "409"},
    ("/api/v5/sessions/{sessionId}/files:copy", "post"): {"200", "201", "404", "409", "413"},
    ("/api/v5/usage", "get"): {"200", "401", "503"},
    # organisations (issue 10)
    ("/api/v5/auth/switch-tenant", "post"): {"200", "400", "401", "404", "503"},
    ("/api/v5/tenants", "get"): {"200", "400", "401", "503"},
    ("/api/v5/tenants", "post"): {"201", "400", "401", "503"},
    ("/api/v5/tenants/{tenantId}", "get"): {"200", "401", "404", "503"},
    ("/api/v5/tenants/{tenantId}", "patch"): {"200", "400", "401", "403", "404", "503"},
    ("/api/v5/tenants/{tenantId}", "delete"): {"204", "401", "403", "404", "409", "503"},
    ("/api/v5/tenants/{tenantId}/members", "get"): {"200", "401", "404", "503"},
    ("/api/v5/tenants/{tenantId}/members/{userId}", "patch"): {"200", "403", "404", "409"},
    ("/api/v5/tenants/{tenantId}/members/{userId}", "delete"): {"204", "403", "404", "409"},
    ("/api/v5/tenants/{tenantId}/invitations", "get"): {"200", "401", "404", "503"},
    ("/api/v5/tenants/{tenantId}/invitations", "post"): {"201", "400", "403", "404", "409"},
    ("/api/v5/tenants/{tenantId}/invitations/{invitationId}", "delete"): {"204", "404"},
    ("/api/v5/tenants/{tenantId}/api-keys", "get"): {"200", "401", "404", "503"},
    ("/api/v5/tenants/{tenantId}/api-keys", "post"): {"201", "400", "403", "404"},
    ("/api/v5/tenants/{tenantId}/api-keys/{keyId}", "delete"): {"204", "404"},
    ("/api/v5/invitations/accept", "post"): {"200", "400", "401", "404", "409"},
    # agents (issue 13)
    ("/api/v5/agents", "post"): {"201", "400", "401", "409", "413", "415", "503"},
    ("/api/v5/agents", "get"): {"200", "401", "503"},
    ("/api/v5/agents/{agentId}", "delete"): {"204", "401", "404", "503"},
    ("/api/v5/agents/{agentId}/claim", "post"): {"200", "204", "400", "401", "404", "503"},
    ("/api/v5/a2a/tasks/{taskId}/updates", "post"): {"200", "400", "401", "404", "409", "503"},
}


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v5/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_it_is_openapi_3_with_every_endpoint_and_its_errors(schema):
    assert schema["openapi"].startswith("3.")
    documented = {
        (path, method): set(op["responses"])
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }
    assert set(documented) == set(ENDPOINTS)
    for endpoint, statuses in ENDPOINTS.items():
        assert statuses <= documented[endpoint], endpoint


def test_responses_are_documented_enveloped(schema):
    components = schema["components"]["schemas"]
    auth = components["AuthResponse"]["properties"]
    assert set(auth) == {"success", "data"}
    error = components["ErrorEnvelope"]["properties"]
    assert set(error) == {"success", "error"}
    listing = components["SessionListResponse"]["properties"]
    assert listing["data"]["type"] == "array"
    assert "meta" in listing
    session = components["Session"]["properties"]
    assert set(session) == {
        "id",
        "tenantId",
        "userId",
        "name",
        "workspacePath",
        "createdAt",
        "updatedAt",
    }


def test_bodies_use_the_guides_field_names(schema):
    register = schema["components"]["schemas"]["RegisterRequest"]
    assert set(register["properties"]) == {"email", "password", "firstName", "lastName", "company"}
    assert set(register["required"]) == {"email", "password", "firstName", "lastName"}


def test_protected_endpoints_declare_the_bearer_scheme(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    me = schema["paths"]["/api/v5/auth/me"]["get"]
    assert {"bearerAuth": []} in me["security"]
    login = schema["paths"]["/api/v5/auth/login"]["post"]
    assert {"bearerAuth": []} not in login.get("security", [])


def test_the_schema_is_also_served_as_yaml(api):
    response = api.get("/api/v5/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "Coditect v5 API"


def test_swagger_ui_and_its_assets_are_served_locally(api):
    page = api.get("/api/v5/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "https://" not in html.split("<script>")[0]  # no CDN for the UI's own files
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        path = f"/static/drf_spectacular_sidecar/swagger-ui-dist/{asset}"
        assert path in html
        response = api.get(path)
        assert response.status_code == 200
        assert b"".join(response.streaming_content if response.streaming else [response.content])
