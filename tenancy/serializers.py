"""Tenancy request and response bodies (camelCase on the wire, plain Serializers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rest_framework import serializers

from config.api import clock
from config.api.fields import CursorField, EmailField, TextField
from config.api.strict import StrictInputSerializer
from tenancy.records import KINDS, ROLES
from tenancy.secrets import MAX_SECRET

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_KEY_DAYS = 3650
ROLE_HELP = "owner, admin or member (tenancy/permissions.py)."


class PageQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_PAGE_SIZE, min_value=1, max_value=MAX_PAGE_SIZE
    )
    cursor = CursorField(max_length=512)


class TenantInputSerializer(StrictInputSerializer):
    name = TextField(max_length=200)


class TenantSerializer(serializers.Serializer):
    """A ``TenantView``: the tenant and the caller's role in it."""

    id = serializers.UUIDField(source="tenant.id")
    name = serializers.CharField(source="tenant.name")
    kind = serializers.ChoiceField(source="tenant.kind", choices=list(KINDS))
    role = serializers.ChoiceField(choices=list(ROLES), help_text="The caller's role.")
    createdAt = serializers.DateTimeField(source="tenant.created_at")


class TenantPatchSerializer(StrictInputSerializer):
    """A PATCH: every field optional; an empty body changes nothing."""

    name = TextField(max_length=200, required=False)


class RoleInputSerializer(StrictInputSerializer):
    """A PATCH of a member: ``role`` optional; an empty body changes nothing."""

    role = serializers.ChoiceField(choices=list(ROLES), help_text=ROLE_HELP, required=False)


class MemberSerializer(serializers.Serializer):
    userId = serializers.UUIDField(source="user.id")
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")
    role = serializers.ChoiceField(source="membership.role", choices=list(ROLES))
    joinedAt = serializers.DateTimeField(source="membership.created_at")


class InvitationInputSerializer(StrictInputSerializer):
    email = EmailField()
    role = serializers.ChoiceField(choices=list(ROLES), help_text=ROLE_HELP)


class InvitationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=list(ROLES))
    createdAt = serializers.DateTimeField(source="created_at")
    expiresAt = serializers.DateTimeField(source="expires_at")


class NewInvitationSerializer(InvitationSerializer):
    code = serializers.CharField(help_text="Shown this once: pass it to the invitee.")


class AcceptInputSerializer(StrictInputSerializer):
    code = TextField(max_length=MAX_SECRET)


class SwitchTenantInputSerializer(StrictInputSerializer):
    tenantId = serializers.UUIDField()


class ApiKeyInputSerializer(StrictInputSerializer):
    name = TextField(max_length=200)
    role = serializers.ChoiceField(choices=list(ROLES), help_text=ROLE_HELP)
    expiresAt = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=f"In the future, at most {MAX_KEY_DAYS} days ahead; null or absent: never.",
    )

    def validate_expiresAt(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            raise serializers.ValidationError("This date is out of range.") from None
        now = clock.now()
        if not now < value <= now + timedelta(days=MAX_KEY_DAYS):
            raise serializers.ValidationError(
                f"Must be in the future, at most {MAX_KEY_DAYS} days ahead."
            )
        return value


class ApiKeySerializer(serializers.Serializer):
    """A ``KeyView``: the key's record and its last use; never the secret."""

    id = serializers.UUIDField(source="key.id")
    name = serializers.CharField(source="key.name")
    prefix = serializers.CharField(source="key.prefix", help_text="The key's first characters.")
    role = serializers.ChoiceField(source="key.role", choices=list(ROLES))
    createdAt = serializers.DateTimeField(source="key.created_at")
    expiresAt = serializers.DateTimeField(source="key.expires_at", allow_null=True)
    lastUsedAt = serializers.DateTimeField(source="last_used", allow_null=True)


class NewApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(source="secret", help_text="Shown this once: `cdt_...`.")
