"""glibc's allocator, tuned for a worker that moves file contents in 1 MiB pieces.

By default glibc serves an allocation above its mmap threshold (128 KiB at
first, raised as such blocks are freed) with a fresh ``mmap``, and hands the
free top of a thread's heap back to the kernel past a 128 KiB trim threshold.
A download's 1 MiB piece, built in a Django thread and freed after granian
sent it, then costs the kernel a page fault per 4 KiB page every time: about
40% of the time the view spends on a 1 MiB file (docs/BENCHMARKS.md, "Files
(issue 11)"). With both thresholds raised, those pieces reuse memory the
worker already has. The cost: a worker keeps up to ``SERVER_MALLOC_KEEP_MIB`` of
freed memory per heap instead of returning it at once.

No-op where the C library is not glibc (musl, macOS): ``mallopt`` is absent.
"""

from __future__ import annotations

import ctypes
import logging

logger = logging.getLogger("coditect.server")

M_TRIM_THRESHOLD = -1  # glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 8 << 20  # pieces and their joins stay below (the cap is 32 MiB)


def tune_malloc(keep_mib: int) -> bool:
    """Raise glibc's thresholds so a worker keeps ``keep_mib`` MiB of freed memory;
    0 leaves the defaults. True if glibc took the settings."""
    if keep_mib <= 0:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own symbols: libc's, if glibc
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    done = mallopt(M_MMAP_THRESHOLD, min(MMAP_THRESHOLD_BYTES, keep_mib << 20))
    done = done and mallopt(M_TRIM_THRESHOLD, keep_mib << 20)
    if not done:
        logger.warning("glibc refused the malloc thresholds; its defaults stay")
    return bool(done)
