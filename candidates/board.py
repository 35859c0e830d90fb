"""The pipeline board of a job: columns per stage, moves, bulk actions."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from attract.access import Perm, job_for_user


@login_required
def board(request: HttpRequest, number: str) -> HttpResponse:
    job = job_for_user(request.user, number, perm=Perm.VIEW_APPLICANTS)
    return render(request, "candidates/board.html", {"job": job})
