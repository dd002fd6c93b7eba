"""Account request and response bodies (camelCase on the wire, plain Serializers)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.avatars import avatar_url
from config.api.fields import EmailField, TextField
from config.api.strict import StrictInputSerializer
from tenancy.records import ROLES, self_tenant_id


class RegisterSerializer(StrictInputSerializer):
    email = EmailField()
    password = TextField(trim_whitespace=False, max_length=1024)
    firstName = TextField(source="first_name", max_length=150)
    lastName = TextField(source="last_name", max_length=150)
    company = TextField(required=False, allow_null=True, allow_blank=True, max_length=200)


class LoginSerializer(StrictInputSerializer):
    email = EmailField()
    password = TextField(trim_whitespace=False, max_length=1024)


class SwitchTenantSerializer(StrictInputSerializer):
    tenantId = serializers.UUIDField(help_text="A tenant you are a member of.")


class UserSerializer(serializers.Serializer):
    """The user as the token's tenant sees them (an ``Account``)."""

    id = serializers.UUIDField(source="user.id")
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name", help_text="firstName and lastName joined.")
    firstName = serializers.CharField(source="user.first_name")
    lastName = serializers.CharField(source="user.last_name")
    role = serializers.ChoiceField(choices=list(ROLES), help_text="Role in the token's tenant.")
    company = serializers.CharField(source="user.company", allow_null=True)
    avatarUrl = serializers.SerializerMethodField(method_name="avatar_url")

    @extend_schema_field({"type": "string", "nullable": True})
    def avatar_url(self, account) -> str | None:
        """The avatar's path (null without one); it changes whenever the image does."""
        return avatar_url(account.user)


class AuthResultSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="HS256 JWT, valid 24 hours. Send as Bearer token.")
    user = UserSerializer(source="account")


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class UserRecordSerializer(serializers.Serializer):
    """A stored user, as the operator commands print it (``--json``): no tenant role,
    the personal tenant's id instead. Never the password hash."""

    id = serializers.UUIDField()
    email = serializers.EmailField()
    name = serializers.CharField()
    firstName = serializers.CharField(source="first_name")
    lastName = serializers.CharField(source="last_name")
    company = serializers.CharField(allow_null=True)
    tenantId = serializers.SerializerMethodField(method_name="personal_tenant_id")
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")

    def personal_tenant_id(self, user) -> str:
        return str(self_tenant_id(user.id))


class ProfileUpdateSerializer(StrictInputSerializer):
    """``PATCH /auth/me``: any of the profile fields, with registration's rules; ``email``
    only with ``currentPassword``."""

    firstName = TextField(source="first_name", max_length=150, required=False)
    lastName = TextField(source="last_name", max_length=150, required=False)
    company = TextField(required=False, allow_null=True, allow_blank=True, max_length=200)
    email = EmailField(required=False, help_text="A new email; needs currentPassword.")
    currentPassword = TextField(
        source="current_password", trim_whitespace=False, max_length=1024, required=False
    )

    def validate(self, attrs):
        if "email" in attrs and "current_password" not in attrs:
            raise serializers.ValidationError(
                {"currentPassword": ["Required to change the email."]}
            )
        return attrs


class PasswordChangeSerializer(StrictInputSerializer):
    currentPassword = TextField(source="current_password", trim_whitespace=False, max_length=1024)
    newPassword = TextField(source="new_password", trim_whitespace=False, max_length=1024)
