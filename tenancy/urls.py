"""Tenancy routes. Written out rather than routed: nested resources under
``tenants/{tenantId}`` each answer a few methods. A trailing slash is optional,
as everywhere in the API; malformed ids reach the views and are 404."""

from django.urls import re_path

from tenancy.views import (
    ApiKeyViewSet,
    InvitationAcceptViewSet,
    InvitationViewSet,
    MemberViewSet,
    TenantViewSet,
)

ID = r"[^/]+"


def route(pattern: str, viewset, actions: dict[str, str], name: str):
    return re_path(rf"^{pattern}/?$", viewset.as_view(actions), name=name)


T = rf"tenants/(?P<tenantId>{ID})"
urlpatterns = [
    route("tenants", TenantViewSet, {"get": "list", "post": "create"}, "tenant-list"),
    route(
        T,
        TenantViewSet,
        {"get": "retrieve", "patch": "partial_update", "delete": "destroy"},
        "tenant-detail",
    ),
    route(f"{T}/members", MemberViewSet, {"get": "list"}, "member-list"),
    route(
        rf"{T}/members/(?P<userId>{ID})",
        MemberViewSet,
        {"patch": "partial_update", "delete": "destroy"},
        "member-detail",
    ),
    route(
        f"{T}/invitations", InvitationViewSet, {"get": "list", "post": "create"}, "invitation-list"
    ),
    route(
        rf"{T}/invitations/(?P<invitationId>{ID})",
        InvitationViewSet,
        {"delete": "destroy"},
        "invitation-detail",
    ),
    route(f"{T}/api-keys", ApiKeyViewSet, {"get": "list", "post": "create"}, "api-key-list"),
    route(rf"{T}/api-keys/(?P<keyId>{ID})", ApiKeyViewSet, {"delete": "destroy"}, "api-key-detail"),
    route("invitations/accept", InvitationAcceptViewSet, {"post": "create"}, "invitation-accept"),
]
