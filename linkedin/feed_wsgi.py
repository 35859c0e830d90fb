"""The feed's fast path: a WSGI layer in front of Django (as WhiteNoise serves static files)
that answers fetches of the live feed from the serving pointer, with no database query and
none of Django's request machinery; everything else, and any fetch it cannot answer, goes to
Django (`linkedin.feed_serve`)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse

from linkedin import feed_serve

PLACEHOLDER = "0token0"
STATUS = {200: "200 OK", 304: "304 Not Modified"}

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class FeedApp:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self._prefix, self._suffix = "", ""

    def _bounds(self) -> tuple[str, str]:
        if not self._prefix:
            path = reverse("linkedin:feed", args=[PLACEHOLDER])
            self._prefix, _, self._suffix = path.partition(PLACEHOLDER)
        return self._prefix, self._suffix

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        prefix, suffix = self._bounds()
        path = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and path.startswith(prefix)
            and path.endswith(suffix)
        ):
            result = self._answer(environ, path[len(prefix) : -len(suffix)])
            if result is not None:
                start_response(STATUS[result.status], result.headers)
                return self._body(environ, result)
        return self.app(environ, start_response)

    def _answer(self, environ: dict[str, Any], token: str) -> feed_serve.Answer | None:
        pointer = feed_serve.pointer_path()
        if not pointer or "/" in token:
            return None
        live = feed_serve.pointer_cache.lookup(pointer, token)
        return feed_serve.answer(environ, live) if live else None

    @staticmethod
    def _body(environ: dict[str, Any], result: feed_serve.Answer) -> Iterable[bytes]:
        if result.body is None:
            return []
        if environ.get("REQUEST_METHOD") == "HEAD":
            result.body.close()
            return []
        wrapper = environ.get("wsgi.file_wrapper")
        if wrapper is not None:  # gunicorn: sendfile()
            return wrapper(result.body, feed_serve.BLOCK)
        return _chunks(result.body)


def _chunks(handle: Any) -> Iterable[bytes]:
    with handle:
        while block := handle.read(feed_serve.BLOCK):
            yield block
