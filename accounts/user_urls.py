"""``/api/v5/users/``: public per-user resources (the avatar image)."""

from django.urls import re_path

from accounts.avatar_views import UserAvatarView

urlpatterns = [
    # Any segment reaches the view: a malformed id is a 404 envelope, like an unknown one.
    re_path(r"^(?P<userId>[^/]+)/avatar/?$", UserAvatarView.as_view(), name="user-avatar"),
]
