from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "agents"
    verbose_name = "Agents (the A2A hub)"

    def ready(self) -> None:
        from agents.purge import tasks_purge
        from agents.repositories import agents, tasks
        from fdbstore.purge import register_purge
        from fdbstore.registry import register

        register("agents.agents", agents)
        register("agents.tasks", tasks)
        register_purge("a2aTasks", "hub tasks", tasks_purge)

        from agents import contexts, dump
        from sessions_api import hooks as session_hooks
        from tenancy import hooks as tenant_hooks

        dump.register()
        session_hooks.on_session_deleted(contexts.session_deleted)
        session_hooks.after_sessions_deleted(contexts.gone_sessions_drain)
        tenant_hooks.on_tenant_deleting(contexts.tenant_step)
