from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import checks, dump, schema  # noqa: F401 -- registers the check and OpenAPI extension
        from accounts.avatar_checks import NAME, avatars_check
        from accounts.repositories import users
        from fdbstore.registry import register, register_check

        register("accounts.users", users)
        register_check(NAME, avatars_check)  # avatar record, user reference, blob
        dump.register()  # members' avatars and their blobs in tenant dumps
