"""An ASGI app mounted through ``settings.ASGI_MOUNTS``, served by the production server.

The server runs ONE worker, so a stream held open and the REST request
answered meanwhile share one process: the long-lived connection costs no
worker. The mounted app (tests/server/stream_app.py) is imported by the
server's master before the fork (or by the worker, with SERVER_PRELOAD=false)
and its lifespan runs in the worker; its stream arrives event by event, not
buffered, with the headers and the request log line Django's answers get.
"""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest

from tests.server.mount_settings import MOUNT_PREFIX
from tests.support.http import call
from tests.support.server import Server

pytestmark = pytest.mark.slow

INTERVAL_S = 0.4
EVENTS = 4


@pytest.fixture(scope="module")
def server(launch_server) -> Server:
    env = launch_server.env(
        "mounts", WEB_CONCURRENCY="1", DJANGO_SETTINGS_MODULE="tests.server.mount_settings"
    )
    return launch_server(env)


def connect(server: Server) -> http.client.HTTPConnection:
    url = urlsplit(server.base_url)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=20)


def read_event(response: http.client.HTTPResponse) -> tuple[float, dict]:
    """The next ``data:`` event of a server-sent event stream, and when it arrived."""
    data = None
    while True:
        line = response.readline()
        assert line, "the stream ended early"
        line = line.rstrip(b"\r\n")
        if line.startswith(b"data: "):
            data = json.loads(line[6:])
        elif line == b"" and data is not None:
            return time.monotonic(), data


def test_a_mounted_app_streams_server_sent_events_while_rest_is_served(server):
    conn = connect(server)
    conn.request(
        "GET",
        f"{MOUNT_PREFIX}/events?count={EVENTS}&interval={INTERVAL_S}",
        headers={"Accept": "text/event-stream", "X-Request-ID": "stream-test-1"},
    )
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.getheader("X-Request-ID") == "stream-test-1"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    arrivals = [read_event(response)]

    # The only worker is holding the stream open: REST still answers, at once.
    started = time.monotonic()
    health = call(server.base_url, "GET", "/api/v5/health")
    assert health.status == 200
    assert time.monotonic() - started < INTERVAL_S * EVENTS

    arrivals += [read_event(response) for _ in range(EVENTS - 1)]
    assert response.read() == b""  # the stream ends cleanly
    conn.close()

    events = [data for _, data in arrivals]
    assert [e["n"] for e in events] == list(range(EVENTS))
    assert all(e["lifespan"] for e in events), "the mount's lifespan did not run in the worker"
    assert {e["root_path"] for e in events} == {MOUNT_PREFIX}
    assert {e["loop"] for e in events} == {"uvloop"}  # config.server's default loop
    assert not any(e["imported_by_worker"] for e in events)  # the master preloaded it
    assert len({e["pid"] for e in events} | server.worker_pids()) == 1
    # Sent as they were made, INTERVAL_S apart, not buffered to the end.
    assert arrivals[-1][0] - arrivals[0][0] >= INTERVAL_S * (EVENTS - 1) * 0.8

    time.sleep(0.3)
    [line] = [e for e in server.log_entries() if e.get("request_id") == "stream-test-1"]
    assert line["logger"] == "coditect.request"
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        f"{MOUNT_PREFIX}/events",
        200,
    )
    assert line["duration_ms"] >= INTERVAL_S * (EVENTS - 1) * 1000 * 0.8


def test_without_preloading_the_worker_imports_the_mounted_app(launch_server):
    env = launch_server.env(
        "no-preload",
        WEB_CONCURRENCY="1",
        DJANGO_SETTINGS_MODULE="tests.server.mount_settings",
        SERVER_PRELOAD="false",
    )
    unpreloaded = launch_server(env)
    conn = connect(unpreloaded)
    conn.request("GET", f"{MOUNT_PREFIX}/events?count=1&interval=0")
    response = conn.getresponse()
    assert response.status == 200
    _, event = read_event(response)
    conn.close()
    assert event["imported_by_worker"] is True
    assert event["lifespan"] is True


def test_paths_beside_the_prefix_still_go_to_django(server):
    inside = call(server.base_url, "GET", f"{MOUNT_PREFIX}/nothing-here")
    assert inside.status == 404 and inside.error_code == "not_found"  # the app's own 404
    beside = call(server.base_url, "GET", f"{MOUNT_PREFIX}-not-mounted")
    assert beside.status == 404 and beside.error_code == "not_found"
    assert beside.headers["Content-Type"] == "application/json"
    assert call(server.base_url, "GET", "/api/v5/health").status == 200
