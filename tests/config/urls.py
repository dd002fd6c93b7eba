"""The real URLconf (and its error handlers) plus two views the runtime tests need."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import *  # noqa: F403 -- urlpatterns and the handler400..500 names
from config.urls import urlpatterns as real_urlpatterns

TENANT = uuid.UUID("6f1c2a4e-0000-5000-8000-00000000abcd")


def as_tenant(request: HttpRequest) -> JsonResponse:
    """Stands in for a DRF view: authentication sets the principal on ``request.user``."""
    request.user = SimpleNamespace(tenant_id=TENANT)  # type: ignore[assignment]
    return JsonResponse({"ok": True})


def boom(request: HttpRequest) -> JsonResponse:
    raise RuntimeError(f"unexpected failure; signing key {settings.SECRET_KEY}")


urlpatterns = [
    path("_test/as-tenant", as_tenant),
    path("_test/boom", boom),
    *real_urlpatterns,
]
