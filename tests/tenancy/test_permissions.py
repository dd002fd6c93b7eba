"""The permission table, every role against every action, and the README's copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenancy.permissions import (
    ADMIN,
    MEMBER,
    OWNER,
    ROLES,
    TABLE,
    Action,
    allows,
    capped,
    markdown,
    may_remove,
    may_set_role,
)

A = Action
EXPECTED = {  # action: (owner, admin, member)
    A.VIEW: (True, True, True),
    A.CREATE_SESSIONS: (True, True, True),
    A.RENAME: (True, True, False),
    A.DELETE: (True, False, False),
    A.INVITE: (True, True, False),
    A.CHANGE_ROLES: (True, True, False),
    A.REMOVE_MEMBERS: (True, True, False),
    A.MANAGE_API_KEYS: (True, True, False),
    A.DELETE_OTHERS_SESSIONS: (True, True, False),
    A.LEAVE: (True, True, True),
    A.MANAGE_AGENTS: (True, True, False),
    A.CANCEL_OTHERS_TASKS: (True, True, False),
}


def test_every_action_is_in_the_table():
    assert set(TABLE) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (role, action, marks[i])
        for action, marks in EXPECTED.items()
        for i, role in enumerate((OWNER, ADMIN, MEMBER))
    ],
)
def test_each_role_against_each_action(role, action, allowed):
    assert allows(role, action) is allowed


@pytest.mark.parametrize("action", list(Action))
def test_no_role_and_unknown_roles_are_allowed_nothing(action):
    assert not allows(None, action)
    assert not allows("superuser", action)


@pytest.mark.parametrize(
    ("actor", "target", "new", "allowed"),
    [
        (OWNER, OWNER, MEMBER, True),
        (OWNER, MEMBER, OWNER, True),
        (OWNER, ADMIN, MEMBER, True),
        (ADMIN, MEMBER, ADMIN, True),
        (ADMIN, ADMIN, MEMBER, True),
        (ADMIN, MEMBER, OWNER, False),  # an admin making an owner
        (ADMIN, OWNER, MEMBER, False),  # an admin demoting an owner
        (MEMBER, MEMBER, ADMIN, False),
        (MEMBER, ADMIN, MEMBER, False),
    ],
)
def test_who_may_set_which_role(actor, target, new, allowed):
    assert may_set_role(actor=actor, target=target, new=new) is allowed


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        (OWNER, OWNER, True),
        (OWNER, MEMBER, True),
        (ADMIN, ADMIN, True),
        (ADMIN, MEMBER, True),
        (ADMIN, OWNER, False),
        (MEMBER, MEMBER, False),
    ],
)
def test_who_may_remove_whom(actor, target, allowed):
    assert may_remove(actor=actor, target=target) is allowed


def test_a_key_role_is_capped_at_its_creators():
    assert capped(OWNER, ADMIN) == ADMIN
    assert capped(MEMBER, OWNER) == MEMBER
    assert [capped(r, MEMBER) for r in ROLES] == [MEMBER] * 3


def test_the_readme_shows_the_table_as_the_code_has_it():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert markdown() in readme
