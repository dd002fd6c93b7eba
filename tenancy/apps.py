from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = "Tenants and memberships"

    def ready(self) -> None:
        from fdbstore.registry import register
        from tenancy.repositories import api_keys, invitations, memberships, tenants

        register("tenancy.tenants", tenants)
        register("tenancy.memberships", memberships)
        register("tenancy.invitations", invitations)
        register("tenancy.api_keys", api_keys)
