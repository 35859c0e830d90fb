from django.urls import path

from candidates import views

app_name = "candidates"
urlpatterns = [
    path("", views.candidate_search, name="search"),
    path("documents/<int:pk>/download", views.document_download, name="document_download"),
]
