from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Workspace files"

    def ready(self) -> None:
        from fdbstore.registry import register_check
        from files import dump, trash
        from files.checks import check_files
        from sessions_api import hooks

        register_check("files", check_files)
        dump.register()
        hooks.on_session_deleted(trash.session_files_unlink)
        hooks.after_sessions_deleted(trash.trash_drain)
