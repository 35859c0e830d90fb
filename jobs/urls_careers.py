"""The public career site (no sign-in). A job page's URL never changes: it is LinkedIn's applyUrl."""

from django.urls import path

from jobs import careers

app_name = "careers"
urlpatterns = [
    path("", careers.job_list, name="list"),
]
