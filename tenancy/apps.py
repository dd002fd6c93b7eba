from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = "Tenants and memberships"

    def ready(self) -> None:
        from fdbstore.registry import register
        from tenancy.repositories import memberships, tenants

        register("tenancy.tenants", tenants)
        register("tenancy.memberships", memberships)
