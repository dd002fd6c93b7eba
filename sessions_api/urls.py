from config.api.routers import ApiRouter
from sessions_api.views import SessionViewSet

router = ApiRouter()
router.register("sessions", SessionViewSet, basename="session")

urlpatterns = router.urls
