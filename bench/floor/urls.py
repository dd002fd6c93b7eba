"""The project's routes for the benchmark's requests, each answered by one view.

The paths come from the responses file, so the floor resolves exactly the
URLs the project was asked for (trailing slash or not) with Django's resolver.
"""

from __future__ import annotations

from django.urls import path

from bench.floor.views import RESPONSES, answer

_paths = sorted({key[1].split("?", 1)[0].lstrip("/") for key in RESPONSES})

urlpatterns = [path(route, answer) for route in _paths]
