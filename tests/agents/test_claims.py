"""Claiming and updating hub tasks: leases, long-polls, terminal states."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from agents.errors import TaskNotContinuable, UnknownSkill
from agents.selectors import task_get
from agents.services import task_cancel, task_continue, task_submit
from tests.agents.helpers import claim, register_agent, update, user_message
from tests.support.api import error_of


def submit(person, skill_id="echo", text="hello"):
    return task_submit(tenant_id=person.tenant_id, skill_id=skill_id, message=user_message(text))


def test_claim_with_nothing_queued_is_204(api, alice):
    agent = register_agent(api, alice)
    assert claim(api, alice, agent["id"]).status_code == 204


def test_claim_leases_the_oldest_task_with_the_clients_message(api, alice):
    agent = register_agent(api, alice, "echo", "other")
    first, second = submit(alice, text="first"), submit(alice, "other", text="second")
    response = claim(api, alice, agent["id"])
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["task"]["id"] == str(first.id)
    assert data["task"]["status"]["state"] == "TASK_STATE_SUBMITTED"
    assert data["task"]["history"][0]["parts"] == [{"text": "first"}]
    assert data["task"]["metadata"] == {"skillId": "echo"}
    assert data["leaseId"] and data["leaseExpiresAt"].endswith("Z")
    assert claim(api, alice, agent["id"]).json()["data"]["task"]["id"] == str(second.id)
    assert claim(api, alice, agent["id"]).status_code == 204


def test_a_worker_only_gets_its_own_skills(api, alice):
    echo = register_agent(api, alice, "echo")
    register_agent(api, alice, "other")
    submit(alice, "other")
    assert claim(api, alice, echo["id"]).status_code == 204


def test_a_waiting_claim_wakes_on_a_submit(api, alice):
    agent = register_agent(api, alice)
    threading.Timer(0.3, lambda: submit(alice)).start()
    started = time.monotonic()
    response = claim(api, alice, agent["id"], timeout=10)
    assert response.status_code == 200
    assert time.monotonic() - started < 5


def test_a_claim_times_out_with_204(api, alice):
    agent = register_agent(api, alice)
    started = time.monotonic()
    assert claim(api, alice, agent["id"], timeout=0.3).status_code == 204
    assert 0.25 < time.monotonic() - started < 5


@pytest.mark.parametrize("timeout", [-1, 31, "soon"])
def test_claim_timeout_out_of_range_is_400(api, alice, timeout):
    agent = register_agent(api, alice)
    assert claim(api, alice, agent["id"], timeout=timeout).status_code == 400


def test_another_tenants_agent_cannot_claim(api, people):
    agent = register_agent(api, people.alice)
    assert claim(api, people.charlie, agent["id"]).status_code == 404


def test_unknown_skill_is_refused_listing_the_known_ones(api, alice):
    register_agent(api, alice, "echo", "summarise")
    with pytest.raises(UnknownSkill) as caught:
        submit(alice, "translate")
    assert caught.value.known == ["echo", "summarise"]
    assert "echo, summarise" in str(caught.value.message)


class TestUpdates:
    @pytest.fixture
    def held(self, api, alice):
        agent = register_agent(api, alice)
        task = submit(alice)
        data = claim(api, alice, agent["id"]).json()["data"]
        return str(task.id), data["leaseId"]

    def test_progress_artifact_and_completion(self, api, alice, held):
        task_id, lease = held
        working = update(
            api,
            alice,
            task_id,
            leaseId=lease,
            state="working",
            message={"parts": [{"text": "on it"}]},
        )
        assert working.status_code == 200, working.content
        artifact = {"name": "result", "parts": [{"text": "HELLO"}, {"data": {"n": 1}}]}
        assert update(api, alice, task_id, leaseId=lease, artifact=artifact).status_code == 200
        done = update(api, alice, task_id, leaseId=lease, state="completed")
        assert done.json()["data"] == {"state": "TASK_STATE_COMPLETED", "leaseExpiresAt": None}
        _, view = task_get(tenant_id=alice.tenant_id, task_id=task_id)
        assert view["status"]["state"] == "TASK_STATE_COMPLETED"
        assert [m["role"] for m in view["history"]] == ["ROLE_USER", "ROLE_AGENT"]
        assert view["artifacts"][0]["name"] == "result"
        assert view["artifacts"][0]["parts"][1] == {"data": {"n": 1}}

    def test_a_terminal_state_is_final(self, api, alice, held):
        task_id, lease = held
        update(api, alice, task_id, leaseId=lease, state="failed")
        again = update(api, alice, task_id, leaseId=lease, state="completed")
        assert again.status_code == 409
        assert error_of(again)["code"] == "task_final"

    def test_a_wrong_lease_is_409(self, api, alice, held):
        task_id, _ = held
        response = update(api, alice, task_id, leaseId="not-mine", state="working")
        assert response.status_code == 409
        assert error_of(response)["code"] == "lease_not_held"

    def test_another_tenants_task_is_404(self, api, people, held):
        task_id, lease = held
        assert update(api, people.charlie, task_id, leaseId=lease).status_code == 404
        assert update(api, people.alice, str(uuid.uuid4()), leaseId=lease).status_code == 404

    def test_a_bad_state_or_part_is_400(self, api, alice, held):
        task_id, lease = held
        assert update(api, alice, task_id, leaseId=lease, state="canceled").status_code == 400
        bad = {"parts": [{"nonsense": 1}]}
        assert update(api, alice, task_id, leaseId=lease, message=bad).status_code == 400
        assert update(api, alice, task_id, leaseId=lease, artifact={"parts": []}).status_code == 400

    def test_a_huge_artifact_is_413_and_nothing_is_stored(self, api, alice, held, settings):
        settings.AGENTS = {"MAX_ARTIFACT_BYTES": 2000}
        task_id, lease = held
        huge = {"name": "big", "parts": [{"text": "x" * 3000}]}
        assert update(api, alice, task_id, leaseId=lease, artifact=huge).status_code == 413
        _, view = task_get(tenant_id=alice.tenant_id, task_id=task_id)
        assert "artifacts" not in view

    def test_input_required_releases_the_lease(self, api, alice, held):
        task_id, lease = held
        asked = update(
            api,
            alice,
            task_id,
            leaseId=lease,
            state="input-required",
            message={"parts": [{"text": "which language?"}]},
        )
        assert asked.json()["data"]["state"] == "TASK_STATE_INPUT_REQUIRED"
        assert update(api, alice, task_id, leaseId=lease, state="working").status_code == 409


class TestLeaseExpiry:
    def test_an_expired_lease_puts_the_task_back(self, api, alice, frozen_clock, settings):
        settings.AGENTS = {"LEASE_SECONDS": 10, "MAX_LEASE_EXPIRIES": 3}
        first, second = register_agent(api, alice), register_agent(api, alice)
        task = submit(alice)
        lease = claim(api, alice, first["id"]).json()["data"]["leaseId"]
        assert claim(api, alice, second["id"]).status_code == 204
        frozen_clock.tick(seconds=11)
        again = claim(api, alice, second["id"]).json()["data"]
        assert again["task"]["id"] == str(task.id) and again["leaseId"] != lease
        assert update(api, alice, str(task.id), leaseId=lease, state="working").status_code == 409

    def test_n_expiries_fail_the_task_with_a_reason(self, api, alice, frozen_clock, settings):
        settings.AGENTS = {"LEASE_SECONDS": 10, "MAX_LEASE_EXPIRIES": 2}
        agent = register_agent(api, alice)
        task = submit(alice)
        for _ in range(2):
            assert claim(api, alice, agent["id"]).status_code == 200
            frozen_clock.tick(seconds=11)
        assert claim(api, alice, agent["id"]).status_code == 204
        record, view = task_get(tenant_id=alice.tenant_id, task_id=str(task.id))
        assert record.state == "TASK_STATE_FAILED" and record.expiries == 2
        assert "expired 2 times" in view["status"]["message"]["parts"][0]["text"]

    def test_an_update_renews_the_lease(self, api, alice, frozen_clock, settings):
        settings.AGENTS = {"LEASE_SECONDS": 10}
        agent, other = register_agent(api, alice), register_agent(api, alice)
        task = submit(alice)
        lease = claim(api, alice, agent["id"]).json()["data"]["leaseId"]
        frozen_clock.tick(seconds=8)
        assert update(api, alice, str(task.id), leaseId=lease, state="working").status_code == 200
        frozen_clock.tick(seconds=8)
        assert claim(api, alice, other["id"]).status_code == 204
        assert update(api, alice, str(task.id), leaseId=lease, state="completed").status_code == 200


class TestCancel:
    def test_cancel_while_submitted_takes_it_off_the_queue(self, api, alice):
        agent = register_agent(api, alice)
        task = submit(alice)
        assert task_cancel(tenant_id=alice.tenant_id, task_id=str(task.id)).state == (
            "TASK_STATE_CANCELED"
        )
        assert claim(api, alice, agent["id"]).status_code == 204

    def test_cancel_while_working_ends_the_workers_lease(self, api, alice):
        agent = register_agent(api, alice)
        task = submit(alice)
        lease = claim(api, alice, agent["id"]).json()["data"]["leaseId"]
        update(api, alice, str(task.id), leaseId=lease, state="working")
        task_cancel(tenant_id=alice.tenant_id, task_id=str(task.id))
        response = update(api, alice, str(task.id), leaseId=lease, state="completed")
        assert response.status_code == 409 and error_of(response)["code"] == "task_final"


def test_an_answer_to_input_required_queues_the_task_again(api, alice):
    agent = register_agent(api, alice)
    task = submit(alice, text="translate this")
    lease = claim(api, alice, agent["id"]).json()["data"]["leaseId"]
    question = {"parts": [{"text": "into which language?"}]}
    update(api, alice, str(task.id), leaseId=lease, state="input-required", message=question)
    task_continue(tenant_id=alice.tenant_id, task_id=str(task.id), message=user_message("French"))
    again = claim(api, alice, agent["id"]).json()["data"]
    assert again["task"]["id"] == str(task.id)
    texts = [m["parts"][0]["text"] for m in again["task"]["history"]]
    assert texts == ["translate this", "into which language?", "French"]
    with pytest.raises(TaskNotContinuable):
        task_continue(tenant_id=alice.tenant_id, task_id=str(task.id), message=user_message("x"))
