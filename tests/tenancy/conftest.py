from tests.support.fixtures import api, api_settings, frozen_clock, store  # noqa: F401
from tests.support.orgs import org  # noqa: F401
from tests.support.people import people  # noqa: F401
