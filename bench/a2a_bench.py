"""The A2A hub's figures on the production server (docs/BENCHMARKS.md, "A2A hub").

    python -m bench.a2a_bench [--tasks 400] [--samples 100] [--duration 5] [--workers 2]

1. throughput: tasks submitted (JSON-RPC SendMessage, returnImmediately) and
   completed by 4 plain-HTTP worker agents (claim long-poll, one update to
   completed) through the whole path, per second;
2. claim wake-up latency: a worker waits in a claim long-poll; a client
   submits; the time from sending the submit to the claim's answer, p50/p99
   (and the submit's own round trip for comparison);
3. waiting costs nothing: wrk's REST figure (GET one session) alone, then with
   200 idle claim long-polls and 50 open SSE streams (SubscribeToTask) held.

The store is a fresh embedded one (synchronous=FULL); figures vary with the
machine, ratios are what count.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

from bench.servers import production_server

PASSWORD = "correct horse battery staple"  # noqa: S105 -- a throwaway bench user


class Hub:
    def __init__(self, base: str) -> None:
        self.base = base
        body = {
            "email": "bench@example.com",
            "password": PASSWORD,
            "firstName": "B",
            "lastName": "B",
        }
        self.token = httpx.post(base + "/api/v5/auth/register", json=body).json()["data"]["token"]
        self.auth = {"Authorization": f"Bearer {self.token}"}

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers=self.auth, timeout=60)

    def agent(self, http: httpx.Client, skill: str) -> str:
        body = {"name": "w", "skills": [{"id": skill, "name": skill, "description": skill}]}
        return http.post("/api/v5/agents", json=body).json()["data"]["id"]

    @staticmethod
    def submit(http: httpx.Client, skill: str = "echo") -> str:
        message = {
            "messageId": uuid.uuid4().hex,
            "role": "ROLE_USER",
            "parts": [{"text": "x"}],
            "metadata": {"skillId": skill},
        }
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "SendMessage",
            "params": {"message": message, "configuration": {"returnImmediately": True}},
        }
        reply = http.post("/api/v5/a2a", json=body, headers={"A2A-Version": "1.0"})
        return reply.json()["result"]["task"]["id"]


def throughput(hub: Hub, tasks: int, workers: int = 4) -> float:
    done = threading.Semaphore(0)

    def work(agent_id: str) -> None:
        with hub.client() as http:
            while True:
                reply = http.post(f"/api/v5/agents/{agent_id}/claim", json={"timeout": 2})
                if reply.status_code == 204:
                    return
                data = reply.json()["data"]
                url = f"/api/v5/a2a/tasks/{data['task']['id']}/updates"
                http.post(url, json={"leaseId": data["leaseId"], "state": "completed"})
                done.release()

    with hub.client() as http:
        agents = [hub.agent(http, "echo") for _ in range(workers)]
    threads = [threading.Thread(target=work, args=(a,), daemon=True) for a in agents]
    started = time.perf_counter()
    for thread in threads:
        thread.start()

    def submit(count: int) -> None:
        with hub.client() as http:
            for _ in range(count):
                hub.submit(http)

    submitters = [threading.Thread(target=submit, args=(tasks // 2,)) for _ in range(2)]
    for thread in submitters:
        thread.start()
    for _ in range(tasks // 2 * 2):
        done.acquire()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    return (tasks // 2 * 2) / elapsed


def wakeups(hub: Hub, samples: int) -> tuple[list[float], list[float]]:
    latencies, submits = [], []
    with hub.client() as http, hub.client() as worker_http:
        agent = hub.agent(http, "wake")
        for _ in range(samples):
            answered: list[float] = []

            def claim(answered: list[float] = answered) -> None:
                reply = worker_http.post(f"/api/v5/agents/{agent}/claim", json={"timeout": 10})
                answered.append(time.perf_counter())
                data = reply.json()["data"]
                worker_http.post(
                    f"/api/v5/a2a/tasks/{data['task']['id']}/updates",
                    json={"leaseId": data["leaseId"], "state": "completed"},
                )

            thread = threading.Thread(target=claim)
            thread.start()
            time.sleep(0.05)  # the claim is waiting
            sent = time.perf_counter()
            hub.submit(http, "wake")
            submits.append(time.perf_counter() - sent)
            thread.join()
            latencies.append(answered[0] - sent)
    return latencies, submits


def wrk(url: str, token: str, duration: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "-H", f"Authorization: Bearer {token}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


async def hold(hub: Hub, polls: int, streams: int, stop_at: float, ready: threading.Event) -> None:
    async with httpx.AsyncClient(base_url=hub.base, headers=hub.auth, timeout=120) as http:
        # Long-polls wait on a skill nothing is submitted to; streams follow tasks of
        # another skill whose agent never claims, so both stay idle.
        with httpx.Client(base_url=hub.base, headers=hub.auth) as sync:
            agent = hub.agent(sync, "idle")
            hub.agent(sync, "held")
            task_ids = [hub.submit(sync, "held") for _ in range(streams)]

        async def poll() -> None:
            while time.monotonic() < stop_at:
                await http.post(f"/api/v5/agents/{agent}/claim", json={"timeout": 30})

        async def stream(task_id: str) -> None:
            body = {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "SubscribeToTask",
                "params": {"id": task_id},
            }
            headers = {"A2A-Version": "1.0"}
            async with http.stream("POST", "/api/v5/a2a", json=body, headers=headers) as reply:
                async for _ in reply.aiter_lines():
                    if time.monotonic() > stop_at:
                        return

        jobs = [asyncio.create_task(poll()) for _ in range(polls)]
        jobs += [asyncio.create_task(stream(t)) for t in task_ids]
        await asyncio.sleep(2)
        ready.set()
        await asyncio.wait(jobs, timeout=max(stop_at - time.monotonic(), 1))
        for job in jobs:
            job.cancel()


def waiting_costs(
    hub: Hub, duration: int, polls: int, streams: int, rounds: int
) -> tuple[list[float], list[float]]:
    """wrk alone, then with the connections held, alternately (A B A B ...): the
    machine is shared and noisy, so each side's median over ``rounds`` counts."""
    with hub.client() as http:
        session = http.post("/api/v5/sessions", json={"name": "bench"}).json()["data"]["id"]
    url = f"{hub.base}/api/v5/sessions/{session}"
    wrk(url, hub.token, 1)  # warm-up
    ready = threading.Event()
    alone, held = [], []
    for _ in range(rounds):
        alone.append(wrk(url, hub.token, duration))
        ready.clear()
        stop_at = time.monotonic() + duration + 6
        holder = threading.Thread(
            target=lambda s=stop_at: asyncio.run(hold(hub, polls, streams, s, ready)), daemon=True
        )
        holder.start()
        ready.wait(60)
        held.append(wrk(url, hub.token, duration))
        holder.join(60)
    return alone, held


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = production_server(Path(tmp) / "store.sqlite3", Path(tmp), args.workers)
        try:
            hub = Hub(server.base_url)
            rate = throughput(hub, args.tasks)
            print(f"throughput: {rate:.1f} tasks/s (submit + claim + complete, 4 workers)")
            lat, sub = wakeups(hub, args.samples)
            print(
                f"claim wake-up (submit sent -> claim answered): p50 {pct(lat, 0.5):.1f} ms, "
                f"p99 {pct(lat, 0.99):.1f} ms; the submit's own round trip p50 "
                f"{pct(sub, 0.5):.1f} ms ({args.samples} samples)"
            )
            alone, held = waiting_costs(hub, args.duration, args.polls, args.streams, args.rounds)
            a, h = statistics.median(alone), statistics.median(held)
            print(
                f"REST GET session (wrk -t2 -c8, median of {args.rounds}): {a:.0f} req/s alone, "
                f"{h:.0f} req/s with {args.polls} idle long-polls and {args.streams} open "
                f"streams ({h / a:.2f}x); rounds {[round(x) for x in alone]} vs "
                f"{[round(x) for x in held]}"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
