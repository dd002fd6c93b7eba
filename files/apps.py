from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Workspace files"

    def ready(self) -> None:
        from fdbstore.registry import register_check
        from files import dump, trash
        from files.checks import check_files
        from files.repositories import usage_clear
        from sessions_api import hooks
        from tenancy.hooks import on_tenant_deleting

        register_check("files", check_files)
        dump.register()
        hooks.on_session_deleted(trash.session_files_unlink)
        hooks.after_sessions_deleted(trash.trash_drain)
        on_tenant_deleting(usage_clear)  # tenant deletion clears its usage counters
