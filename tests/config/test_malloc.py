"""config/malloc.py: glibc serves 1 MiB pieces from its heaps and keeps freed memory."""

from __future__ import annotations

import subprocess
import sys

from config.malloc import tune_malloc

# In a fresh interpreter: is a 1 MiB piece a block of its own mmap (mallinfo2's
# hblks), and how much freed memory stays at the top of the heap (keepcost)
# once a 4 MiB buffer is gone?
PROBE = """
import ctypes, ctypes.util, sys
from config.malloc import tune_malloc

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd",
        "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.mallinfo2.restype = MallInfo2
tuned = tune_malloc(int(sys.argv[1]))
before = libc.mallinfo2().hblks
piece = bytes(1 << 20)
mapped = libc.mallinfo2().hblks - before
buffer = bytearray(4 << 20)
del buffer
print(tuned, mapped, libc.mallinfo2().keepcost)
"""


def probe(keep_mib: int) -> tuple[bool, int, int]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(keep_mib)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return out[0] == "True", int(out[1]), int(out[2])


def test_zero_leaves_glibcs_defaults():
    assert tune_malloc(0) is False
    tuned, mapped, kept = probe(0)
    assert tuned is False
    assert mapped == 1  # the piece got an mmap of its own: fresh pages, faulted in
    assert kept < 1 << 20  # the freed 4 MiB went back to the kernel


def test_raised_thresholds_serve_pieces_from_the_heap_and_keep_freed_memory():
    tuned, mapped, kept = probe(32)
    assert tuned is True
    assert mapped == 0
    assert kept >= 4 << 20
