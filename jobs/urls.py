from django.urls import include, path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.job_create, name="create"),
    path("<str:number>/", views.job_detail, name="detail"),
    path("<str:number>/edit/", views.job_edit, name="edit"),
    path("<str:number>/submit/", views.job_submit, name="submit"),
    path("<str:number>/decide/", views.job_decide, name="decide"),
    path("<str:number>/activate/", views.job_activate, name="activate"),
    path("<str:number>/close/", views.job_close, name="close"),
    path("<str:number>/delete/", views.job_delete, name="delete"),
    path("<str:number>/team/", views.job_team, name="team"),
    path("<str:number>/team/delegate/", views.job_team_delegate, name="team_delegate"),
    path("<str:number>/team/<int:member_id>/remove/", views.job_team_remove, name="team_remove"),
    path("<str:number>/process/", views.job_process, name="process"),
    path("<str:number>/postings/", views.job_postings, name="postings"),
    path("<str:number>/analytics/", views.job_analytics_page, name="analytics"),
    path("<str:number>/pipeline/", include("candidates.urls_board")),
]
