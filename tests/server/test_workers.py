"""Three production server workers on one embedded store behave as one server.

One production server (python -m config.server, DEBUG off, a strong secret,
production Argon2) serves the module. Requests go out on fresh connections,
so the kernel hands them to whichever worker accepts; the JSON request log
says which worker (``pid``) served each ``X-Request-ID``, so the tests can
insist that more than one worker -- or every worker -- took part.

Registration is throttled only far above what the tests send; login is
throttled at ``LOGIN_RATE``, and only the throttling test logs in.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.http import STRONG_PASSWORD, Reply, all_sessions, at_once, call, register
from tests.support.server import Server

pytestmark = pytest.mark.slow

WORKERS = 3
LOGIN_LIMIT = 12
LOGIN_BATCH = 4  # logins sent at once; LOGIN_LIMIT of them in all
LOGIN_RATE = f"{LOGIN_LIMIT}/hour"
STORM = 10
CREATES = 30
BATCH = 6  # concurrent requests per round when reaching for every worker
MAX_ROUNDS = 40


@pytest.fixture(scope="module")
def server(launch_server) -> Server:
    env = launch_server.env(WEB_CONCURRENCY=str(WORKERS), THROTTLE_LOGIN_RATE=LOGIN_RATE)
    return launch_server(env)


def live_workers(server: Server) -> set[int]:
    return {pid for pid in server.worker_pids() if os.path.exists(f"/proc/{pid}")}


def workers_of(server: Server, replies: list[Reply]) -> list[int]:
    served = server.served_by({r.request_id for r in replies})
    return [served[r.request_id] for r in replies if r.request_id in served]


def on_every_worker(server: Server, request: Callable[[], Reply]) -> tuple[list[Reply], set[int]]:
    """Send ``request`` in concurrent batches until every live worker has served
    at least one (bounded); return the replies and the workers that served them."""
    replies: list[Reply] = []
    with ThreadPoolExecutor(max_workers=BATCH) as pool:
        for _ in range(MAX_ROUNDS):
            replies += pool.map(lambda _: request(), range(BATCH))
            seen = set(workers_of(server, replies))
            if seen >= live_workers(server):
                return replies, seen
    raise AssertionError(f"{MAX_ROUNDS} rounds reached only workers {seen}:\n{server.log_tail()}")


def test_the_server_runs_the_configured_number_of_workers(server):
    assert len(live_workers(server)) == WORKERS, server.log_tail()


def test_a_storm_of_registrations_of_one_email_has_exactly_one_winner(server):
    # One address, spelt as people type it: emails are compared trimmed and case-folded.
    # A worker's event loop accepts new connections while its threads work, so one
    # storm may land on one worker: storms (each on a fresh address) repeat until
    # one spanned several workers, and every storm must have exactly one winner.
    for attempt in range(MAX_ROUNDS):
        local = f"storm{attempt}"
        spellings = [
            f"{local}@example.com",
            f"{local.title()}@Example.com",
            f" {local.upper()}@example.COM ",
        ]
        replies = at_once(
            STORM, lambda i, names=spellings: register(server.base_url, names[i % len(names)])
        )

        statuses = sorted(r.status for r in replies)
        assert statuses == [201] + [409] * (STORM - 1), (statuses, server.log_tail())
        assert {r.error_code for r in replies if r.status == 409} == {"email_taken"}
        winner = next(r for r in replies if r.status == 201)
        me = call(server.base_url, "GET", "/api/v5/auth/me", token=winner.data["token"])
        assert me.status == 200
        assert (me.data["id"], me.data["email"]) == (
            winner.data["user"]["id"],
            f"{local}@example.com",
        )
        workers = sorted(set(workers_of(server, replies)))
        if len(workers) > 1:
            break
    else:
        raise AssertionError(f"{MAX_ROUNDS} storms each reached only one worker")
    print(
        f"\nregistration storm: {STORM} at once -> {statuses.count(201)} x 201, "
        f"{statuses.count(409)} x 409, workers {workers} (storm {attempt + 1})"
    )


def test_concurrent_session_creates_all_appear_in_the_list(server):
    token = register(server.base_url, "creator@example.com").data["token"]

    def create(i: int) -> Reply:
        body = {"name": f"concurrent {i}", "workspacePath": f"/workspace/{i}"}
        return call(server.base_url, "POST", "/api/v5/sessions", body, token=token)

    replies = at_once(CREATES, create)

    assert [r.status for r in replies] == [201] * CREATES, server.log_tail()
    created = {r.data["id"]: r.data["name"] for r in replies}
    assert len(created) == CREATES
    listed = {s["id"]: s["name"] for s in all_sessions(server.base_url, token)}
    assert listed == created
    assert len(set(workers_of(server, replies))) > 1, "the creates reached only one worker"


def test_a_token_revoked_through_one_worker_is_refused_by_every_worker(server):
    token = register(server.base_url, "revoked@example.com").data["token"]

    def me() -> Reply:
        return call(server.base_url, "GET", "/api/v5/auth/me", token=token)

    # Every worker accepts the token first, so a worker caching anything would show.
    before, _ = on_every_worker(server, me)
    assert {r.status for r in before} == {200}

    logout = call(server.base_url, "POST", "/api/v5/auth/logout", token=token)
    assert logout.status == 200
    [logout_worker] = workers_of(server, [logout])

    after, workers = on_every_worker(server, me)
    assert {(r.status, r.error_code) for r in after} == {(401, "token_revoked")}
    assert workers - {logout_worker}, "no worker other than the logout's was asked"
    print(
        f"\nrevocation: logout on worker {logout_worker}; {len(after)} requests after it, "
        f"all 401 token_revoked, served by workers {sorted(workers)}"
    )


def wait_clear_of_window_end(period_s: int, margin_s: float = 20) -> None:
    """Fixed windows: start early enough in one that the test cannot straddle two."""
    left = period_s - time.time() % period_s
    if left < margin_s:
        time.sleep(left + 0.5)


def test_login_throttle_counts_across_workers(server):
    email = "throttled@example.com"
    assert register(server.base_url, email).status == 201

    def login(_: int = 0) -> Reply:
        body = {"email": email, "password": STRONG_PASSWORD}
        return call(server.base_url, "POST", "/api/v5/auth/login", body)

    wait_clear_of_window_end(3600)
    # In concurrent batches: each login hashes for a while, so busy workers leave the
    # rest to others. One batch alone can still land on one worker (its event loop
    # accepts while its threads hash); several make that vanishingly rare. Once the
    # allowed logins span workers, no worker alone has seen LOGIN_LIMIT of them, so
    # the 429 below can only come from a count the workers share.
    allowed: list[Reply] = []
    for _ in range(LOGIN_LIMIT // LOGIN_BATCH):
        allowed += at_once(LOGIN_BATCH, login)
    last = login()

    assert [r.status for r in allowed] == [200] * LOGIN_LIMIT, server.log_tail()
    workers = set(workers_of(server, allowed))
    assert len(workers) > 1, "the allowed logins reached only one worker"
    assert last.status == 429, last
    assert last.error_code == "throttled"
    assert 1 <= int(last.headers["Retry-After"]) <= 3600
    print(
        f"\nthrottle: {LOGIN_RATE}; {LOGIN_LIMIT} logins on workers {sorted(workers)} -> 200, "
        f"the next on worker {workers_of(server, [last])} -> 429, "
        f"Retry-After {last.headers['Retry-After']}"
    )
