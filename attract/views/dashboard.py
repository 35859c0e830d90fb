from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from attract import health
from attract.models import SecurityRole
from attract.selectors import activity_names, dashboard_jobs, recent_activity
from attract.views.activity import describe_all
from jobs.selectors import approvals_waiting_for

DASHBOARD_ROWS = 50


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My open jobs, the approvals waiting for me and the latest activity on my jobs."""
    user = request.user
    events = recent_activity(user)
    candidates, users = activity_names(events)
    context = {
        "roles": [SecurityRole(r).label for r in sorted(user.role_set)],
        "jobs": dashboard_jobs(user)[:DASHBOARD_ROWS],
        "approvals": approvals_waiting_for(user)[:DASHBOARD_ROWS],
        "activity": describe_all(events, candidates=candidates, users=users),
    }
    return render(request, "attract/dashboard.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.run_checks()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)
