"""The production settings plus one mounted ASGI app (tests/server/stream_app.py)."""

from config.settings import *  # noqa: F403

MOUNT_PREFIX = "/api/v5/test-stream"
ASGI_MOUNTS = {MOUNT_PREFIX: "tests.server.stream_app.application"}
