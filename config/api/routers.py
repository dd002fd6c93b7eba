"""The API's router: DRF's ``SimpleRouter`` with the trailing slash optional.

The guide's paths have no trailing slash (``/api/v5/sessions``); clients that
add one get the same resource rather than a redirect that would drop a POST
body.
"""

from __future__ import annotations

from rest_framework.routers import SimpleRouter


class ApiRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__(trailing_slash=False)
        self.trailing_slash = "/?"


# The methods API views answer. OPTIONS is left out: a CORS preflight is
# answered by CorsMiddleware before any view, and DRF's metadata response
# would describe serializers, not the API; a plain OPTIONS gets 405, and
# ``Allow`` does not claim it.
HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head"]
