"""Root URL configuration: the v5 API lives under /api/v5/.

Every path under ``/api`` answers in the JSON envelope, including unknown
ones (the catch-all below) and Django-level errors (the ``handler*`` views).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.api import handlers
from config.api.health import HealthView

# Each include behind its own prefix: a request that fails an include's patterns
# costs a Resolver404 and Django's "tried" lists (~25 µs on every sessions request).
v5 = [
    path("auth/", include("accounts.urls")),
    path("users/", include("accounts.user_urls")),  # avatars (issue 9)
    path("", include("sessions_api.urls")),
    path("", include("files.urls")),  # sessions/{id}/files..., usage (issue 11)
    path("", include("tenancy.urls")),  # issue 10: tenants/..., invitations/accept
    path("", include("agents.urls")),
    re_path(r"^health/?$", HealthView.as_view(), name="health"),
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^docs/?$", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/v5/", include(v5)),
    re_path(r"^api(?:/|$)", handlers.not_found),
]

handler400 = "config.api.handlers.bad_request"
handler403 = "config.api.handlers.forbidden"
handler404 = "config.api.handlers.not_found"
handler500 = "config.api.handlers.server_error"
