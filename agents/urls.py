from django.urls import re_path

from agents.views import AgentViewSet, TaskUpdateView
from config.api.routers import ApiRouter

router = ApiRouter()
router.register("agents", AgentViewSet, basename="agent")

urlpatterns = [
    *router.urls,
    re_path(
        r"^a2a/tasks/(?P<taskId>[^/]+)/updates/?$", TaskUpdateView.as_view(), name="a2a-task-update"
    ),
]
