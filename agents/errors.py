"""The hub's failures: REST envelope errors; the A2A face maps them to JSON-RPC codes."""

from __future__ import annotations

from rest_framework import status

from config.api.errors import ApiError, NotFound, PayloadTooLarge, ValidationFailed


class AgentNotFound(NotFound):
    default_code = "agent_not_found"
    default_detail = "Agent not found."


class TaskNotFound(NotFound):
    """Unknown, malformed, or another tenant's task: one body for all."""

    default_code = "task_not_found"
    default_detail = "Task not found."


class LeaseNotHeld(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "lease_not_held"
    default_detail = "This lease does not hold the task (expired, or another worker's)."


class TaskFinal(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "task_final"
    default_detail = "The task is in a terminal state; it cannot change any more."


class TaskNotCancelable(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "task_not_cancelable"
    default_detail = "The task is in a terminal state and cannot be canceled."


class TaskNotContinuable(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "task_not_continuable"
    default_detail = "Only a task in input-required takes another message."


class TooManyAgents(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "too_many_agents"
    default_detail = "The tenant has as many agents as it may register."


class UnknownSkill(ValidationFailed):
    """No registered worker of the tenant declares the skill; lists the ones that do."""

    default_code = "unknown_skill"

    def __init__(self, skill_id: str | None, known: list[str]) -> None:
        self.known = known
        listed = ", ".join(known) if known else "none (no worker is registered)"
        named = f"skill {skill_id!r}" if skill_id else "no skill (metadata.skillId)"
        super().__init__(f"The message names {named}; known skills: {listed}.")


class TooLarge(PayloadTooLarge):
    default_detail = "The message or artifact is larger than the hub accepts."


class InvalidParts(ValidationFailed):
    default_code = "invalid_parts"


class InvalidContext(ValidationFailed):
    """A ``contextId`` shaped as a session id (UUIDv7) that names no session of the tenant."""

    default_code = "invalid_context"
    default_detail = "The contextId names no workspace session of this tenant."


class CancelDenied(ApiError):
    """Only the task's submitter, or an admin or owner of the tenant, may cancel it."""

    status_code = status.HTTP_403_FORBIDDEN
    default_code = "permission_denied"
    default_detail = "Only the task's submitter, or an admin of the tenant, may cancel it."
