"""ASGI entry point of the whole project: ``config.asgi:application``.

The production server (``python -m config.server``: granian, one event loop per
worker process) serves this. ``config.router`` sends the prefixes listed in
``settings.ASGI_MOUNTS`` to their ASGI apps and everything else to Django,
whose WSGI handler runs in a per-worker thread pool (``config.bridge``).

Importing this module sets Django up but opens no store, thread, socket or
file: the store is opened on a worker's first request
(``fdbstore.connection.get_database``). So the server imports it in its master,
before forking the workers, which then share its memory (``config.preload``).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, reset_queries

from config.bridge import WSGIBridge
from config.malloc import tune_malloc
from config.router import Router


def no_relational_database() -> bool:
    """``DATABASES = {}``: on setup Django fills it with a dummy ``default``."""
    dummy = "django.db.backends.dummy"
    return all(db["ENGINE"] == dummy for db in settings.DATABASES.values())


tune_malloc(settings.SERVER_MALLOC_KEEP_MIB)  # forked workers inherit it
wsgi_application = get_wsgi_application()
if no_relational_database():
    # Django's per-request connection housekeeping would walk a list of dummy
    # connections three times a request.
    signals.request_started.disconnect(reset_queries)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)

django_app = WSGIBridge(
    wsgi_application,
    threads=settings.SERVER_THREADS,
    timeout_s=settings.SERVER_REQUEST_TIMEOUT,
    max_body=settings.SERVER_MAX_BODY_BYTES,
    max_pending=settings.SERVER_MAX_PENDING,
)
application = Router(django_app, lambda: settings.ASGI_MOUNTS)
