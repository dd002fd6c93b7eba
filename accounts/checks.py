"""System checks for the account endpoints' configuration."""

from __future__ import annotations

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings

from accounts.throttles import avatar_rate
from config.api.throttling import parse_rate

_VARIABLES = {"login": "THROTTLE_LOGIN_RATE", "register": "THROTTLE_REGISTER_RATE"}


@register()
def throttle_rates(app_configs, **kwargs) -> list[Error]:
    """Refuse a malformed THROTTLE_*_RATE at start-up rather than at the first login."""
    problems = []
    for scope, variable in _VARIABLES.items():
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
        try:
            parse_rate(rate)
        except ImproperlyConfigured as exc:
            problems.append(Error(f"{variable}: {exc}", id="accounts.E001"))
    try:
        parse_rate(avatar_rate())
    except ImproperlyConfigured as exc:
        problems.append(Error(f"THROTTLE_AVATAR_RATE: {exc}", id="accounts.E001"))
    return problems
