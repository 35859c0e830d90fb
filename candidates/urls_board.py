"""Routes of a job's pipeline board, mounted under /jobs/<number>/pipeline/ by jobs/urls.py."""

from django.urls import path

from candidates import board

app_name = "board"
urlpatterns = [
    path("", board.board, name="board"),
]
