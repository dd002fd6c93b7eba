"""Files under the production server (several worker processes on one store):
concurrent If-Match writers, a reader during a rewrite, SIGKILL mid-upload."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlsplit

import pytest

from tests.support.http import at_once, call, token_for
from tests.support.server import launch_server  # noqa: F401

MIB = 1024 * 1024


def session_files(base_url: str, token: str) -> str:
    reply = call(base_url, "POST", "/api/v5/sessions", {"name": "files"}, token=token)
    assert reply.status == 201, reply
    return f"/api/v5/sessions/{reply.data['id']}/files"


def connect(base_url: str, timeout: float = 120) -> http.client.HTTPConnection:
    url = urlsplit(base_url)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)


def put(base_url: str, path: str, token: str, body: bytes, **headers: str) -> tuple[int, dict]:
    conn = connect(base_url)
    try:
        conn.request(
            "PUT",
            path,
            body=body,
            headers={"Authorization": f"Bearer {token}", "Connection": "close", **headers},
        )
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def get(base_url: str, path: str, token: str) -> tuple[int, bytes | None]:
    """The status and the whole body, or None when the body was cut short."""
    conn = connect(base_url)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        try:
            return response.status, response.read()
        except http.client.IncompleteRead:
            return response.status, None
    except (ConnectionError, http.client.HTTPException):
        return 0, None
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(launch_server):  # noqa: F811
    return launch_server(launch_server.env("files"))


def test_concurrent_if_match_writers_one_wins_each_round(server):
    base = server.base_url
    token = token_for(base, "race@example.com")
    path = session_files(base, token) + "/race.txt"
    status, headers = put(base, path, token, b"v0")
    assert status == 201
    etag = headers["etag"]
    for round_no in range(1, 6):
        replies = at_once(
            6,
            lambda i, tag=etag, n=round_no: _put_reply(
                base, path, token, f"r{n}w{i}".encode(), tag
            ),
        )
        statuses = sorted(status for status, _ in replies)
        assert statuses == [200] + [412] * 5, (round_no, statuses)
        etag = next(h["etag"] for status, h in replies if status == 200)
    assert get(base, path, token)[0] == 200


def _put_reply(base: str, path: str, token: str, body: bytes, tag: str) -> tuple[int, dict]:
    return put(base, path, token, body, **{"If-Match": tag})


def test_a_reader_during_rewrites_of_a_30_mib_file_never_sees_mixed_bytes(server):
    base = server.base_url
    token = token_for(base, "rewrite@example.com")
    path = session_files(base, token) + "/big.bin"
    versions = [bytes([65 + i]) * (30 * MIB) for i in range(3)]
    assert put(base, path, token, versions[0])[0] == 201
    stop = threading.Event()
    outcomes: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            status, body = get(base, path, token)
            if status != 200 or body is None:
                outcomes.append("cut")  # an error, never mixed bytes: allowed
                continue
            assert len(body) == 30 * MIB
            assert body.count(body[:1]) == len(body), "a read mixed two versions"
            outcomes.append(chr(body[0]))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in (1, 2, 0):
            assert put(base, path, token, versions[i])[0] == 200
    finally:
        time.sleep(0.5)
        stop.set()
        thread.join(timeout=300)
    assert outcomes and set(outcomes) <= {"A", "B", "C", "cut"}, outcomes
    status, body = get(base, path, token)
    assert status == 200 and body == versions[0]
    print(f"\nreads during rewrites: {outcomes}")


def test_sigkill_during_a_large_upload_leaves_the_old_version(launch_server):  # noqa: F811
    env = launch_server.env("killed")
    server = launch_server(env)
    base = server.base_url
    token = token_for(base, "killed@example.com")
    path = session_files(base, token) + "/doc.bin"
    old = b"old version " * 1000
    assert put(base, path, token, old)[0] == 201

    conn = connect(base)
    conn.putrequest("PUT", path)
    conn.putheader("Authorization", f"Bearer {token}")
    conn.putheader("Content-Length", str(60 * MIB))
    conn.endheaders()
    for _ in range(20):  # a third of the body: several MiB already stored as chunks
        conn.send(b"N" * MIB)
    time.sleep(1.0)
    server.kill()
    conn.close()

    server = launch_server(env)
    status, body = get(server.base_url, path, token)
    assert status == 200 and body == old
    listing = call(server.base_url, "GET", path.rsplit("/", 1)[0], token=token)
    assert [e["size"] for e in listing.data] == [len(old)]
    usage = call(server.base_url, "GET", "/api/v5/usage", token=token).data
    assert (usage["bytes"], usage["files"]) == (len(old), 1)
