"""ASGI entry point of the whole project: ``config.asgi:application``.

The production server (``python -m config.server``: granian, one event loop per
worker process) serves this. ``config.router`` sends the prefixes listed in
``settings.ASGI_MOUNTS`` to their ASGI apps and everything else to Django,
whose WSGI handler runs in a per-worker thread pool (``config.bridge``).

Importing this module sets Django up but opens no store: the store is opened
on a worker's first request (``fdbstore.connection.get_database``), and the
server imports this module in each worker after forking it.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from config.bridge import WSGIBridge
from config.router import Router

django_app = WSGIBridge(
    get_wsgi_application(),
    threads=settings.SERVER_THREADS,
    timeout_s=settings.SERVER_REQUEST_TIMEOUT,
    max_body=settings.SERVER_MAX_BODY_BYTES,
    max_pending=settings.SERVER_MAX_PENDING,
)
application = Router(django_app, lambda: settings.ASGI_MOUNTS)
