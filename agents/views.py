"""The worker face: ``/api/v5/agents`` (register, list, delete, claim) and task updates."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.views import APIView

from agents.conf import agents_setting
from agents.selectors import agent_list
from agents.serializers import (
    AgentInputSerializer,
    AgentSerializer,
    ClaimedSerializer,
    ClaimSerializer,
    UpdatedSerializer,
    UpdateSerializer,
    agent_data,
    claim_data,
)
from agents.services import agent_delete, agent_register, task_claim, task_update
from config.api.envelope import EnvelopeResponse
from config.api.parsers import parse_json
from config.api.routers import HTTP_METHODS
from config.api.schema import envelope, errors
from sessions_api.serializers import iso_utc
from tenancy.errors import PermissionDenied
from tenancy.permissions import may_manage_agents

_AGENT_ID = OpenApiParameter("agentId", OpenApiTypes.UUID, OpenApiParameter.PATH)
_TASK_ID = OpenApiParameter("taskId", OpenApiTypes.UUID, OpenApiParameter.PATH)
AgentEnvelope = envelope("AgentResponse", AgentSerializer())


@extend_schema_view(
    create=extend_schema(
        summary="Register a worker agent",
        request=AgentInputSerializer,
        responses={201: AgentEnvelope, **errors(400, 401, 403, 409, 413, 415, 503)},
    ),
    list=extend_schema(
        summary="List the tenant's worker agents",
        responses={
            200: envelope("AgentListResponse", AgentSerializer(many=True)),
            **errors(401, 503),
        },
    ),
    destroy=extend_schema(
        summary="Remove a worker agent",
        parameters=[_AGENT_ID],
        responses={204: None, **errors(401, 403, 404, 503)},
    ),
    claim=extend_schema(
        summary="Claim the oldest submitted task among the agent's skills (long-poll)",
        description="Waits up to `timeout` seconds (0 to 30); 204 when no task came.",
        parameters=[_AGENT_ID],
        request=ClaimSerializer,
        responses={
            200: envelope("ClaimResponse", ClaimedSerializer()),
            204: None,
            **errors(400, 401, 404, 413, 415, 503),
        },
    ),
)
class AgentViewSet(viewsets.ViewSet):
    http_method_names = HTTP_METHODS
    lookup_url_kwarg = "agentId"
    lookup_value_regex = "[^/]+"

    def create(self, request):
        require_manage_agents(request.user)
        body = AgentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agent = agent_register(tenant_id=request.user.tenant_id, **body.validated_data)
        return EnvelopeResponse(agent_data(agent), status=201)

    def list(self, request):
        agents = agent_list(tenant_id=request.user.tenant_id)
        return EnvelopeResponse([agent_data(agent) for agent in agents])

    def destroy(self, request, agentId=None):
        require_manage_agents(request.user)
        agent_delete(tenant_id=request.user.tenant_id, agent_id=agentId)
        return EnvelopeResponse(status=204)

    @action(detail=True, methods=["post"])
    def claim(self, request, agentId=None):
        body = ClaimSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claimed = task_claim(
            tenant_id=request.user.tenant_id,
            agent_id=agentId,
            timeout=body.validated_data["timeout"],
        )
        if claimed is None:
            return EnvelopeResponse(status=204)
        return EnvelopeResponse(claim_data(*claimed))


def require_manage_agents(principal) -> None:
    """Admins, owners and API keys register and remove workers (tenancy/permissions.py)."""
    if not may_manage_agents(principal.role, api_key=principal.api_key_id is not None):
        raise PermissionDenied()


class UpdateParser(BaseParser):
    """An update may carry file parts (base64): its body limit follows the hub's limits
    (a message and an artifact, each with its files), not the API's 64 KiB; 413 above.
    Not a DRF ``JSONParser`` subclass: DRF reads those bodies through ``request.body``,
    which Django caps at ``DATA_UPLOAD_MAX_MEMORY_SIZE``; this one reads the stream."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        files = -(-agents_setting("MAX_FILE_BYTES") * 4 // 3)
        limit = 2 * files + agents_setting("MAX_MESSAGE_BYTES")
        limit += agents_setting("MAX_ARTIFACT_BYTES") + 16 * 1024
        return parse_json(stream, limit, parser_context)


@extend_schema(
    summary="Report a claimed task's progress, message, artifact or end",
    parameters=[_TASK_ID],
    request=UpdateSerializer,
    responses={
        200: envelope("TaskUpdateResponse", UpdatedSerializer()),
        **errors(400, 401, 404, 409, 413, 415, 503),
    },
)
class TaskUpdateView(APIView):
    http_method_names = ["post"]
    parser_classes = [UpdateParser]

    def post(self, request, taskId):
        body = UpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = task_update(
            tenant_id=request.user.tenant_id,
            task_id=taskId,
            lease_id=data["leaseId"],
            state=data.get("state"),
            message=data.get("message"),
            artifact_body=data.get("artifact"),
        )
        expires = iso_utc(task.lease_expires_at) if task.lease_expires_at else None
        return EnvelopeResponse({"state": task.state, "leaseExpiresAt": expires})
