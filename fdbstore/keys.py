"""The key layout: every key this project writes is built here, and only here.

All keys are tuple-layer keys under one root subspace (``FDBSTORE['ROOT']``,
default ``"coditect"``). Top-level spaces are short names, never reused::

    key                                           value            guide pattern
    (root, "meta", "layout_version")              tuple(int)       (layout header)
    (root, "users", user_id)                      user JSON        users/{user_id}
    (root, "users_by_email", email)               tuple(user_id)   users/by_email/{email}
    (root, "user_tenants", user_id, tenant_id)    membership JSON  users/{uid}/tenants/{tid}
    (root, "tenant_users", tenant_id, user_id)    tuple(pk)        (members of a tenant)
    (root, "tenants", tenant_id)                  tenant JSON      tenants/{tenant_id}
    (root, "tenant_sessions", tenant_id, sid)     tuple(sid)       tenants/{tid}/sessions/{sid}
    (root, "sessions", session_id)                session JSON     sessions/{session_id}
    (root, "revoked_tokens", jti)                 tuple(expires)   (a logged-out token)
    (root, "token_floor", user_id)                tuple(ms)        (older tokens are void)
    (root, "throttle", scope, ident, window)      int64 LE         (atomic-add counter)

    -- blobs (fdbstore/blobs.py, owned by issue 11; reused by avatars, A2A) --
    (root, "blob_chunks", blob_id, n)             bytes < 100,000  chunk n of a blob
    (root, "blob_pending", blob_id)               tuple(expires_ms) blob not yet published
                                                                    (or retired): purgeable

    -- files (files/, a session's file tree) --
    (root, "file_entries", sid, dir_id, name)     entry JSON       a name in a directory
    (root, "file_usage", tenant_id, "bytes")      int64 LE         atomic-add counters
    (root, "file_usage", tenant_id, "files")      int64 LE
    (root, "file_trash", sid, dir_id)             tuple(tenant_id) an unlinked directory (the
                                                                   root of a deleted session)
                                                                   whose contents are being
                                                                   cleared

    -- avatars (accounts/avatars.py, issue 9) --
    (root, "avatars", user_id)                    avatar JSON      the user's avatar: blob id,
                                                                   type, size, digest, time
    (root, "users", user_id)                      ... "avatar_id"  the user record's reference
    (root, "blob_chunks", avatar_blob_id, n)      bytes            the WebP, chunked (blobs.py)

A blob is written chunk by chunk under a fresh ``blob_id`` (a new version),
across as many transactions as it needs, with its ``blob_pending`` marker set
by the first; the caller publishes it (clears the marker) in the one small
transaction that points its record at the blob. A blob whose marker expired
is garbage of a dead upload: ``purge_expired`` clears it.

The file tree is a tree of ids, as FoundationDB's directory layer is: a
directory entry's value names the directory's own id, and its children are
the keys under ``(sid, that id)``; a session's root directory has the nil
UUID. A file entry names its blob. Moving a directory of any size rewrites one
entry (clear the old name, set the new), so it is one small transaction; no
key carries a full path. Every key of a session's tree starts with
``(file_entries, sid)``. Deleting a directory (or a whole session: its root)
unlinks it in one transaction and queues it in ``file_trash``; its contents
are then cleared in bounded transactions (``files/trash.py``), resumably.

Organisation tenants (issue 10, ``tenancy``)::

    (root, "invitations", inv_id)                       invitation JSON
    (root, "invitations_by_code", code_digest)          tuple(inv_id)   unique
    (root, "tenant_invitations", tenant_id, inv_id)     tuple(inv_id)   a tenant's pending
    (root, "invitations_by_expiry", expires_ms, inv_id) tuple(inv_id)   for purge_expired
    (root, "api_keys", key_digest)                      API key JSON
    (root, "tenant_api_keys", tenant_id, key_id)        tuple(digest)   a tenant's keys
    (root, "user_api_keys", user_id, tenant_id, key_id) tuple(digest)   keys a member made
    (root, "api_key_used", key_digest)                  tuple(ms)       last use (throttled)
    (root, "tenant_roles", tenant_id, role, user_id)    tuple(uid, tid) organisation members by role

Organisation tenant records live in ``tenants`` beside personal ones
(``kind``), and their memberships in ``user_tenants``/``tenant_users``. Digests
are hex strings (``tenancy/secrets.py``): an API key is authenticated by one
read of ``api_keys`` and ``api_key_used`` together. ``user_api_keys`` lets
removing a member delete the keys they made in the same transaction.
``tenant_roles`` indexes organisation memberships only (a personal tenant's
owner is implied by its id), so "is this the last owner" is one range read
of at most two entries.

``revoked_tokens`` values hold the token's ``exp`` (epoch seconds) so a purge
can drop entries whose token has expired anyway. ``token_floor`` holds an
epoch millisecond set by the user's last password change (or revocation of
all their tokens): a token whose jti, a UUIDv7, carries a millisecond at or
before it is void (``accounts/revocation.py``). A floor an earlier version
wrote in epoch seconds reads as a millisecond of January 1970 and voids
nothing, harmlessly: the tokens it voided have uuid4 jtis, invalid now.
``throttle`` keys are (scope "login"/"register", ident "address:<sha256>" or
"email:<sha256>", window = the window's start in epoch seconds): a purge
tells an ended window from the key alone (``manage.py purge_expired``).

Ids are ``uuid.UUID`` (tuple type code 0x30, 16 raw bytes), emails and jtis
are strings (0x02). Session ids are UUIDv7, so a tenant's sessions sort by
creation time and a reverse range read lists them newest first.

Agents (issue 13, the A2A hub; ``agents/``)::

    (root, "agents", agent_id)                          agent JSON       (a registered worker)
    (root, "tenant_agents", tenant_id, agent_id)        tuple(pk)        (a tenant's workers)
    (root, "a2a_tasks", task_id)                        task JSON        (a hub task's state)
    (root, "tenant_a2a_tasks", tenant_id, task_id)      tuple(pk)        (a tenant's tasks)
    (root, "a2a_task_log", task_id, seq)                event JSON       (history, artifacts)
    (root, "a2a_queue", tenant_id, skill_id, task_id)   b""              (submitted, oldest first)
    (root, "a2a_leases", tenant_id, expires_ms, task_id) b""             (claimed, by expiry)
    (root, "a2a_signal", tenant_id, skill_id)           int64 LE         (watched, per enqueue)
    (root, "a2a_task_blobs", task_id, blob_id)          tuple(size)      (a task's file parts)
    (root, "a2a_session_tasks", session_id, task_id)    b""              (tasks tied to a session)
    (root, "a2a_gone_sessions", session_id)             b""              (their tasks to delete)

Task ids are UUIDv7, so a queue's first key is its oldest task without a
versionstamp or a counter; ``a2a_signal`` is the one key a claimer watches
per skill (an atomic add: enqueuers never conflict on it).

Tenant deletion (issue 10 follow-up; ``tenancy/deletion.py``)::

    (root, "tenants_deleting", tenant_id)               tuple(user_id)   (being deleted, by whom)

The first transaction of an organisation's deletion writes it; from that
commit on the tenant is refused to every request (the per-request access read
fetches it with the membership) and hidden; its last step clears it. The
space is also the list of deletions ``purge_expired`` finishes.

The guide's slash paths are its logical schema; they are kept apart here as
separate spaces so that a prefix scan of one space never walks into another
(``users/{id}`` and ``users/by_email/...`` share a prefix in the guide).
"""

from __future__ import annotations

import uuid
from functools import lru_cache

from fdb.subspace_impl import Subspace

LAYOUT_VERSION = 1

SPACES = (
    "meta",
    "users",
    "users_by_email",
    "user_tenants",
    "tenant_users",
    "tenants",
    "tenant_sessions",
    "sessions",
    "revoked_tokens",
    "token_floor",
    "throttle",
    # blobs and files (issue 11)
    "blob_chunks",
    "blob_pending",
    "file_entries",
    "file_usage",
    "file_trash",
    # tenancy: organisations (issue 10)
    "invitations",
    "invitations_by_code",
    "tenant_invitations",
    "invitations_by_expiry",
    "api_keys",
    "tenant_api_keys",
    "user_api_keys",
    "api_key_used",
    "tenant_roles",
    # agents (issue 13)
    "agents",
    "tenant_agents",
    "a2a_tasks",
    "tenant_a2a_tasks",
    "a2a_task_log",
    "a2a_queue",
    "a2a_leases",
    "a2a_signal",
    # avatars (issue 9)
    "avatars",
    # agents, file parts (issue 13 follow-up)
    "a2a_task_blobs",
    "a2a_session_tasks",
    "a2a_gone_sessions",
    # tenancy, deletion (issue 10 follow-up)
    "tenants_deleting",
)


class Keyspace:
    """The subspaces of one root; ``keyspace()`` gives the configured one."""

    def __init__(self, root: str) -> None:
        self.root = Subspace((root,))
        self.meta = self.root["meta"]
        self.users = self.root["users"]
        self.users_by_email = self.root["users_by_email"]
        self.user_tenants = self.root["user_tenants"]
        self.tenant_users = self.root["tenant_users"]
        self.tenants = self.root["tenants"]
        self.tenant_sessions = self.root["tenant_sessions"]
        self.sessions = self.root["sessions"]
        self.revoked_tokens = self.root["revoked_tokens"]
        self.token_floor = self.root["token_floor"]
        self.throttle = self.root["throttle"]
        # blobs and files (issue 11)
        self.blob_chunks = self.root["blob_chunks"]
        self.blob_pending = self.root["blob_pending"]
        self.file_entries = self.root["file_entries"]
        self.file_usage = self.root["file_usage"]
        self.file_trash = self.root["file_trash"]
        # tenancy: organisations (issue 10)
        self.invitations = self.root["invitations"]
        self.invitations_by_code = self.root["invitations_by_code"]
        self.tenant_invitations = self.root["tenant_invitations"]
        self.invitations_by_expiry = self.root["invitations_by_expiry"]
        self.api_keys = self.root["api_keys"]
        self.tenant_api_keys = self.root["tenant_api_keys"]
        self.user_api_keys = self.root["user_api_keys"]
        self.api_key_used = self.root["api_key_used"]
        self.tenant_roles = self.root["tenant_roles"]
        # agents (issue 13)
        self.agents = self.root["agents"]
        self.tenant_agents = self.root["tenant_agents"]
        self.a2a_tasks = self.root["a2a_tasks"]
        self.tenant_a2a_tasks = self.root["tenant_a2a_tasks"]
        self.a2a_task_log = self.root["a2a_task_log"]
        self.a2a_queue = self.root["a2a_queue"]
        self.a2a_leases = self.root["a2a_leases"]
        self.a2a_signal = self.root["a2a_signal"]
        # avatars (issue 9)
        self.avatars = self.root["avatars"]
        # agents, file parts (issue 13 follow-up)
        self.a2a_task_blobs = self.root["a2a_task_blobs"]
        self.a2a_session_tasks = self.root["a2a_session_tasks"]
        self.a2a_gone_sessions = self.root["a2a_gone_sessions"]
        # tenancy, deletion (issue 10 follow-up)
        self.tenants_deleting = self.root["tenants_deleting"]

    def space(self, name: str) -> Subspace:
        if name not in SPACES:
            raise KeyError(name)
        return getattr(self, name)

    def layout_version(self) -> bytes:
        return self.meta.pack(("layout_version",))

    def user(self, user_id: uuid.UUID) -> bytes:
        return self.users.pack((user_id,))

    def user_by_email(self, email: str) -> bytes:
        return self.users_by_email.pack((email,))

    def membership(self, user_id: uuid.UUID, tenant_id: uuid.UUID) -> bytes:
        return self.user_tenants.pack((user_id, tenant_id))

    def tenant_member(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> bytes:
        return self.tenant_users.pack((tenant_id, user_id))

    def tenant(self, tenant_id: uuid.UUID) -> bytes:
        return self.tenants.pack((tenant_id,))

    def tenant_session(self, tenant_id: uuid.UUID, session_id: uuid.UUID) -> bytes:
        return self.tenant_sessions.pack((tenant_id, session_id))

    def session(self, session_id: uuid.UUID) -> bytes:
        return self.sessions.pack((session_id,))

    def revoked_token(self, jti: str) -> bytes:
        return self.revoked_tokens.pack((jti,))

    def user_token_floor(self, user_id: uuid.UUID) -> bytes:
        return self.token_floor.pack((user_id,))

    def throttle_counter(self, scope: str, ident: str, window: int) -> bytes:
        return self.throttle.pack((scope, ident, window))

    # -- blobs and files (issue 11) ------------------------------------------------
    def blob_chunk(self, blob_id: uuid.UUID, index: int) -> bytes:
        return self.blob_chunks.pack((blob_id, index))

    def blob_marker(self, blob_id: uuid.UUID) -> bytes:
        return self.blob_pending.pack((blob_id,))

    def file_entry(self, session_id: uuid.UUID, dir_id: uuid.UUID, name: str) -> bytes:
        return self.file_entries.pack((session_id, dir_id, name))

    def file_usage_counter(self, tenant_id: uuid.UUID, kind: str) -> bytes:
        return self.file_usage.pack((tenant_id, kind))

    def file_trash_entry(self, session_id: uuid.UUID, dir_id: uuid.UUID) -> bytes:
        return self.file_trash.pack((session_id, dir_id))

    # -- tenancy: organisations (issue 10) ------------------------------------------
    def invitation(self, invitation_id: uuid.UUID) -> bytes:
        return self.invitations.pack((invitation_id,))

    def invitation_by_code(self, code_digest: str) -> bytes:
        return self.invitations_by_code.pack((code_digest,))

    def tenant_invitation(self, tenant_id: uuid.UUID, invitation_id: uuid.UUID) -> bytes:
        return self.tenant_invitations.pack((tenant_id, invitation_id))

    def invitation_expiry(self, expires_ms: int, invitation_id: uuid.UUID) -> bytes:
        return self.invitations_by_expiry.pack((expires_ms, invitation_id))

    def api_key(self, key_digest: str) -> bytes:
        return self.api_keys.pack((key_digest,))

    def tenant_api_key(self, tenant_id: uuid.UUID, key_id: uuid.UUID) -> bytes:
        return self.tenant_api_keys.pack((tenant_id, key_id))

    def user_api_key(self, user_id: uuid.UUID, tenant_id: uuid.UUID, key_id: uuid.UUID) -> bytes:
        return self.user_api_keys.pack((user_id, tenant_id, key_id))

    def api_key_last_used(self, key_digest: str) -> bytes:
        return self.api_key_used.pack((key_digest,))

    def tenant_role(self, tenant_id: uuid.UUID, role: str, user_id: uuid.UUID) -> bytes:
        return self.tenant_roles.pack((tenant_id, role, user_id))

    # -- agents (issue 13) ----------------------------------------------------------
    def agent(self, agent_id: uuid.UUID) -> bytes:
        return self.agents.pack((agent_id,))

    def a2a_task(self, task_id: uuid.UUID) -> bytes:
        return self.a2a_tasks.pack((task_id,))

    def a2a_task_event(self, task_id: uuid.UUID, seq: int) -> bytes:
        return self.a2a_task_log.pack((task_id, seq))

    def a2a_queued(self, tenant_id: uuid.UUID, skill_id: str, task_id: uuid.UUID) -> bytes:
        return self.a2a_queue.pack((tenant_id, skill_id, task_id))

    def a2a_lease(self, tenant_id: uuid.UUID, expires_ms: int, task_id: uuid.UUID) -> bytes:
        return self.a2a_leases.pack((tenant_id, expires_ms, task_id))

    def a2a_skill_signal(self, tenant_id: uuid.UUID, skill_id: str) -> bytes:
        return self.a2a_signal.pack((tenant_id, skill_id))

    # -- avatars (issue 9) -------------------------------------------------------------
    def avatar(self, user_id: uuid.UUID) -> bytes:
        return self.avatars.pack((user_id,))

    # -- agents, file parts (issue 13 follow-up) ----------------------------------------
    def a2a_task_blob(self, task_id: uuid.UUID, blob_id: uuid.UUID) -> bytes:
        return self.a2a_task_blobs.pack((task_id, blob_id))

    def a2a_session_task(self, session_id: uuid.UUID, task_id: uuid.UUID) -> bytes:
        return self.a2a_session_tasks.pack((session_id, task_id))

    def a2a_gone_session(self, session_id: uuid.UUID) -> bytes:
        return self.a2a_gone_sessions.pack((session_id,))

    # -- tenancy, deletion (issue 10 follow-up) -----------------------------------------
    def tenant_deleting(self, tenant_id: uuid.UUID) -> bytes:
        return self.tenants_deleting.pack((tenant_id,))


@lru_cache(maxsize=8)
def _keyspace(root: str) -> Keyspace:
    return Keyspace(root)


def keyspace() -> Keyspace:
    """Return the keyspace under the configured root."""
    from django.conf import settings

    return _keyspace(getattr(settings, "FDBSTORE", {}).get("ROOT", "coditect"))
