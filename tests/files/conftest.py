import pytest

from tests.files.support import Files, new_session
from tests.support.api import bearer, register, token_of
from tests.support.fixtures import api, api_settings, frozen_clock, store  # noqa: F401
from tests.support.people import people  # noqa: F401


@pytest.fixture
def auth(api) -> dict[str, str]:  # noqa: F811
    return bearer(token_of(register(api)))


@pytest.fixture
def files(api, auth) -> Files:  # noqa: F811
    return Files(api, auth, new_session(api, auth))
