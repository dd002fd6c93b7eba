from django.apps import AppConfig


class SessionsApiConfig(AppConfig):
    name = "sessions_api"
    verbose_name = "Workspace sessions"

    def ready(self) -> None:
        from fdbstore.registry import register
        from sessions_api.repositories import sessions

        register("sessions_api.sessions", sessions)
