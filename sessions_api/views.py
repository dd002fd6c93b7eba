"""``/api/v5/sessions``: create, list, retrieve and delete a tenant's sessions."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from config.api.envelope import EnvelopeResponse
from config.api.routers import HTTP_METHODS
from config.api.schema import envelope, errors
from sessions_api.selectors import DEFAULT_PAGE_SIZE, session_get, session_list
from sessions_api.serializers import (
    PageMetaSerializer,
    SessionInputSerializer,
    SessionListQuerySerializer,
    SessionSerializer,
    session_data,
    stored_session_data,
)
from sessions_api.services import session_create, session_delete

SessionEnvelope = envelope("SessionResponse", SessionSerializer())
SessionPageEnvelope = envelope(
    "SessionListResponse", SessionSerializer(many=True), meta=PageMetaSerializer()
)
_ID = OpenApiParameter(
    "sessionId", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Session id (UUID)."
)


@extend_schema_view(
    create=extend_schema(
        summary="Create a session",
        responses={201: SessionEnvelope, **errors(400, 401, 405, 413, 415, 503)},
    ),
    list=extend_schema(
        summary="List the tenant's sessions",
        description="Newest first, one page per request: each page is one bounded "
        "range read, whatever the tenant's size.",
        parameters=[SessionListQuerySerializer],
        responses={200: SessionPageEnvelope, **errors(400, 401, 405, 503)},
    ),
    retrieve=extend_schema(
        summary="Get a session",
        parameters=[_ID],
        responses={200: SessionEnvelope, **errors(401, 404, 405, 503)},
    ),
    destroy=extend_schema(
        summary="Delete a session",
        description="Your own sessions; another member's needs the admin or owner role.",
        parameters=[_ID],
        responses={204: None, **errors(401, 403, 404, 405, 503)},
    ),
)
class SessionViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    http_method_names = HTTP_METHODS
    serializer_class = SessionSerializer
    lookup_url_kwarg = "sessionId"  # the guide's name: /sessions/{sessionId}
    lookup_value_regex = "[^/]+"  # malformed ids reach the view: 404, like unknown ones

    def get_object(self):
        return session_get(
            tenant_id=self.request.user.tenant_id, session_id=self.kwargs["sessionId"]
        )

    # Responses are built by ``session_data``, not the serializer (same output, a
    # fraction of the cost); ``SessionSerializer`` validates input and documents output.
    def create(self, request, *args, **kwargs):
        serializer = SessionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_create(principal=request.user, **serializer.validated_data)
        return EnvelopeResponse(session_data(session), status=201)

    def retrieve(self, request, *args, **kwargs):
        return EnvelopeResponse(session_data(self.get_object()))

    def list(self, request):
        # A plain dict, not the QueryDict: DRF reads an empty form value as absent,
        # so ?cursor= or ?limit= would pass although the schema refuses them.
        params = request.query_params.dict()
        if params:
            query = SessionListQuerySerializer(data=params)
            query.is_valid(raise_exception=True)
            limit, cursor = query.validated_data["limit"], query.validated_data.get("cursor")
        else:  # the first page, as the serializer reads no query, without its ~100 µs
            limit, cursor = DEFAULT_PAGE_SIZE, None
        page = session_list(
            tenant_id=request.user.tenant_id, limit=limit, cursor=cursor or None, fields=True
        )
        data = [stored_session_data(fields) for fields in page.items]
        return EnvelopeResponse(data, meta={"nextCursor": page.next_cursor, "limit": limit})

    def destroy(self, request, *args, **kwargs):
        # Not DestroyModelMixin: the tenant check and the delete are one transaction.
        session_delete(principal=request.user, session_id=kwargs["sessionId"])
        return EnvelopeResponse(status=204)
