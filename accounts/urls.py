from accounts.views import AuthViewSet
from config.api.routers import ApiRouter

router = ApiRouter()
router.register("", AuthViewSet, basename="auth")  # under auth/: config/urls.py

urlpatterns = router.urls
