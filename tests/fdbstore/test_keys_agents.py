"""The agents app's key builders (issue 13), pinned byte for byte.

0x30 <16 bytes> for UUIDs, 0x02 <utf-8> 0x00 for strings, 0x14+n for
positive ints (n big-endian bytes).
"""

from __future__ import annotations

from uuid import UUID

from fdbstore.keys import Keyspace

TENANT = UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
TASK = UUID("01890a5d-ac96-774b-bcce-b302099a8057")
T = b"\x30\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0"
K = b"\x30\x01\x89\x0a\x5d\xac\x96\x77\x4b\xbc\xce\xb3\x02\x09\x9a\x80\x57"
ROOT = b"\x02coditect\x00"
KS = Keyspace("coditect")


def test_agent_key():
    assert KS.agent(TASK) == ROOT + b"\x02agents\x00" + K


def test_task_key():
    assert KS.a2a_task(TASK) == ROOT + b"\x02a2a_tasks\x00" + K


def test_task_event_key_orders_by_sequence():
    assert KS.a2a_task_event(TASK, 2) == ROOT + b"\x02a2a_task_log\x00" + K + b"\x15\x02"
    assert KS.a2a_task_event(TASK, 2) < KS.a2a_task_event(TASK, 300)


def test_queue_key():
    assert KS.a2a_queued(TENANT, "echo", TASK) == (
        ROOT + b"\x02a2a_queue\x00" + T + b"\x02echo\x00" + K
    )


def test_lease_key_orders_by_expiry():
    assert KS.a2a_lease(TENANT, 1000, TASK) == (
        ROOT + b"\x02a2a_leases\x00" + T + b"\x16\x03\xe8" + K
    )
    assert KS.a2a_lease(TENANT, 999, TASK) < KS.a2a_lease(TENANT, 1000, TASK)


def test_skill_signal_key():
    assert KS.a2a_skill_signal(TENANT, "echo") == ROOT + b"\x02a2a_signal\x00" + T + b"\x02echo\x00"


def test_task_blob_key():
    blob = UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    assert KS.a2a_task_blob(TASK, blob) == ROOT + b"\x02a2a_task_blobs\x00" + K + T


def test_session_task_and_gone_session_keys():
    session = UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    assert KS.a2a_session_task(session, TASK) == ROOT + b"\x02a2a_session_tasks\x00" + T + K
    assert KS.a2a_gone_session(session) == ROOT + b"\x02a2a_gone_sessions\x00" + T
