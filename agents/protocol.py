"""A2A 1.0 objects as the hub stores and shows them: JSON checked by the SDK's types.

Messages and artifacts arrive as JSON (the protocol's camelCase form); each is
parsed into the SDK's protobuf type (``a2a.types``), which refuses unknown
fields and wrong shapes, and is stored as that type writes itself back. A task
is shown as the SDK's ``Task`` JSON, assembled from its record and log.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from a2a.types import a2a_pb2
from google.protobuf import json_format

from agents.errors import InvalidParts, TooLarge
from agents.files import without_raw
from agents.records import HubTask
from sessions_api.serializers import iso_utc


def encoded_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def checked(kind: type, value: Any, *, limit: int, what: str) -> dict[str, Any]:
    """``value`` parsed as the SDK type ``kind`` and written back; size checked first
    (file parts' ``raw`` bytes aside: ``agents.files`` bounds and stores those)."""
    if encoded_size(without_raw(value)) > limit:
        raise TooLarge(f"The {what} is larger than {limit} bytes.")
    if not isinstance(value, dict):
        raise InvalidParts(f"The {what} must be an object.")
    try:
        parsed = json_format.ParseDict(value, kind())
    except (json_format.ParseError, ValueError, TypeError) as exc:
        raise InvalidParts(f"The {what} is not an A2A {kind.__name__}: {exc}") from None
    if not list(getattr(parsed, "parts", [])):
        raise InvalidParts(f"The {what} has no parts.")
    return json_format.MessageToDict(parsed)


def user_message(value: Any, *, limit: int) -> dict[str, Any]:
    """A client's message to the hub (A2A's face and MCP's ``tasks_submit``): at most
    ``limit`` bytes, an SDK ``Message`` with parts, as that type writes itself back."""
    return checked(a2a_pb2.Message, value, limit=limit, what="message")


def agent_message(value: Any, *, limit: int) -> dict[str, Any]:
    """A worker's message: role agent; a messageId is made if missing (``tied`` to its task)."""
    if isinstance(value, dict):
        value = {"messageId": uuid.uuid4().hex, **value, "role": "ROLE_AGENT"}
        value.pop("taskId", None)
        value.pop("contextId", None)
    return checked(a2a_pb2.Message, value, limit=limit, what="message")


def tied(message: dict[str, Any], task: HubTask) -> dict[str, Any]:
    return {**message, "taskId": str(task.id), "contextId": task.context_id}


def artifact(value: Any, *, limit: int) -> dict[str, Any]:
    if isinstance(value, dict):
        value = {"artifactId": uuid.uuid4().hex, **value}
    return checked(a2a_pb2.Artifact, value, limit=limit, what="artifact")


def status_of(task: HubTask) -> dict[str, Any]:
    status: dict[str, Any] = {
        "state": task.state,
        "timestamp": iso_utc(task.status_at),
    }
    if task.status_message is not None:
        status["message"] = task.status_message
    return status


def status_event(task: HubTask) -> dict[str, Any]:
    return {
        "statusUpdate": {
            "taskId": str(task.id),
            "contextId": task.context_id,
            "status": status_of(task),
        }
    }


def artifact_event(task: HubTask, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "artifactUpdate": {"taskId": str(task.id), "contextId": task.context_id, "artifact": body}
    }


def task_view(
    task: HubTask, events: list[tuple[int, dict[str, Any]]], *, artifacts: bool = True
) -> dict[str, Any]:
    """The task as A2A's GetTask shows it: status, history (messages) and artifacts."""
    history: list[dict[str, Any]] = []
    found: list[dict[str, Any]] = []
    for _, event in events:
        if "message" in event:
            history.append(event["message"])
        elif "statusUpdate" in event and "message" in event["statusUpdate"]["status"]:
            history.append(event["statusUpdate"]["status"]["message"])
        elif "artifactUpdate" in event:
            found.append(event["artifactUpdate"]["artifact"])
    view: dict[str, Any] = {
        "id": str(task.id),
        "contextId": task.context_id,
        "status": status_of(task),
        "history": history,
        "metadata": {"skillId": task.skill_id},
    }
    if artifacts and found:
        view["artifacts"] = found
    return view


def as_task(view: dict[str, Any]) -> a2a_pb2.Task:
    return json_format.ParseDict(view, a2a_pb2.Task())
