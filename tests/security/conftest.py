from tests.support.fixtures import api, api_settings, frozen_clock, store  # noqa: F401
