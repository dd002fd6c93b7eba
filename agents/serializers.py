"""Worker API bodies (camelCase on the wire)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agents.records import Agent, HubTask
from agents.services import WORKER_STATES
from config.api.fields import TextField
from config.api.strict import StrictInputSerializer
from sessions_api.serializers import iso_utc


# Names and ids are kept exactly as sent (no trimming): a skill id is matched
# byte for byte against the client's ``metadata.skillId``.
class SkillSerializer(StrictInputSerializer):
    id = TextField(max_length=100, trim_whitespace=False)
    name = TextField(max_length=200, trim_whitespace=False)
    description = TextField(max_length=2000, trim_whitespace=False)
    tags = serializers.ListField(
        child=TextField(max_length=100, trim_whitespace=False), max_length=20, required=False
    )


class AgentInputSerializer(StrictInputSerializer):
    name = TextField(max_length=200, trim_whitespace=False)
    skills = serializers.ListField(child=SkillSerializer(), min_length=1, max_length=50)

    def validate_skills(self, skills: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A skill id declared twice keeps its first declaration."""
        unique: dict[str, dict[str, Any]] = {}
        for skill in skills:
            unique.setdefault(skill["id"], {"tags": [], **skill})
        return list(unique.values())


class ClaimSerializer(StrictInputSerializer):
    timeout = serializers.FloatField(min_value=0, max_value=30, required=False, default=0)


# The documented part shapes (A2A 1.0): text, structured data, or a URL. The hub
# also takes the protocol's other forms (``raw`` bytes, ``filename``, ``mediaType``,
# ``metadata``): the SDK's ``Part`` type checks each part, whatever its form.
_PART = {
    "oneOf": [
        {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        {"type": "object", "properties": {"data": {"type": "object"}}, "required": ["data"]},
        {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]},
    ]
}
for _shape in _PART["oneOf"]:
    _shape["additionalProperties"] = False
_PARTS = {"type": "array", "items": _PART, "minItems": 1}


@extend_schema_field(
    {
        "type": "object",
        "properties": {"messageId": {"type": "string"}, "parts": _PARTS},
        "required": ["parts"],
        "additionalProperties": False,
        "description": "An A2A message from the agent (its role is set to agent).",
    }
)
class MessageField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "properties": {"name": {"type": "string"}, "parts": _PARTS},
        "required": ["parts"],
        "additionalProperties": False,
        "description": "An A2A artifact: a name and its parts.",
    }
)
class ArtifactField(serializers.JSONField):
    pass


class UpdateSerializer(StrictInputSerializer):
    leaseId = TextField(max_length=64)
    state = serializers.ChoiceField(choices=sorted(WORKER_STATES), required=False)
    message = MessageField(required=False)
    artifact = ArtifactField(required=False)


class AgentSerializer(serializers.Serializer):
    """Output only: a registered agent."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    skills = SkillSerializer(many=True)
    createdAt = serializers.DateTimeField()


class ClaimedSerializer(serializers.Serializer):
    task = serializers.JSONField(help_text="The task as A2A GetTask shows it.")
    leaseId = serializers.CharField()
    leaseExpiresAt = serializers.DateTimeField()


class UpdatedSerializer(serializers.Serializer):
    state = serializers.CharField()
    leaseExpiresAt = serializers.DateTimeField(allow_null=True)


def agent_data(agent: Agent) -> dict[str, Any]:
    return {
        "id": str(agent.id),
        "name": agent.name,
        "skills": agent.skills,
        "createdAt": iso_utc(agent.created_at),
    }


def claim_data(task: HubTask, view: dict[str, Any]) -> dict[str, Any]:
    """A claim's answer: the task as GetTask shows it, the lease and when it runs out."""
    expires = task.lease_expires_at
    return {
        "task": view,
        "leaseId": task.lease_id,
        "leaseExpiresAt": iso_utc(expires) if expires is not None else None,
    }
