"""The A2A face on the production server: card, auth, errors, sends, cancel, leases.

Raw JSON-RPC (httpx) where a test is about the wire; the workers are plain HTTP.
The server runs with 2-second leases so a killed worker's task comes back quickly.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest

from config.api.ids import uuid7
from tests.agents.test_a2a_end_to_end import token_for
from tests.agents.worker import PlainWorker
from tests.support.server import Server

pytestmark = pytest.mark.slow
LEASE_S = 2


@pytest.fixture(scope="module")
def server(launch_server) -> Server:
    env = launch_server.env(
        "a2a-protocol",
        WEB_CONCURRENCY="2",
        A2A_LEASE_SECONDS=str(LEASE_S),
        A2A_MAX_MESSAGE_BYTES="4096",
        A2A_MAX_FILE_BYTES="16384",
    )
    return launch_server(env)


@pytest.fixture(scope="module")
def alice(server) -> str:
    return token_for(server, "alice-a2a@example.com")


@pytest.fixture(scope="module")
def worker(server, alice) -> PlainWorker:
    return PlainWorker(server.base_url, alice, ["echo"])


def rpc(server, token, method, params, *, version="1.0", raw=None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if version:
        headers["A2A-Version"] = version
    body = (
        raw if raw is not None else {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    )
    content = body if isinstance(body, bytes) else None
    return httpx.post(
        f"{server.base_url}/api/v5/a2a",
        headers=headers,
        content=content,
        json=None if content is not None else body,
        timeout=60,
    )


def send(server, token, text="hi", skill="echo", **config) -> httpx.Response:
    message = {"messageId": uuid.uuid4().hex, "role": "ROLE_USER", "parts": [{"text": text}]}
    if skill is not None:
        message["metadata"] = {"skillId": skill}
    return rpc(server, token, "SendMessage", {"message": message, "configuration": config})


def result(reply: httpx.Response) -> dict:
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert "error" not in body, body
    return body["result"]


def sent(reply: httpx.Response) -> dict:
    """The task a SendMessage answered (SendMessageResponse's ``task``)."""
    return result(reply)["task"]


def error(reply: httpx.Response) -> dict:
    body = reply.json()
    assert "error" in body, body
    return body["error"]


def test_the_public_card_points_at_the_rpc_url_and_shows_no_tenant_data(server, worker):
    card = httpx.get(f"{server.base_url}/.well-known/agent-card.json", timeout=30).json()
    interface = card["supportedInterfaces"][0]
    assert interface == {
        "url": f"{server.base_url}/api/v5/a2a",
        "protocolBinding": "JSONRPC",
        "protocolVersion": "1.0",
    }
    assert card["capabilities"]["streaming"] is True
    assert card["securitySchemes"]["bearer"]["httpAuthSecurityScheme"]["scheme"] == "Bearer"
    assert [skill["id"] for skill in card["skills"]] == ["delegate"]


def test_the_extended_card_lists_the_tenants_skills(server, alice, worker):
    card = result(rpc(server, alice, "GetExtendedAgentCard", {}))
    assert [skill["id"] for skill in card["skills"]] == ["echo"]


def test_without_a_valid_credential_it_is_401_with_www_authenticate(server):
    for token in (None, "not-a-token"):
        reply = rpc(server, token, "GetTask", {"id": "x"})
        assert reply.status_code == 401
        assert reply.headers["www-authenticate"] == "Bearer"
    claim = httpx.post(f"{server.base_url}/api/v5/agents/x/claim", json={}, timeout=30)
    assert claim.status_code == 401 and claim.headers["www-authenticate"] == "Bearer"


def test_an_unknown_or_missing_skill_is_32602_listing_the_known_skills(server, alice, worker):
    for skill in ("translate", None):
        failure = error(send(server, alice, skill=skill, returnImmediately=True))
        assert failure["code"] == -32602
        assert "echo" in failure["message"]


def test_a_wrong_or_missing_version_is_answered_as_the_sdk_answers(server, alice):
    for version in ("0.9", None):
        assert error(rpc(server, alice, "GetTask", {"id": "x"}, version=version))["code"] == -32009


def test_malformed_json_rpc_gets_the_protocols_errors(server, alice):
    assert error(rpc(server, alice, None, None, raw=b"{not json"))["code"] == -32700
    assert error(rpc(server, alice, None, None, raw={"jsonrpc": "2.0", "id": 1}))["code"] == -32600
    assert error(rpc(server, alice, "Nope", {}))["code"] == -32601
    assert error(rpc(server, alice, None, None, raw=[{"jsonrpc": "2.0"}]))["code"] == -32600


def test_a_huge_message_is_refused_before_anything_is_stored(server, alice, worker):
    before = result(rpc(server, alice, "ListTasks", {"pageSize": 100}))
    assert error(send(server, alice, text="x" * 5000, returnImmediately=True))["code"] == -32602
    reply = send(server, alice, text="x" * 100_000, returnImmediately=True)
    assert reply.status_code == 413 and error(reply)["code"] == -32600
    after = result(rpc(server, alice, "ListTasks", {"pageSize": 100}))
    assert len(after.get("tasks", [])) == len(before.get("tasks", []))


def chunked(server, token, body: bytes) -> httpx.Response:
    """POST ``body`` without Content-Length (Transfer-Encoding: chunked)."""

    def pieces():
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    headers = {"Content-Type": "application/json", "A2A-Version": "1.0"}
    headers["Authorization"] = f"Bearer {token}"
    url = f"{server.base_url}/api/v5/a2a"
    return httpx.post(url, headers=headers, content=pieces(), timeout=60)


def test_a_chunked_body_is_read_under_the_same_cap(server, alice):
    listing = {"jsonrpc": "2.0", "id": 1, "method": "ListTasks", "params": {"pageSize": 1}}
    small = chunked(server, alice, json.dumps(listing).encode())
    assert small.status_code == 200 and "result" in small.json()
    huge = chunked(server, alice, b'{"jsonrpc": "2.0", "x": "' + b"x" * 20_000_000 + b'"}')
    assert huge.status_code == 413 and error(huge)["code"] == -32600


def test_a_file_part_is_stored_as_a_blob_and_shown_again(server, alice, worker):
    data = bytes(range(256)) * 48  # 12 KiB: over the 4 KiB inline limit, under the 16 KiB files'
    part = {"raw": base64.b64encode(data).decode(), "filename": "f.bin"}
    message = {"messageId": uuid.uuid4().hex, "role": "ROLE_USER", "parts": [part]}
    message["metadata"] = {"skillId": "echo"}
    params = {"message": message, "configuration": {"returnImmediately": True}}
    task = sent(rpc(server, alice, "SendMessage", params))
    shown = result(rpc(server, alice, "GetTask", {"id": task["id"]}))
    assert base64.b64decode(shown["history"][0]["parts"][0]["raw"]) == data
    result(rpc(server, alice, "CancelTask", {"id": task["id"]}))
    before = result(rpc(server, alice, "ListTasks", {"pageSize": 100}))
    part["raw"] = base64.b64encode(data * 2).decode()  # 24 KiB of files
    message["messageId"] = uuid.uuid4().hex
    assert error(rpc(server, alice, "SendMessage", params))["code"] == -32602
    after = result(rpc(server, alice, "ListTasks", {"pageSize": 100}))
    assert len(after.get("tasks", [])) == len(before.get("tasks", []))


def test_a_context_id_naming_no_session_of_the_tenant_is_32602(server, alice, worker):
    message = {"messageId": uuid.uuid4().hex, "role": "ROLE_USER", "parts": [{"text": "x"}]}
    message.update(metadata={"skillId": "echo"}, contextId=str(uuid7()))  # a session id's shape
    params = {"message": message, "configuration": {"returnImmediately": True}}
    failure = error(rpc(server, alice, "SendMessage", params))
    assert failure["code"] == -32602 and "session" in failure["message"]


def test_return_immediately_answers_the_submitted_task(server, alice, worker):
    task = sent(send(server, alice, returnImmediately=True))
    assert task["status"]["state"] == "TASK_STATE_SUBMITTED"
    assert task["metadata"] == {"skillId": "echo"}
    result(rpc(server, alice, "CancelTask", {"id": task["id"]}))


def test_a_blocking_send_waits_for_the_worker_to_finish(server, alice, worker):
    def work():
        claimed = worker.claim(timeout=20)
        assert (
            worker.update(claimed["task"]["id"], claimed["leaseId"], state="completed").status_code
            == 200
        )

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    task = sent(send(server, alice, text="wait for me"))
    thread.join(30)
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"


def test_another_tenants_task_is_not_found(server, alice, worker):
    charlie = token_for(server, "charlie-a2a@example.com")
    task = sent(send(server, alice, returnImmediately=True))
    assert error(rpc(server, charlie, "GetTask", {"id": task["id"]}))["code"] == -32001
    assert error(rpc(server, charlie, "CancelTask", {"id": task["id"]}))["code"] == -32001
    assert error(rpc(server, alice, "GetTask", {"id": str(uuid.uuid4())}))["code"] == -32001
    result(rpc(server, alice, "CancelTask", {"id": task["id"]}))


def test_cancel_while_submitted_and_while_working(server, alice, worker):
    queued = sent(send(server, alice, returnImmediately=True))
    canceled = result(rpc(server, alice, "CancelTask", {"id": queued["id"]}))
    assert canceled["status"]["state"] == "TASK_STATE_CANCELED"
    assert error(rpc(server, alice, "CancelTask", {"id": queued["id"]}))["code"] == -32002
    working = sent(send(server, alice, returnImmediately=True))
    claimed = worker.claim(timeout=10)
    assert claimed["task"]["id"] == working["id"]
    assert worker.update(working["id"], claimed["leaseId"], state="working").status_code == 200
    result(rpc(server, alice, "CancelTask", {"id": working["id"]}))
    late = worker.update(working["id"], claimed["leaseId"], state="completed")
    assert late.status_code == 409 and late.json()["error"]["code"] == "task_final"


def test_a_claim_long_poll_wakes_on_a_submit(server, alice, worker):
    threading.Timer(0.5, lambda: send(server, alice, returnImmediately=True)).start()
    started = time.monotonic()
    claimed = worker.claim(timeout=20)
    assert claimed is not None and time.monotonic() - started < 10
    worker.update(claimed["task"]["id"], claimed["leaseId"], state="failed")


KILLED_WORKER = """
import sys
sys.path.insert(0, sys.argv[3])
from tests.agents.worker import PlainWorker
w = PlainWorker(sys.argv[1], sys.argv[2], ["echo"], name="doomed")
claimed = w.claim(timeout=20)
w.update(claimed["task"]["id"], claimed["leaseId"], state="working")
print(claimed["task"]["id"], flush=True)
sys.stdin.read()  # holds the task until SIGKILLed
"""


def test_a_sigkilled_workers_lease_expires_and_another_worker_finishes(server, alice, worker):
    root = str(__import__("pathlib").Path(__file__).resolve().parents[2])
    doomed = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, server.base_url, alice, root],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1)
        task = sent(send(server, alice, text="survive", returnImmediately=True))
        assert doomed.stdout.readline().strip() == task["id"]
    finally:
        doomed.kill()
        doomed.wait(10)
    claimed = worker.claim(timeout=LEASE_S * 5)
    assert claimed is not None and claimed["task"]["id"] == task["id"]
    assert worker.update(task["id"], claimed["leaseId"], state="completed").status_code == 200
    final = result(rpc(server, alice, "GetTask", {"id": task["id"]}))
    assert final["status"]["state"] == "TASK_STATE_COMPLETED"
