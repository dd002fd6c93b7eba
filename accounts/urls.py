from accounts.views import AuthViewSet
from config.api.routers import ApiRouter

router = ApiRouter()
router.register("auth", AuthViewSet, basename="auth")

urlpatterns = router.urls
