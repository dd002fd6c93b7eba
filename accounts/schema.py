"""OpenAPI: the bearer scheme of ``BearerTokenAuthentication``."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "The token from register, login or switch-tenant: "
            "`Authorization: Bearer <token>`; or an API key of one tenant (`cdt_...`, "
            "from `POST /tenants/{tenantId}/api-keys`) in the same header.",
        }
