"""The signed-in user's notifications: newest first, unread highlighted, mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attract.notifications import notifications_mark_all_read, notifications_of, safe_link

PER_PAGE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(notifications_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(n, safe_link(n.url)) for n in page_obj.object_list]
    return render(request, "attract/notifications.html", {"page_obj": page_obj, "rows": rows})


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = notifications_mark_all_read(user=request.user)
    messages.success(request, f"{changed} notification{'s' if changed != 1 else ''} marked read.")
    return redirect("notifications:list")
