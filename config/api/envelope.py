"""The response envelope every body of the API is wrapped in.

Success: ``{"success": true, "data": ..., "meta": {...}?}``; failure:
``{"success": false, "error": {"code", "message", "details"?}}``. Views return
``EnvelopeResponse`` with the bare data; ``EnvelopeRenderer`` wraps it, and the
exception handler builds the error form, so no view writes the envelope itself.
"""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response


def success_body(data: Any, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"success": True, "data": data}
    if meta is not None:
        body["meta"] = meta
    return body


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"success": False, "error": error}


class EnvelopeResponse(Response):
    """A ``Response`` whose data the renderer wraps, with optional ``meta`` beside it."""

    def __init__(self, data: Any = None, *, meta: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(data, **kwargs)
        self.meta = meta


class EnvelopeRenderer(JSONRenderer):
    """JSON, with successful bodies wrapped in the envelope.

    Error bodies (status >= 400) already are envelopes: the exception handler
    made them. An empty body (204) stays empty."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if data is not None and response is not None and response.status_code < 400:
            data = success_body(data, getattr(response, "meta", None))
        return super().render(data, accepted_media_type, renderer_context)
