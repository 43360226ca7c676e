"""Transient faults: misbehave on the first request of a URL (article or listing), then
answer normally."""

from __future__ import annotations

import threading
from dataclasses import replace
from urllib.parse import urlsplit

from newscrawl.replica.faults.error_pages import ERROR_500_PAGE, TOO_MANY_PAGE
from newscrawl.replica.faults.framework import Handler, Request, register
from newscrawl.replica.faults.selection import PickedFault, in_band, picked_article
from newscrawl.replica.response import RESET, STALL, TRUNCATE, Response

RETRY_AFTER = 2  # seconds, in the throttle fault's 429


class _Once(PickedFault):
    """Hits its share of article pages and of listing pages, on the first request of each."""

    def __init__(self, seed: int = 1) -> None:
        super().__init__(seed)
        self._done: set[str] = set()
        self._lock = threading.Lock()  # the server is threaded

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if response.kind == "listing":
            hit = in_band(
                self.name, request.site.corpus.seed, "page", urlsplit(request.target).path
            )
        else:
            hit = picked_article(self, request, response)
        if not hit:
            return response
        with self._lock:
            if request.target in self._done:
                return response
            self._done.add(request.target)
        return self.misbehave(response)

    def misbehave(self, response: Response) -> Response:
        raise NotImplementedError


@register
class Flaky(_Once):
    """500 once, then 200."""

    name = "flaky"

    def misbehave(self, response: Response) -> Response:
        return Response(500, ERROR_500_PAGE)


@register
class Throttle(_Once):
    """429 with `Retry-After: 2` once."""

    name = "throttle"

    def misbehave(self, response: Response) -> Response:
        return Response(429, TOO_MANY_PAGE, headers={"Retry-After": str(RETRY_AFTER)})


@register
class Reset(_Once):
    """Once: the status line and headers with the full Content-Length, half the body, then the
    connection is shut."""

    name = "reset"

    def misbehave(self, response: Response) -> Response:
        return replace(response, delivery=RESET)


@register
class Stall(_Once):
    """Once: the headers, then no body (until the server stops, at most `server.STALL_SECONDS`)."""

    name = "stall"

    def misbehave(self, response: Response) -> Response:
        return replace(response, delivery=STALL)


@register
class Truncate(_Once):
    """Once: a gzip body cut in half with a Content-Length that matches the cut (a `reset` for
    a client that does not take gzip)."""

    name = "truncate"

    def misbehave(self, response: Response) -> Response:
        return replace(response, delivery=TRUNCATE)


@register
class Empty(_Once):
    """Once: 200 with an empty body."""

    name = "empty"

    def misbehave(self, response: Response) -> Response:
        return Response(200, "")
