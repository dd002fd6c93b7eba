"""File parts: ``raw`` bytes stored as blobs (fdbstore/blobs.py), bounded, shown again,
deleted with their task and dumped with their tenant."""

from __future__ import annotations

import base64
import io
import json
import os

import pytest
from django.core.management import call_command

from agents.errors import TooLarge
from agents.purge import tasks_purge
from agents.selectors import task_get
from agents.services import task_claim, task_submit
from fdbstore.blobs import blobs_purge
from fdbstore.connection import get_database
from fdbstore.keys import keyspace
from tests.agents.helpers import register_agent, update, user_message
from tests.agents.test_tenant_data import dumped_spaces

LIMIT = 200_000


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AGENTS = {"MAX_FILE_BYTES": LIMIT, "TASK_RETENTION_DAYS": 1}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def file_part(data: bytes, name: str = "a.bin") -> dict:
    return {"raw": b64(data), "filename": name, "mediaType": "application/octet-stream"}


def count(space: str) -> int:
    scope = keyspace().space(space).range()
    return len(get_database().transact(lambda tr: tr.get_range(scope.start, scope.stop)))


def leased(api, person, parts=None):
    """A registered worker and a task it holds; the client's message has ``parts``."""
    agent = register_agent(api, person)
    message = {**user_message("files"), "parts": parts or [{"text": "files"}]}
    task_submit(tenant_id=person.tenant_id, skill_id="echo", message=message)
    task, view = task_claim(tenant_id=person.tenant_id, agent_id=agent["id"], timeout=0)
    return task, view


def test_a_clients_file_is_a_blob_and_the_worker_gets_its_bytes(api, alice):
    data = os.urandom(150_000)  # far over the 32 KiB inline message limit
    task, view = leased(api, alice, [{"text": "see file"}, file_part(data)])
    part = view["history"][0]["parts"][1]
    assert base64.b64decode(part["raw"]) == data and part["filename"] == "a.bin"
    assert count("a2a_task_blobs") == 1 and count("blob_pending") == 0
    event = get_database().transact(lambda tr: tr.get(keyspace().a2a_task_event(task.id, 1)))
    assert len(event) < 1000 and b"hubBlob" in event  # the log names the blob only


def test_a_workers_artifact_file_is_stored_and_shown_by_get_task(api, alice):
    task, _ = leased(api, alice)
    data = os.urandom(100_000)
    body = {"name": "out", "parts": [file_part(data, "out.bin")]}
    reply = update(api, alice, str(task.id), leaseId=task.lease_id, artifact=body)
    assert reply.status_code == 200, reply.content
    _, view = task_get(tenant_id=alice.tenant_id, task_id=task.id)
    assert base64.b64decode(view["artifacts"][0]["parts"][0]["raw"]) == data


def test_files_over_the_limit_are_413_before_anything_is_stored(api, alice):
    task, _ = leased(api, alice)
    before = (count("blob_chunks"), count("blob_pending"), count("a2a_task_log"))
    two = [file_part(os.urandom(LIMIT // 2 + 1)), file_part(os.urandom(LIMIT // 2 + 1))]
    reply = update(api, alice, str(task.id), leaseId=task.lease_id, artifact={"parts": two})
    assert reply.status_code == 413, reply.content
    assert reply.json()["error"]["code"] == "payload_too_large"
    assert (count("blob_chunks"), count("blob_pending"), count("a2a_task_log")) == before


def test_a_body_over_the_update_cap_is_413(api, alice):
    task, _ = leased(api, alice)
    huge = {"parts": [{"text": "x" * (3 * LIMIT)}]}
    reply = update(api, alice, str(task.id), leaseId=task.lease_id, message=huge)
    assert reply.status_code == 413


def test_an_update_refused_for_its_lease_leaves_no_blob(api, alice):
    task, _ = leased(api, alice)
    body = {"parts": [file_part(os.urandom(70_000))]}
    reply = update(api, alice, str(task.id), leaseId="not-the-lease", artifact=body)
    assert reply.status_code == 409
    assert count("blob_chunks") == 0 and count("blob_pending") == 0


def test_a_submit_over_the_file_limit_stores_nothing(api, alice):
    register_agent(api, alice)
    message = {**user_message("big"), "parts": [file_part(os.urandom(LIMIT + 1))]}
    with pytest.raises(TooLarge):
        task_submit(tenant_id=alice.tenant_id, skill_id="echo", message=message)
    assert count("blob_chunks") == 0 and count("a2a_tasks") == 0


def test_deleting_a_task_retires_its_blobs_and_the_purge_clears_them(api, alice, frozen_clock):
    task, _ = leased(api, alice, [file_part(os.urandom(90_000))])
    reply = update(api, alice, str(task.id), leaseId=task.lease_id, state="completed")
    assert reply.status_code == 200
    frozen_clock.tick(days=2)
    assert tasks_purge().expired == 1
    assert count("a2a_task_blobs") == 0 and count("blob_pending") == 1
    blobs_purge(get_database())
    assert count("blob_chunks") == 0 and count("blob_pending") == 0


def test_a_tenant_dump_holds_its_tasks_file_chunks_only(api, people):
    leased(api, people.alice, [file_part(os.urandom(70_000))])  # 2 chunks
    leased(api, people.charlie, [file_part(os.urandom(10_000))])
    spaces = dumped_spaces(people.alice.tenant_id)
    assert spaces["a2a_task_blobs"] == 1 and spaces["blob_chunks"] == 2
    out = io.StringIO()
    call_command("fdbstore_check", "--json", stdout=out)
    assert json.loads(out.getvalue())["ok"] is True
