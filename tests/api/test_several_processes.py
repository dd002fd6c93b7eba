"""Two real server processes on one embedded store behave as one service.

Each is a production server (``python -m config.server``) of one worker, on its
own port: a registration race across both gives one 201, a logout on one is
refused at once by the other, and a session created on one is listed by the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def call(base: str, method: str, path: str, body=None, token: str | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)  # noqa: S310
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 -- loopback
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[list[str]]:
    store = tmp_path_factory.mktemp("shared") / "store.sqlite3"
    env = {
        **os.environ,
        "DEBUG": "false",
        "JWT_SECRET": "several-processes-test-secret-0123456789abcdef",
        "FDBSTORE_BACKEND": "embedded",
        "FDBSTORE_PATH": str(store),
        "FDBSTORE_SYNCHRONOUS": "NORMAL",
        "THROTTLE_LOGIN_RATE": "1000/min",
        "THROTTLE_REGISTER_RATE": "1000/min",
        "LOG_LEVEL": "warning",
    }
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "config.server"],
            cwd=ROOT,
            env={**env, "WEB_CONCURRENCY": "1", "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: teardown reaches its worker
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}/api/v5" for port in ports]
    try:
        deadline = time.monotonic() + 30
        for base, proc in zip(bases, procs, strict=True):
            while True:
                try:
                    if call(base, "GET", "/health")[0] == 200:
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not start: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever did not stop in time
            proc.wait(timeout=10)


def test_a_registration_race_across_processes_gives_one_201(servers):
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def attempt(i: int) -> None:
        body = {
            "email": "race@example.com",
            "password": PASSWORD,
            "firstName": "R",
            "lastName": str(i),
        }
        barrier.wait()
        statuses.append(call(servers[i % 2], "POST", "/auth/register", body)[0])

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409, 409, 409, 409]


def test_a_logout_on_one_process_is_refused_at_once_by_the_other(servers):
    a, b = servers
    body = {"email": "logout@example.com", "password": PASSWORD, "firstName": "L", "lastName": "O"}
    assert call(a, "POST", "/auth/register", body)[0] == 201
    status, login = call(b, "POST", "/auth/login", {"email": body["email"], "password": PASSWORD})
    token = login["data"]["token"]

    assert call(a, "GET", "/auth/me", token=token)[0] == 200
    assert call(a, "POST", "/auth/logout", token=token)[0] == 200
    status, refused = call(b, "GET", "/auth/me", token=token)
    assert status == 401
    assert refused["error"]["code"] == "token_revoked"


def test_a_session_created_on_one_process_is_listed_by_the_other(servers):
    a, b = servers
    body = {
        "email": "sessions@example.com",
        "password": PASSWORD,
        "firstName": "S",
        "lastName": "E",
    }
    token = call(a, "POST", "/auth/register", body)[1]["data"]["token"]
    status, created = call(a, "POST", "/sessions", {"name": "shared"}, token=token)
    assert status == 201
    status, listed = call(b, "GET", "/sessions", token=token)
    assert [s["id"] for s in listed["data"]] == [created["data"]["id"]]
    assert call(b, "DELETE", f"/sessions/{created['data']['id']}", token=token)[0] == 204
    assert call(a, "GET", f"/sessions/{created['data']['id']}", token=token)[0] == 404
