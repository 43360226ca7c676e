"""Articles that redirect where a crawler must not follow: to an internal service on
another loopback port, to a host that never resolves, to a local file, through too many hops."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from newscrawl.replica.faults.framework import Handler, Request, register
from newscrawl.replica.faults.selection import PickedFault, picked_article
from newscrawl.replica.internal import InternalService
from newscrawl.replica.response import Response


@register
class Private(PickedFault):
    """Its articles redirect (302) to another loopback port: an internal service that the
    replica starts next to the server and that reports every request on stderr."""

    name = "private"
    PLACEHOLDER = "http://127.0.0.1:9"  # until attached to a server (router tests)

    def __init__(self, seed: int = 1) -> None:
        super().__init__(seed)
        self.internal = self.PLACEHOLDER
        self._service: InternalService | None = None

    def attach(self, server: Any) -> None:
        if self._service is None:
            self._service = InternalService()
            self.internal = self._service.origin
            server.closers.append(self._detach)

    def _detach(self) -> None:
        if self._service is not None:
            self._service.stop()
            self._service = None

    def banner(self) -> str:
        return f"internal: {self.internal}/" if self._service is not None else ""

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not picked_article(self, request, response):
            return response
        location = self.internal + response.subject.path
        return Response(302, "", headers={"Location": location})

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


# A host name that can never be reached (.invalid is reserved, RFC 2606): a crawler that follows
# the redirect gets a DNS failure, never another machine.
OFFSITE_HOST = "japannews.example.invalid"
CHAIN_HOPS = 7  # more than a crawler's REDIRECT_MAX_TIMES (5 in newscrawl's settings)


class _Redirected(PickedFault):
    """Its articles answer 302 to `location(...)`: a correct crawl refuses them, exports
    nothing, and lists each by its article URL."""

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not picked_article(self, request, response):
            return response
        location = self.location(request, response.subject.path)
        if location is None:
            return response
        return Response(302, "", headers={"Location": location})

    def location(self, request: Request, path: str) -> str | None:
        raise NotImplementedError

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


@register
class Offsite(_Redirected):
    """Its articles redirect (302) to the same path on another host name, one that never
    resolves (`OFFSITE_HOST`, same port)."""

    name = "offsite"

    def location(self, request: Request, path: str) -> str | None:
        port = urlsplit(request.site.origin).port
        return f"http://{OFFSITE_HOST}{f':{port}' if port else ''}{path}"


@register
class Scheme(_Redirected):
    """Its articles redirect (302) to a local file: `file:///etc/passwd`."""

    name = "scheme"

    def location(self, request: Request, path: str) -> str | None:
        return "file:///etc/passwd"


@register
class Chain(_Redirected):
    """Its articles redirect (302) through CHAIN_HOPS hops on the replica's own host
    (`<path>?hop=1` ... `?hop=7`) before the page answers: longer than a crawler follows."""

    name = "chain"

    def location(self, request: Request, path: str) -> str | None:
        value = parse_qs(urlsplit(request.target).query).get("hop", ["0"])[0]
        hop = int(value) if value.isdigit() else 0
        if hop >= CHAIN_HOPS:
            return None  # the real page, at last
        return f"{request.site.origin}{path}?hop={hop + 1}"
