from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401 -- registers the OpenAPI auth extension
        from accounts.repositories import users
        from fdbstore.registry import register

        register("accounts.users", users)
