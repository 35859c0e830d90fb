from django.urls import include, path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<str:number>/pipeline/", include("candidates.urls_board")),
]
