from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from attract.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", dashboard.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("jobs/", include("jobs.urls")),
    path("candidates/", include("candidates.urls")),
    path("pools/", include("talentpools.urls")),
    path("settings/", include("attract.urls_settings")),
    path("careers/", include("jobs.urls_careers")),
    path("notifications/", include("attract.urls_notifications")),
    path("api/", include("attract.urls_api")),
    path("linkedin/", include("linkedin.urls")),
]
