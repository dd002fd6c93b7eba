"""The tenancy failures, each with its status and machine code.

A tenant the caller cannot see is 404 (``TenantNotFound``), never 403: its
existence is not revealed. A member who can see the tenant but whose role does
not allow the action gets 403 (``PermissionDenied``)."""

from __future__ import annotations

from config.api.errors import ApiError, NotFound


class TenantNotFound(NotFound):
    default_code = "tenant_not_found"
    default_detail = "No such tenant."


class MemberNotFound(NotFound):
    default_code = "member_not_found"
    default_detail = "No such member of this tenant."


class InvitationNotFound(NotFound):
    default_code = "invitation_not_found"
    default_detail = "No such pending invitation."


class ApiKeyNotFound(NotFound):
    default_code = "api_key_not_found"
    default_detail = "No such API key."


class InvitationInvalid(ApiError):
    """One body for a wrong, expired, used or withdrawn code, and another email's."""

    status_code = 404
    default_code = "invitation_invalid"
    default_detail = "This invitation code is not valid for you: wrong, expired or used."


class PermissionDenied(ApiError):
    status_code = 403
    default_code = "permission_denied"
    default_detail = "Your role in this tenant does not allow this."


class LastOwner(ApiError):
    status_code = 409
    default_code = "last_owner"
    default_detail = "An organisation keeps at least one owner: add another owner first."


class PersonalTenant(ApiError):
    status_code = 409
    default_code = "personal_tenant"
    default_detail = "A personal tenant has one member, its owner: it takes no invitations."


class AlreadyMember(ApiError):
    status_code = 409
    default_code = "already_member"
    default_detail = "This user is already a member of the tenant."


class NotAMember(ApiError):
    """A token switched to a tenant its user has left (or that was deleted)."""

    status_code = 401
    default_code = "membership_revoked"
    default_detail = "You are no longer a member of this token's tenant; log in or switch tenant."


class ApiKeyNotAllowed(ApiError):
    status_code = 403
    default_code = "api_key_not_allowed"
    default_detail = "An API key cannot do this; use a user's token."


class ApiKeyInvalid(ApiError):
    """Unknown, revoked or expired: one status for all (the key is refused at once)."""

    status_code = 401
    default_code = "api_key_invalid"
    default_detail = "The API key is not valid: unknown, revoked or expired."
