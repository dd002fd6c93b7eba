from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Workspace files"

    def ready(self) -> None:
        from files import trash
        from sessions_api import hooks

        hooks.on_session_deleted(trash.session_files_unlink)
        hooks.after_sessions_deleted(trash.trash_drain)
