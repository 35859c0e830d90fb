from django.urls import path

from candidates import views, views_search

app_name = "candidates"
urlpatterns = [
    path("", views_search.candidate_search, name="search"),
    path("new/", views.candidate_create_view, name="create"),
    path("documents/<int:pk>/download", views.document_download, name="document_download"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/emails/", views.candidate_add_email_view, name="add_email"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/merge/", views.candidate_merge_view, name="merge"),
    path("<int:pk>/applications/", views.candidate_applications, name="applications"),
    path(
        "<int:pk>/applications/<int:application_pk>/withdraw",
        views.application_withdraw_view,
        name="application_withdraw",
    ),
    path(
        "<int:pk>/applications/<int:application_pk>/hire",
        views.application_hire_view,
        name="application_hire",
    ),
    path(
        "<int:pk>/applications/<int:application_pk>/reopen",
        views.application_reopen_view,
        name="application_reopen",
    ),
    path("<int:pk>/notes/", views.candidate_notes, name="notes"),
    path("<int:pk>/notes/add", views.note_add_view, name="note_add"),
    path("<int:pk>/notes/<int:note_pk>/", views.note_detail, name="note"),
    path("<int:pk>/notes/<int:note_pk>/edit/", views.note_edit_view, name="note_edit"),
    path("<int:pk>/notes/<int:note_pk>/delete", views.note_delete_view, name="note_delete"),
    path("<int:pk>/feedback/", views.candidate_feedback, name="feedback"),
    path(
        "<int:pk>/feedback/<int:application_pk>/",
        views.feedback_submit_view,
        name="feedback_submit",
    ),
    path("<int:pk>/linkedin/", views.candidate_linkedin, name="linkedin"),
]
