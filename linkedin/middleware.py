"""The feed's fast path: the live feed answered before sessions, CSRF and the URL resolver,
from the serving pointer and without a database query (`linkedin.feed_serve`)."""

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from linkedin import feed_serve

PLACEHOLDER = "0token0"


class FeedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self._prefix, self._suffix = "", ""

    def _bounds(self) -> tuple[str, str]:
        if not self._prefix:
            self._prefix, _, self._suffix = reverse("linkedin:feed", args=[PLACEHOLDER]).partition(
                PLACEHOLDER
            )
        return self._prefix, self._suffix

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        prefix, suffix = self._bounds()
        path = request.path_info
        if request.method in ("GET", "HEAD") and path.startswith(prefix) and path.endswith(suffix):
            token = path[len(prefix) : -len(suffix)]
            pointer = feed_serve.pointer_path()
            live = pointer and "/" not in token and feed_serve.pointer_cache.lookup(pointer, token)
            if live:
                response = feed_serve.respond(request, live)
                if response is not None:
                    return response
        return self.get_response(request)
