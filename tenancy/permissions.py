"""Who may do what in a tenant: the permission table, written once.

Roles rank ``member < admin < owner``. ``TABLE`` maps every action to the
lowest role allowed to take it; ``allows(role, action)`` reads it, and the
README's table is ``markdown()`` of it (a test keeps the two equal). Two rules
sit on top of the table, because they depend on the member acted upon:

- ``may_set_role``: an admin manages members and admins only -- never makes,
  demotes or removes an owner; an owner manages everyone. Nobody raises
  their own role.
- An organisation keeps at least one owner (``tenancy.errors.LastOwner``).

This module imports no other app: ``sessions_api`` and ``accounts`` read it.
"""

from __future__ import annotations

from enum import StrEnum

OWNER = "owner"
ADMIN = "admin"
MEMBER = "member"
ROLES = (OWNER, ADMIN, MEMBER)  # highest first
RANK = {MEMBER: 0, ADMIN: 1, OWNER: 2}


class Action(StrEnum):
    VIEW = "view the tenant, its members and sessions"
    CREATE_SESSIONS = "create sessions, delete their own"
    RENAME = "rename the tenant"
    DELETE = "delete the tenant"
    INVITE = "invite, list and withdraw invitations"
    CHANGE_ROLES = "change members' roles"
    REMOVE_MEMBERS = "remove other members"
    MANAGE_API_KEYS = "create, list and revoke API keys"
    DELETE_OTHERS_SESSIONS = "delete other members' sessions"
    LEAVE = "leave the tenant"
    # the A2A hub (issue 13)
    MANAGE_AGENTS = "register and remove the hub's worker agents (API keys too)"
    CANCEL_OTHERS_TASKS = "cancel hub tasks others submitted"


TABLE: dict[Action, str] = {
    Action.VIEW: MEMBER,
    Action.CREATE_SESSIONS: MEMBER,
    Action.RENAME: ADMIN,
    Action.DELETE: OWNER,
    Action.INVITE: ADMIN,
    Action.CHANGE_ROLES: ADMIN,
    Action.REMOVE_MEMBERS: ADMIN,
    Action.MANAGE_API_KEYS: ADMIN,
    Action.DELETE_OTHERS_SESSIONS: ADMIN,
    Action.LEAVE: MEMBER,
    # the A2A hub (issue 13)
    Action.MANAGE_AGENTS: ADMIN,
    Action.CANCEL_OTHERS_TASKS: ADMIN,
}


def is_role(value: object) -> bool:
    return isinstance(value, str) and value in RANK


def at_least(role: str | None, minimum: str) -> bool:
    """True when ``role`` ranks at or above ``minimum`` (None, no role, never does)."""
    return role in RANK and RANK[role] >= RANK[minimum]


def allows(role: str | None, action: Action) -> bool:
    """True when a member with ``role`` may take ``action``."""
    return at_least(role, TABLE[action])


def may_set_role(*, actor: str, target: str, new: str) -> bool:
    """True when ``actor`` may move another member from role ``target`` to ``new``.

    Owners may set any role; admins may move members and admins among member
    and admin; members may not change roles."""
    if not allows(actor, Action.CHANGE_ROLES):
        return False
    return actor == OWNER or (target != OWNER and new != OWNER)


def may_remove(*, actor: str, target: str) -> bool:
    """True when ``actor`` may remove another member whose role is ``target``."""
    return allows(actor, Action.REMOVE_MEMBERS) and (actor == OWNER or target != OWNER)


def may_manage_agents(role: str | None, *, api_key: bool) -> bool:
    """The hub's workers: admins and owners register and remove them, and so does any API
    key of the tenant (workers run on keys; only admins make keys)."""
    return api_key or allows(role, Action.MANAGE_AGENTS)


def capped(role: str, ceiling: str) -> str:
    """``role``, or ``ceiling`` when that ranks lower (an API key never outranks its creator)."""
    return role if RANK[role] <= RANK[ceiling] else ceiling


def markdown() -> str:
    """The table as README shows it: one row per action, one column per role."""
    lines = ["| action | " + " | ".join(ROLES) + " |", "| --- |" + " :-: |" * len(ROLES)]
    for action, _minimum in TABLE.items():
        marks = ["yes" if allows(role, action) else "no" for role in ROLES]
        lines.append(f"| {action.value} | " + " | ".join(marks) + " |")
    return "\n".join(lines)
