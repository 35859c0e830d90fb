from django.urls import path

from attract.views import notifications

app_name = "notifications"
urlpatterns = [
    path("", notifications.notification_list, name="list"),
    path("read", notifications.notification_mark_all_read, name="mark_all_read"),
]
