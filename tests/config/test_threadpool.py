"""config/threadpool.py: calls run in threads, results reach the event loop, the
hottest idle thread takes the next call, and threads start only as needed."""

from __future__ import annotations

import asyncio
import threading

import pytest

from config.threadpool import ThreadPool


def here() -> str:
    return threading.current_thread().name


@pytest.fixture
def pool():
    abandoned: list = []
    made = ThreadPool(4, "t", abandoned.append)
    made.abandoned_results = abandoned  # type: ignore[attr-defined]
    yield made
    made.shutdown()


def test_results_and_exceptions_reach_the_caller(pool):
    async def main():
        loop = asyncio.get_running_loop()
        assert await pool.run(loop, lambda a, b: a + b, 2, 3) == 5
        with pytest.raises(ZeroDivisionError):
            await pool.run(loop, lambda: 1 / 0)

    asyncio.run(main())


def test_sequential_calls_stay_on_one_thread(pool):
    async def main():
        loop = asyncio.get_running_loop()
        # Start all four threads: four calls held at a barrier at once.
        barrier = threading.Barrier(4)
        names = await asyncio.gather(
            *(pool.run(loop, lambda: (barrier.wait(5), here())[1]) for _ in range(4))
        )
        assert len(set(names)) == 4
        # One call at a time: the thread idle the shortest takes each, so one thread serves all.
        served = [await pool.run(loop, here) for _ in range(50)]
        return set(served)

    assert len(asyncio.run(main())) == 1


def test_a_burst_gets_as_many_threads_as_the_pool_has_and_no_more(pool):
    async def main():
        loop = asyncio.get_running_loop()
        gate = threading.Event()
        started = []

        def held():
            started.append(here())
            gate.wait(5)
            return here()

        calls = [pool.run(loop, held) for _ in range(10)]
        while len(started) < 4:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        assert len(started) == 4  # the other six wait for a thread
        gate.set()
        names = await asyncio.gather(*calls)
        assert len(names) == 10 and len(set(names)) == 4

    asyncio.run(main())


def test_a_call_whose_caller_left_is_handed_to_abandoned(pool):
    async def main():
        loop = asyncio.get_running_loop()
        gate = threading.Event()
        future = pool.run(loop, lambda: (gate.wait(5), "late")[1])
        future.cancel()
        gate.set()
        while not pool.abandoned_results:
            await asyncio.sleep(0.01)

    asyncio.run(main())
    assert pool.abandoned_results == ["late"]


def test_submitted_calls_run_and_shutdown_stops_every_thread():
    done = threading.Event()
    pool = ThreadPool(2, "s", lambda _: None)
    pool.submit(done.set)
    assert done.wait(5)
    threads = list(pool._threads)
    pool.shutdown()
    for thread in threads:
        thread.join(5)
        assert not thread.is_alive()
