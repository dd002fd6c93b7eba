"""``/api/v5/tenants``: organisations, their members, invitations and API keys;
``/api/v5/invitations/accept``. Views validate and call one service or selector."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from config.api.envelope import EnvelopeResponse
from config.api.routers import HTTP_METHODS
from config.api.schema import envelope, errors
from sessions_api.serializers import PageMetaSerializer
from tenancy import apikeys, invitations, members, selectors, services
from tenancy.access import parse_tenant_id
from tenancy.errors import ApiKeyNotAllowed, ApiKeyNotFound, InvitationNotFound, MemberNotFound
from tenancy.selectors import KeyView, TenantView
from tenancy.serializers import (
    AcceptInputSerializer,
    ApiKeyInputSerializer,
    ApiKeySerializer,
    InvitationInputSerializer,
    InvitationSerializer,
    MemberSerializer,
    NewApiKeySerializer,
    NewInvitationSerializer,
    PageQuerySerializer,
    RoleInputSerializer,
    TenantInputSerializer,
    TenantPatchSerializer,
    TenantSerializer,
)

TenantEnvelope = envelope("TenantResponse", TenantSerializer())
TenantPage = envelope("TenantListResponse", TenantSerializer(many=True), meta=PageMetaSerializer())
MemberEnvelope = envelope("MemberResponse", MemberSerializer())
MemberPage = envelope("MemberListResponse", MemberSerializer(many=True), meta=PageMetaSerializer())
NewInvitationEnvelope = envelope("NewInvitationResponse", NewInvitationSerializer())
InvitationPage = envelope(
    "InvitationListResponse", InvitationSerializer(many=True), meta=PageMetaSerializer()
)
NewApiKeyEnvelope = envelope("NewApiKeyResponse", NewApiKeySerializer())
ApiKeyPage = envelope("ApiKeyListResponse", ApiKeySerializer(many=True), meta=PageMetaSerializer())

READ = errors(400, 401, 404, 405, 503)
WRITE = errors(400, 401, 403, 404, 405, 409, 413, 415, 503)


def validated(serializer_class: type[serializers.Serializer], data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def paging(request) -> tuple[int, str | None]:
    query = validated(PageQuerySerializer, request.query_params.dict())
    return query["limit"], query.get("cursor") or None


def paged(items, page, limit: int) -> EnvelopeResponse:
    return EnvelopeResponse(items, meta={"nextCursor": page.next_cursor, "limit": limit})


def parse_id(value: str, error: type[Exception]):
    try:
        return parse_tenant_id(value)
    except Exception:
        raise error() from None


class TenantViewSet(viewsets.GenericViewSet):
    http_method_names = HTTP_METHODS
    serializer_class = TenantSerializer
    lookup_url_kwarg = "tenantId"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        summary="List your tenants",
        parameters=[PageQuerySerializer],
        responses={200: TenantPage, **READ},
    )
    def list(self, request):
        limit, cursor = paging(request)
        page = selectors.tenant_list(principal=request.user, limit=limit, cursor=cursor)
        return paged(TenantSerializer(page.items, many=True).data, page, limit)

    @extend_schema(
        summary="Create an organisation",
        request=TenantInputSerializer,
        responses={201: TenantEnvelope, **WRITE},
    )
    def create(self, request):
        body = validated(TenantInputSerializer, request.data)
        if request.user.api_key_id is not None:
            raise ApiKeyNotAllowed()
        tenant, membership = services.organization_create(
            owner_id=request.user.user_id, name=body["name"]
        )
        return EnvelopeResponse(
            TenantSerializer(TenantView(tenant, membership.role)).data, status=201
        )

    @extend_schema(summary="Get a tenant", responses={200: TenantEnvelope, **READ})
    def retrieve(self, request, tenantId: str):
        view = selectors.tenant_view(principal=request.user, tenant_id=parse_tenant_id(tenantId))
        return EnvelopeResponse(TenantSerializer(view).data)

    @extend_schema(
        summary="Rename a tenant (admin+)",
        request=TenantPatchSerializer,
        responses={200: TenantEnvelope, **WRITE},
    )
    def partial_update(self, request, tenantId: str):
        tenant_id = parse_tenant_id(tenantId)
        body = validated(TenantPatchSerializer, request.data)
        tenant, role = services.tenant_rename(
            principal=request.user, tenant_id=tenant_id, name=body.get("name")
        )
        return EnvelopeResponse(TenantSerializer(TenantView(tenant, role)).data)

    @extend_schema(summary="Delete an organisation (owner)", responses={204: None, **WRITE})
    def destroy(self, request, tenantId: str):
        services.organization_delete(principal=request.user, tenant_id=parse_tenant_id(tenantId))
        return EnvelopeResponse(status=204)


class MemberViewSet(viewsets.GenericViewSet):
    http_method_names = HTTP_METHODS
    serializer_class = MemberSerializer

    @extend_schema(
        summary="List a tenant's members",
        parameters=[PageQuerySerializer],
        responses={200: MemberPage, **READ},
    )
    def list(self, request, tenantId: str):
        limit, cursor = paging(request)
        page = selectors.member_list(
            principal=request.user, tenant_id=parse_tenant_id(tenantId), limit=limit, cursor=cursor
        )
        return paged(MemberSerializer(page.items, many=True).data, page, limit)

    @extend_schema(
        summary="Change a member's role (admin+)",
        request=RoleInputSerializer,
        responses={200: MemberEnvelope, **WRITE},
    )
    def partial_update(self, request, tenantId: str, userId: str):
        tenant_id = parse_tenant_id(tenantId)
        user_id = parse_id(userId, MemberNotFound)
        body = validated(RoleInputSerializer, request.data)
        members.member_role_change(
            principal=request.user, tenant_id=tenant_id, user_id=user_id, role=body.get("role")
        )
        return EnvelopeResponse(
            MemberSerializer(selectors.member_get(tenant_id=tenant_id, user_id=user_id)).data
        )

    @extend_schema(summary="Remove a member (admin+), or leave", responses={204: None, **WRITE})
    def destroy(self, request, tenantId: str, userId: str):
        tenant_id = parse_tenant_id(tenantId)
        user_id = parse_id(userId, MemberNotFound)
        members.member_remove(principal=request.user, tenant_id=tenant_id, user_id=user_id)
        return EnvelopeResponse(status=204)


class InvitationViewSet(viewsets.GenericViewSet):
    http_method_names = HTTP_METHODS
    serializer_class = InvitationSerializer

    @extend_schema(
        summary="List pending invitations (admin+)",
        parameters=[PageQuerySerializer],
        responses={200: InvitationPage, **READ},
    )
    def list(self, request, tenantId: str):
        limit, cursor = paging(request)
        page = selectors.invitation_list(
            principal=request.user, tenant_id=parse_tenant_id(tenantId), limit=limit, cursor=cursor
        )
        return paged(InvitationSerializer(page.items, many=True).data, page, limit)

    @extend_schema(
        summary="Invite someone (admin+)",
        description="Returns the code once; there is no mail: pass it on.",
        request=InvitationInputSerializer,
        responses={201: NewInvitationEnvelope, **WRITE},
    )
    def create(self, request, tenantId: str):
        tenant_id = parse_tenant_id(tenantId)
        body = validated(InvitationInputSerializer, request.data)
        new = invitations.invitation_create(principal=request.user, tenant_id=tenant_id, **body)
        data = {**InvitationSerializer(new.invitation).data, "code": new.code}
        return EnvelopeResponse(data, status=201)

    @extend_schema(summary="Withdraw an invitation (admin+)", responses={204: None, **WRITE})
    def destroy(self, request, tenantId: str, invitationId: str):
        tenant_id = parse_tenant_id(tenantId)
        invitation_id = parse_id(invitationId, InvitationNotFound)
        invitations.invitation_withdraw(
            principal=request.user, tenant_id=tenant_id, invitation_id=invitation_id
        )
        return EnvelopeResponse(status=204)


class ApiKeyViewSet(viewsets.GenericViewSet):
    http_method_names = HTTP_METHODS
    serializer_class = ApiKeySerializer

    @extend_schema(
        summary="List API keys (admin+)",
        parameters=[PageQuerySerializer],
        responses={200: ApiKeyPage, **READ},
    )
    def list(self, request, tenantId: str):
        limit, cursor = paging(request)
        page = selectors.api_key_list(
            principal=request.user, tenant_id=parse_tenant_id(tenantId), limit=limit, cursor=cursor
        )
        return paged(ApiKeySerializer(page.items, many=True).data, page, limit)

    @extend_schema(
        summary="Create an API key (admin+)",
        description="The key is shown this once. Send it as `Authorization: Bearer cdt_...`.",
        request=ApiKeyInputSerializer,
        responses={201: NewApiKeyEnvelope, **WRITE},
    )
    def create(self, request, tenantId: str):
        tenant_id = parse_tenant_id(tenantId)
        body = validated(ApiKeyInputSerializer, request.data)
        new = apikeys.api_key_create(
            principal=request.user,
            tenant_id=tenant_id,
            name=body["name"],
            role=body["role"],
            expires_at=body.get("expiresAt"),
        )
        view = KeyView(new.key, None, new.secret)
        return EnvelopeResponse(NewApiKeySerializer(view).data, status=201)

    @extend_schema(summary="Revoke an API key (admin+)", responses={204: None, **WRITE})
    def destroy(self, request, tenantId: str, keyId: str):
        tenant_id = parse_tenant_id(tenantId)
        key_id = parse_id(keyId, ApiKeyNotFound)
        apikeys.api_key_revoke(principal=request.user, tenant_id=tenant_id, key_id=key_id)
        return EnvelopeResponse(status=204)


class InvitationAcceptViewSet(viewsets.GenericViewSet):
    http_method_names = HTTP_METHODS
    serializer_class = TenantSerializer

    @extend_schema(
        summary="Accept an invitation",
        description="By a logged-in user whose email is the invited one; the code is single-use.",
        request=AcceptInputSerializer,
        responses={200: TenantEnvelope, **WRITE},
    )
    def create(self, request):
        body = validated(AcceptInputSerializer, request.data)
        membership = invitations.invitation_accept(principal=request.user, code=body["code"])
        tenant = selectors.tenant_get(tenant_id=membership.tenant_id)
        return EnvelopeResponse(TenantSerializer(TenantView(tenant, membership.role)).data)
