"""bench.worker_memory runs the production server with and without preloading and
prints each worker's memory (the server's own benchmark, not a target)."""

from __future__ import annotations

import pytest

from bench import worker_memory

pytestmark = pytest.mark.slow


def test_it_prints_each_workers_memory_for_both_settings(capsys):
    assert worker_memory.main(["--workers", "1", "--requests", "3"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert [row[0] for row in rows] == ["SERVER_PRELOAD=false", "SERVER_PRELOAD=true"]
    for _, worker, rss, pss, private in rows:
        assert worker == "1"
        assert 0 < float(private) <= float(pss) <= float(rss)
