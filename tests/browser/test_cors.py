"""A real browser on another origin uses the API: CORS for real, preflight included.

tests/browser/static/ (index.html + app.js) stands in for the guide's React
app: it is served by a tiny static server on its own loopback port -- another
origin than the API's -- and walks register, login, create, list, get, logout
with ``fetch()``, the Bearer header and ``Content-Type: application/json``,
then uploads a file (a raw PUT with ``If-None-Match: *``) and reads it back
with its ETag (issue 11), updates the profile (``PATCH``) and uploads an
avatar drawn on a canvas as ``FormData``, shown in an ``<img>`` from the API's
origin (issue 9),
writing each step's outcome into the DOM. Headless Chromium runs it against
the production server (DEBUG off, ``CORS_ALLOWED_ORIGINS`` naming the page's
origin). The same page from an origin not in the list must be stopped by the
browser at the preflight, before the API does anything.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.support.browser import Browser, chromium
from tests.support.http import register
from tests.support.server import Server

pytestmark = pytest.mark.slow

STATIC = Path(__file__).parent / "static"
READ_STEPS = """
return [...document.querySelectorAll('[data-step]')]
    .map((item) => [item.dataset.step, JSON.parse(item.dataset.outcome)]);
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def static_site() -> Iterator[str]:
    """Serve tests/browser/static on a free loopback port; yield its origin."""
    handler = partial(_QuietHandler, directory=str(STATIC))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def origins() -> Iterator[tuple[str, str]]:
    """Two static sites: the allowed origin and another one."""
    with static_site() as allowed, static_site() as other:
        yield allowed, other


@pytest.fixture(scope="module")
def server(launch_server, origins) -> Server:
    allowed, _ = origins
    return launch_server(launch_server.env(WEB_CONCURRENCY="2", CORS_ALLOWED_ORIGINS=allowed))


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Browser]:
    with chromium(tmp_path_factory.mktemp("chromium")) as browser:
        yield browser


def walk(browser: Browser, origin: str, server: Server, email: str) -> dict[str, dict]:
    """Open the page from ``origin``; return each step's outcome once it is done."""
    query = urlencode({"api": f"{server.base_url}/api", "email": email})
    browser.open(f"{origin}/index.html?{query}")
    browser.wait_for("return document.body.dataset.done === 'true';", timeout=90)
    return dict(browser.run(READ_STEPS))


def requests_logged(server: Server, method: str, path: str) -> int:
    return sum(
        1
        for e in server.log_entries()
        if e.get("logger") == "coditect.request" and (e["method"], e["path"]) == (method, path)
    )


def test_a_page_on_the_allowed_origin_walks_the_whole_api(browser, origins, server):
    allowed, _ = origins
    steps = walk(browser, allowed, server, "browser@example.com")

    failure = f"{steps}\nconsole: {browser.console()}\n{server.log_tail()}"
    assert list(steps) == [
        "register",
        "login",
        "create-session",
        "list-sessions",
        "get-session",
        "upload-file",
        "read-file",
        "create-organization",
        "switch-tenant",
        "list-organization-sessions",
        "update-profile",
        "upload-avatar",
        "show-avatar",
        "logout",
        "after-logout",
    ], failure
    assert steps["register"] == {"status": 201, "email": "browser@example.com"}
    assert steps["login"] == {"status": 200, "sameUser": True}
    session_id = steps["create-session"]["id"]
    assert steps["list-sessions"] == {"status": 200, "ids": [session_id]}
    assert steps["get-session"] == {"status": 200, "name": "My Project"}
    assert steps["upload-file"]["status"] == 201 and steps["upload-file"]["size"] == 25
    assert steps["read-file"] == {
        "status": 200,
        "text": "hello from another origin",
        "sameEtag": True,
    }
    assert steps["create-organization"] == {"status": 201, "kind": "organization", "role": "owner"}
    assert steps["switch-tenant"] == {"status": 200, "role": "owner"}
    assert steps["list-organization-sessions"] == {"status": 200, "ids": []}
    assert requests_logged(server, "OPTIONS", "/api/v5/auth/switch-tenant") >= 1
    assert steps["update-profile"] == {"status": 200, "name": "Browsy Ser"}
    avatar_url = steps["upload-avatar"]["avatarUrl"]
    assert avatar_url.startswith("/api/v5/users/") and "/avatar?v=" in avatar_url
    shown = steps["show-avatar"]
    assert (shown["status"], shown["width"], shown["height"]) == (200, 512, 384), failure
    assert shown["src"] == server.base_url + avatar_url
    assert requests_logged(server, "OPTIONS", "/api/v5/auth/me/avatar") >= 1
    assert steps["logout"]["status"] == 200
    assert steps["after-logout"] == {"status": 401, "code": "token_revoked"}
    # The browser asked first: a preflight for each non-simple request.
    assert requests_logged(server, "OPTIONS", "/api/v5/auth/register") >= 1
    assert requests_logged(server, "OPTIONS", "/api/v5/sessions") >= 1


def test_a_page_on_another_origin_is_stopped_at_the_preflight(browser, origins, server):
    _, other = origins
    posts_before = requests_logged(server, "POST", "/api/v5/auth/register")
    preflights_before = requests_logged(server, "OPTIONS", "/api/v5/auth/register")

    steps = walk(browser, other, server, "blocked@example.com")

    assert list(steps) == ["register"], steps
    assert steps["register"]["error"] == "TypeError: Failed to fetch", steps
    console = browser.console()
    assert any("blocked by CORS policy" in m and "preflight" in m for m in console), console
    # The browser sent the preflight, got no Access-Control-Allow-Origin, and
    # never sent the POST: the account does not exist.
    assert requests_logged(server, "OPTIONS", "/api/v5/auth/register") > preflights_before
    assert requests_logged(server, "POST", "/api/v5/auth/register") == posts_before
    assert register(server.base_url, "blocked@example.com").status == 201
