from __future__ import annotations

import pytest

from tests.support.fixtures import api, api_settings, frozen_clock, store  # noqa: F401
from tests.support.people import people  # noqa: F401
from tests.support.server import launch_server  # noqa: F401


@pytest.fixture
def alice(people):  # noqa: F811
    return people.alice
