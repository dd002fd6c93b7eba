from django.urls import re_path

from accounts.avatar_views import MyAvatarView
from accounts.views import AuthViewSet
from config.api.routers import ApiRouter

router = ApiRouter()
router.register("", AuthViewSet, basename="auth")  # under auth/: config/urls.py

urlpatterns = [
    re_path(r"^me/avatar/?$", MyAvatarView.as_view(), name="auth-me-avatar"),
    *router.urls,
]
