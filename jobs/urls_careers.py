"""The public career site (no sign-in); a job page URL never changes: it is the applyUrl."""

from django.urls import path

from jobs import careers

app_name = "careers"
urlpatterns = [
    path("", careers.job_list, name="list"),
    path("<str:number>/", careers.job_detail, name="job"),
    path("<str:number>/apply", careers.job_apply, name="apply"),
    path("<str:number>/applied", careers.job_applied, name="applied"),
]
