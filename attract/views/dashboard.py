from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from attract import health
from attract.models import SecurityRole
from jobs.selectors import approvals_waiting_for, open_jobs_of


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "roles": [SecurityRole(r).label for r in sorted(user.role_set)],
        "jobs": open_jobs_of(user)[:50],
        "approvals": approvals_waiting_for(user)[:50],
    }
    return render(request, "attract/dashboard.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.run_checks()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)
