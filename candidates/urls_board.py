"""Routes of a job's pipeline board, mounted under /jobs/<number>/pipeline/ by jobs/urls.py."""

from django.urls import path

from candidates import board

app_name = "board"
urlpatterns = [
    path("", board.board, name="board"),
    path("applications/<int:pk>/move", board.move, name="move"),
    path("applications/<int:pk>/reject", board.reject, name="reject"),
    path("bulk/move", board.bulk_move, name="bulk_move"),
    path("bulk/reject", board.bulk_reject, name="bulk_reject"),
    path("bulk/pool", board.bulk_pool, name="bulk_pool"),
    path("add", board.add_candidate, name="add"),
]
