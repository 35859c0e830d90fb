from django.urls import path

from attract.views import settings as views

app_name = "settings"
urlpatterns = [
    path("admin/", views.admin_settings, name="admin"),
    path("me/", views.profile, name="profile"),
]
