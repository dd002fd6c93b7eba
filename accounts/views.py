"""``/api/v5/auth/``: register, login, logout and me."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny

from accounts.profile import user_password_replace, user_profile_update
from accounts.records import AuthResult
from accounts.selectors import user_me
from accounts.serializers import (
    AuthResultSerializer,
    LoginSerializer,
    MessageSerializer,
    PasswordChangeSerializer,
    ProfileUpdateSerializer,
    RegisterSerializer,
    SwitchTenantSerializer,
    UserSerializer,
)
from accounts.services import tenant_switch, user_login, user_logout, user_register
from accounts.throttles import CurrentPasswordThrottle
from config.api.envelope import EnvelopeResponse
from config.api.routers import HTTP_METHODS
from config.api.schema import envelope, errors
from config.api.throttling import LoginThrottle, RegisterThrottle

AuthEnvelope = envelope("AuthResponse", AuthResultSerializer())
UserEnvelope = envelope("UserResponse", UserSerializer())
MessageEnvelope = envelope("MessageResponse", MessageSerializer())
ProfileEnvelope = envelope(
    "ProfileResponse",
    PolymorphicProxySerializer(
        component_name="UserOrAuth",
        serializers=[UserSerializer, AuthResultSerializer],
        resource_type_field_name=None,
    ),
)

_PUBLIC = {"authentication_classes": [], "permission_classes": [AllowAny]}


def _validated(serializer_class: type[serializers.Serializer], data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AuthViewSet(viewsets.GenericViewSet):
    http_method_names = HTTP_METHODS

    @extend_schema(
        summary="Register",
        description="Create an account, its personal tenant and owner membership; "
        "returns a token. Passwords go through Django's password validators.",
        request=RegisterSerializer,
        responses={
            201: AuthEnvelope,
            **errors(
                400,
                405,
                413,
                415,
                429,
                503,
                e409="An account with this email (after trimming and case-folding) exists.",
            ),
        },
        examples=[
            OpenApiExample(
                "Register",
                request_only=True,
                value={
                    "email": "user@example.com",
                    "password": "correct horse battery",
                    "firstName": "John",
                    "lastName": "Doe",
                    "company": "ACME Corp",
                },
            )
        ],
    )
    @action(detail=False, methods=["post"], throttle_classes=[RegisterThrottle], **_PUBLIC)
    def register(self, request):
        result = user_register(**_validated(RegisterSerializer, request.data))
        return EnvelopeResponse(AuthResultSerializer(result).data, status=201)

    @extend_schema(
        summary="Log in",
        request=LoginSerializer,
        responses={
            200: AuthEnvelope,
            **errors(
                400,
                405,
                413,
                415,
                429,
                503,
                e401="Unknown email or wrong password (one identical body for both).",
            ),
        },
    )
    @action(detail=False, methods=["post"], throttle_classes=[LoginThrottle], **_PUBLIC)
    def login(self, request):
        result = user_login(**_validated(LoginSerializer, request.data))
        return EnvelopeResponse(AuthResultSerializer(result).data)

    @extend_schema(
        summary="Log out",
        description="Revoke the presented token for the rest of its life, on every server.",
        request=None,
        responses={200: MessageEnvelope, **errors(401, 405, 503)},
    )
    @action(detail=False, methods=["post"])
    def logout(self, request):
        user_logout(principal=request.user)
        return EnvelopeResponse({"message": "Logged out successfully"})

    @extend_schema(
        methods=["GET"],
        summary="The current user",
        description="The token's user, with their role in the token's tenant.",
        responses={200: UserEnvelope, **errors(401, 405, 503)},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Update the current user",
        description="Partial update of firstName, lastName and company (null clears it), "
        "with registration's rules; answers the user. With `email` (and `currentPassword`, "
        "required for it) it changes the email: every older token of the user is void and "
        "the answer is `{token, user}` with a fresh token. Requests with `currentPassword` "
        "count toward the login throttle.",
        request=ProfileUpdateSerializer,
        responses={
            200: ProfileEnvelope,
            **errors(
                400,
                405,
                413,
                415,
                429,
                503,
                e401="Missing or invalid token, or `currentPassword` is wrong "
                "(`invalid_credentials`).",
                e409="Another account has this email (`email_taken`).",
            ),
        },
    )
    @action(detail=False, methods=["get", "patch"], throttle_classes=[CurrentPasswordThrottle])
    def me(self, request):
        if request.method == "GET":
            return EnvelopeResponse(UserSerializer(user_me(principal=request.user)).data)
        changes = dict(_validated(ProfileUpdateSerializer, request.data))
        current_password = changes.pop("current_password", None)
        result = user_profile_update(
            principal=request.user, changes=changes, current_password=current_password
        )
        if isinstance(result, AuthResult):
            return EnvelopeResponse(AuthResultSerializer(result).data)
        return EnvelopeResponse(UserSerializer(result).data)

    @extend_schema(
        summary="Change your password",
        description="Check `currentPassword`, set `newPassword` (Django's password "
        "validators; their messages under `details.newPassword`). Every other token of "
        "the user is void at once; the answer carries a fresh token. Counts toward the "
        "login throttle.",
        request=PasswordChangeSerializer,
        responses={
            200: AuthEnvelope,
            **errors(
                400,
                405,
                413,
                415,
                429,
                503,
                e401="Missing or invalid token, or `currentPassword` is wrong "
                "(`invalid_credentials`).",
            ),
        },
    )
    @action(detail=False, methods=["post"], throttle_classes=[CurrentPasswordThrottle])
    def password(self, request):
        body = _validated(PasswordChangeSerializer, request.data)
        result = user_password_replace(principal=request.user, **body)
        return EnvelopeResponse(AuthResultSerializer(result).data)

    @extend_schema(
        summary="Switch tenant",
        description="A fresh token whose tenant is `tenantId`, for a member of it; 404 for "
        "any tenant you are not a member of. `user.role` is your role there.",
        request=SwitchTenantSerializer,
        responses={200: AuthEnvelope, **errors(400, 401, 403, 404, 405, 413, 415, 503)},
    )
    @action(detail=False, methods=["post"], url_path="switch-tenant")
    def switch_tenant(self, request):
        body = _validated(SwitchTenantSerializer, request.data)
        result = tenant_switch(principal=request.user, tenant_id=body["tenantId"])
        return EnvelopeResponse(AuthResultSerializer(result).data)
