"""The floor's views: a dictionary lookup and precomputed bytes.

``BENCH_FLOOR_RESPONSES`` names a JSON file written by ``bench.api_bench``::

    {"responses": [{"method": "GET", "path": "/api/v5/sessions?limit=10",
                    "authorization": "Bearer ...", "status": 200,
                    "headers": [["Content-Type", "application/json"], ...],
                    "body_b64": "..."}]}

A request is answered by the entry with its method, full path and
Authorization header (the list scenarios differ only by tenant, i.e. token).
"""

from __future__ import annotations

import base64
import json
import os

from django.http import HttpRequest, HttpResponse

Key = tuple[str, str, str]


def _load() -> dict[Key, tuple[int, list[tuple[str, str]], bytes]]:
    path = os.environ.get("BENCH_FLOOR_RESPONSES")
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        entries = json.load(handle)["responses"]
    return {
        (entry["method"], entry["path"], entry.get("authorization", "")): (
            entry["status"],
            [(name, value) for name, value in entry["headers"]],
            base64.b64decode(entry["body_b64"]),
        )
        for entry in entries
    }


RESPONSES = _load()


def answer(request: HttpRequest, **_: object) -> HttpResponse:
    found = RESPONSES.get(
        (
            request.method or "GET",
            request.get_full_path(),
            request.META.get("HTTP_AUTHORIZATION", ""),
        )
    )
    if found is None:
        return HttpResponse(b"no precomputed response for this request\n", status=404)
    status, headers, body = found
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response
