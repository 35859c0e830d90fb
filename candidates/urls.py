from django.urls import path

from candidates import views, views_search

app_name = "candidates"
urlpatterns = [
    path("", views_search.candidate_search, name="search"),
    path("documents/<int:pk>/download", views.document_download, name="document_download"),
]
