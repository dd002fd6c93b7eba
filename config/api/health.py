"""``GET /api/v5/health``: the backend in use and a real store round trip."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.api.envelope import EnvelopeResponse
from config.api.errors import StoreUnavailable
from config.api.routers import HTTP_METHODS
from config.api.schema import envelope, errors
from fdbstore.connection import get_database
from fdbstore.errors import StoreError
from fdbstore.layout import read_layout_version

logger = logging.getLogger("config.api")


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok"])
    backend = serializers.CharField(help_text="embedded, memory or foundationdb.")
    layoutVersion = serializers.IntegerField(help_text="The store's key layout version.")
    roundTripMs = serializers.FloatField(help_text="Time of one read transaction, in ms.")


def store_health() -> dict:
    """Read the layout header in a real transaction; ``StoreUnavailable`` if that fails."""
    backend = settings.FDBSTORE.get("BACKEND", "embedded")
    started = time.perf_counter()
    try:
        db = get_database()
        backend = db.backend_name
        version = db.transact(read_layout_version)
    except (StoreError, OSError) as exc:
        logger.warning("health check: store unreachable: %s", exc)
        raise StoreUnavailable(details={"backend": backend}) from None
    elapsed = (time.perf_counter() - started) * 1000
    return {
        "status": "ok",
        "backend": backend,
        "layoutVersion": version,
        "roundTripMs": round(elapsed, 3),
    }


class HealthView(APIView):
    http_method_names = HTTP_METHODS
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Health",
        responses={200: envelope("HealthResponse", HealthSerializer()), **errors(405, 503)},
    )
    def get(self, request):
        return EnvelopeResponse(store_health())
