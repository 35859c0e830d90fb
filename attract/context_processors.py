from functools import cache

from django.http import HttpRequest

from attract.models import Organisation
from attract.selectors import organisation_get


def request_organisation(request: HttpRequest) -> Organisation:
    """The organisation row, read once per request (views and templates share it)."""
    cached = getattr(request, "_attract_organisation", None)
    if cached is None:
        cached = organisation_get()
        request._attract_organisation = cached  # type: ignore[attr-defined]
    return cached


def organisation(request: HttpRequest) -> dict:
    context: dict = {"organisation": request_organisation(request)}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from attract.notifications import unread_count

        # A callable, run (once) only by templates that show it: HTMX fragments never pay for it.
        context["unread_notifications"] = cache(lambda: unread_count(user))
    return context
