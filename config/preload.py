"""Load the application in the server's master, before it forks the workers.

``python -m config.server`` imports ``config.asgi`` (Django set up, every app
and URL module loaded) and the modules of the ``ASGI_MOUNTS`` apps here, then
freezes the garbage collector's view of what they made: each forked worker
starts with all of it in pages it shares with the master and its siblings,
and the collector, never scanning those objects, never writes to them. A
worker's private memory went from about 90 MiB to about 27 (docs/BENCHMARKS.md,
"Server memory"), so each added worker costs a quarter of what it did.

This is safe because importing opens nothing: no store (it is opened on a
worker's first request, and the FoundationDB client is not fork-safe), no
thread, no socket, no file; tests/config/test_preload.py holds that line.
Mounted apps are only imported here: each worker still builds its mounts and
runs their lifespans after the fork (``config.router``).

``SERVER_PRELOAD=false`` imports in each worker instead: then a SIGHUP's new
workers load the code on disk, where with preloading they run the master's.
"""

from __future__ import annotations

import gc
import importlib


def preload(target: str) -> list[str]:
    """Import ``target``'s module and the mounted apps' modules; freeze the
    collector's current objects. Returns the modules imported, in order."""
    from django.conf import settings

    mounted = [dotted.rpartition(".")[0] for dotted in settings.ASGI_MOUNTS.values()]
    modules = list(dict.fromkeys([target.partition(":")[0], *mounted]))
    for module in modules:
        importlib.import_module(module)
    gc.collect()  # what the imports left for collection is not frozen with the rest
    gc.freeze()
    return modules
