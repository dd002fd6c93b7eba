"""The production server for real: ``python -m config.server`` (granian), two workers.

It runs on a free loopback port over a temporary embedded store with DEBUG off
and a strong JWT_SECRET, answers /api/v5/health, writes JSON log lines (the
request line with its fields), and stops on SIGTERM.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.config.conftest import PYTHON, ROOT, STRONG_SECRET
from tests.support.server import clean_env, free_port

START_TIMEOUT_S = 60


def get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- loopback
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def post_json(url: str, body: dict):
    data = json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 -- loopback
        url, data=data, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def server(tmp_path):
    port = free_port()
    log_path = tmp_path / "server.log"
    env = clean_env(
        DEBUG="false",
        JWT_SECRET=STRONG_SECRET,
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        FDBSTORE_PATH=str(tmp_path / "store" / "store.sqlite3"),
        FDBSTORE_SYNCHRONOUS="NORMAL",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [PYTHON, "-m", "config.server"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: teardown reaches every worker
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, base, log_path)
        yield base, process, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        # A worker still stopping (or orphaned by a killed master) goes with its group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def wait_until_up(process: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            status, _, _ = get(f"{base}/api/v5/health")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer in {START_TIMEOUT_S}s:\n{log_path.read_text()}")


def json_lines(log_path: Path) -> list[dict]:
    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is JSON with DEBUG off


def test_the_server_serves_health_and_logs_json(server):
    base, process, log_path = server
    status, headers, body = get(
        f"{base}/api/v5/health",
        {"X-Request-ID": "smoke-test-1", "X-Forwarded-Proto": "https"},
    )
    assert status == 200, body
    payload = json.loads(body)
    assert payload["success"] is True
    assert payload["data"]["backend"] == "embedded"
    assert headers["X-Request-ID"] == "smoke-test-1"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=")

    # Two workers share the embedded store: register on one, log in on either.
    account = {"email": "smoke@example.com", "password": "Smoke-test-password-42"}
    created, _ = post_json(
        f"{base}/api/v5/auth/register", {**account, "firstName": "S", "lastName": "T"}
    )
    assert created == 201
    for _ in range(3):
        assert post_json(f"{base}/api/v5/auth/login", account)[0] == 200

    process.terminate()
    assert process.wait(timeout=20) == 0
    entries = json_lines(log_path)
    booted = [e for e in entries if e["message"].startswith("Spawning worker")]
    assert len(booted) == 2
    line = next(e for e in entries if e.get("request_id") == "smoke-test-1")
    assert line["logger"] == "coditect.request"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v5/health", 200)
    assert line["duration_ms"] >= 0
    assert "tenant_id" in line
    assert "Smoke-test-password-42" not in log_path.read_text()


def spawned_pids(log_path: Path) -> list[int]:
    found = []
    for entry in json_lines(log_path):
        message = entry.get("message", "")
        if message.startswith("Spawning worker-"):
            found.append(int(message.rsplit(" ", 1)[1]))
    return found


def wait_for(condition, timeout_s: float = 30) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_sighup_replaces_the_workers_and_a_killed_worker_is_replaced(server):
    base, process, log_path = server
    first = spawned_pids(log_path)
    assert len(first) == 2

    process.send_signal(signal.SIGHUP)
    assert wait_for(lambda: len(spawned_pids(log_path)) >= 4), log_path.read_text()[-3000:]
    assert wait_for(lambda: not any(os.path.exists(f"/proc/{pid}") for pid in first))
    assert get(f"{base}/api/v5/health")[0] == 200

    # granian treats a worker dying within 5.5 s of its (re)spawn as a crash loop and
    # stops the whole server (docs/OPERATIONS.md): the victim has been up longer.
    time.sleep(6)
    victim = spawned_pids(log_path)[-1]
    os.kill(victim, signal.SIGKILL)
    assert wait_for(lambda: len(spawned_pids(log_path)) >= 5), log_path.read_text()[-3000:]
    assert wait_for(lambda: get(f"{base}/api/v5/health")[0] == 200)
    assert process.poll() is None
