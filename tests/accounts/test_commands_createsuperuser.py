"""``createsuperuser`` refuses clearly and names the command to use."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_createsuperuser_points_to_createuser():
    with pytest.raises(CommandError, match="createuser"):
        call_command("createsuperuser", "--noinput")
