"""Admin settings (administrators) and user settings (everyone)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from attract.access import require_admin


@login_required
def admin_settings(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    return render(request, "settings/admin.html", {})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "settings/profile.html", {})
