from tests.support.server import launch_server  # noqa: F401
