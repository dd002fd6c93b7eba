"""bench.blob_read runs and prints a row per setting (the embedded store's own benchmark)."""

from __future__ import annotations

from bench import blob_read
from fdbstore import blobs


def test_it_prints_a_timed_row_for_each_map_and_chunk_setting(capsys):
    assert blob_read.main(["--mib", "1", "--repeat", "1"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    assert [(int(row[0]) > 0, int(row[1])) for row in rows] == [
        (False, 16),
        (False, 64),
        (True, 16),
        (True, 64),
    ]
    assert all(float(row[2]) > 0 and float(row[3]) > 0 for row in rows)
    assert blobs.READ_CHUNKS == 16  # put back
