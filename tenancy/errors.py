from __future__ import annotations

from config.api.errors import NotFound


class TenantNotFound(NotFound):
    default_code = "tenant_not_found"
    default_detail = "No such tenant."
