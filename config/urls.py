"""Root URL configuration: the v5 API lives under /api/v5/."""

urlpatterns: list = []
