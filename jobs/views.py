from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from attract.access import jobs_visible_to


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = jobs_visible_to(request.user).order_by("-created_at")[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})
