"""The hub's Agent Card: public (one generic skill) and extended (the tenant's skills).

The JSON-RPC interface's URL is absolute: ``PUBLIC_BASE_URL`` when set, else
the request's scheme and host (as the proxy settings let Django read them).
"""

from __future__ import annotations

from typing import Any

from a2a.types import a2a_pb2
from django.conf import settings
from google.protobuf import json_format

RPC_PATH = "/api/v5/a2a"
GENERIC_SKILL = {
    "id": "delegate",
    "name": "Hand work to the tenant's agents",
    "description": "Route a task to a registered worker agent of your tenant: name its skill "
    "in the message's metadata under skillId (the extended card lists the tenant's skills).",
    "tags": ["hub", "delegation"],
}


def card_dict(base_url: str, skills: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "name": "Coditect agent hub",
        "description": "A durable hub where a tenant's agents hand each other work.",
        "version": "5.0.0",
        "supportedInterfaces": [
            {
                "url": base_url.rstrip("/") + RPC_PATH,
                "protocolBinding": "JSONRPC",
                "protocolVersion": "1.0",
            }
        ],
        "capabilities": {"streaming": True, "pushNotifications": False, "extendedAgentCard": True},
        "securitySchemes": {
            "bearer": {
                "httpAuthSecurityScheme": {
                    "scheme": "Bearer",
                    "description": "A user token or a tenant API key (cdt_...).",
                }
            }
        },
        "securityRequirements": [{"schemes": {"bearer": {"list": []}}}],
        "defaultInputModes": ["text/plain", "application/json"],
        "defaultOutputModes": ["text/plain", "application/json"],
        "skills": skills if skills is not None else [GENERIC_SKILL],
    }


def agent_card(base_url: str, skills: list[dict[str, Any]] | None = None) -> a2a_pb2.AgentCard:
    return json_format.ParseDict(card_dict(base_url, skills), a2a_pb2.AgentCard())


def base_url_of(scheme: str, host: str) -> str:
    configured = getattr(settings, "PUBLIC_BASE_URL", "")
    return configured or f"{scheme}://{host}"
