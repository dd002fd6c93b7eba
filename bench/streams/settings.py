"""The project's settings with the idle stream (bench/streams/app.py) mounted."""

from bench.streams.app import STREAM_PATH
from config.settings import *  # noqa: F403

ASGI_MOUNTS = {STREAM_PATH: "bench.streams.app.application"}
