from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from attract.access import pools_visible_to


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    return render(request, "talentpools/pool_list.html", {"pools": pools_visible_to(request.user)})
