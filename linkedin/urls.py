"""LinkedIn routes: the public feed, the per-organisation callback, admin and user actions."""

from django.urls import include, path

app_name = "linkedin"
urlpatterns = [
    path("", include("linkedin.urls_feed")),
    path("", include("linkedin.urls_rsc")),
]
