"""Fault modes of the replica (`newscrawl replica --faults NAME[,NAME...]`): ways the real site
can let a crawler down, switched on by name.

A fault is a small `Fault` subclass registered with `@register`. It may
- wrap the router (`respond`): replace or rewrite the answer to a request, and
- amend the ground truth (`amend`): say what a correct crawl exports under the fault
  (`expected_export`) or what else differs from the fault-free manifest.
Several faults stack: the first named is the outermost wrapper. Faults that must act below HTTP
(a reset connection, a stalled or truncated body) will need a transport hook in server.py;
add it to `Fault` with a do-nothing default so the existing faults stay untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from newscrawl.replica.pages import Site
from newscrawl.replica.response import Response

Handler = Callable[[], Response]


@dataclass(frozen=True)
class Request:
    """What a fault sees of a request: the path (with query) and the site rendering for it."""

    target: str
    site: Site


class Fault:
    """A named fault; the defaults change nothing."""

    name: ClassVar[str]

    def respond(self, request: Request, inner: Handler) -> Response:
        """The answer to `request`; `inner()` is what the site would answer without this fault."""
        return inner()

    def amend(self, record: dict[str, Any]) -> None:
        """Adjust one manifest record (in place) to what a crawl should yield under the fault."""


FAULTS: dict[str, type[Fault]] = {}


def register(cls: type[Fault]) -> type[Fault]:
    FAULTS[cls.name] = cls
    return cls


class UnknownFault(ValueError):
    pass


def parse_faults(value: str) -> tuple[Fault, ...]:
    """'blank,outage' -> fault instances, in order; raises UnknownFault on a name not registered."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in FAULTS:
            raise UnknownFault(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
    return tuple(FAULTS[name]() for name in dict.fromkeys(names))  # a repeated name counts once


def wrap(faults: Iterable[Fault], request: Request, handler: Handler) -> Response:
    """Run `handler` inside every fault, the first fault outermost."""
    for fault in reversed(tuple(faults)):
        handler = _bind(fault, request, handler)
    return handler()


def _bind(fault: Fault, request: Request, inner: Handler) -> Handler:
    return lambda: fault.respond(request, inner)


def amend_records(
    records: Iterable[dict[str, Any]], faults: Iterable[Fault]
) -> Iterator[dict[str, Any]]:
    faults = tuple(faults)
    for record in records:
        for fault in faults:
            fault.amend(record)
        yield record


# ----- the faults ----------------------------------------------------------------------------


class _NoExport(Fault):
    """A fault under which no article can be exported: the ground truth stays, the export is off."""

    def amend(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


@register
class Blank(_NoExport):
    """Every article URL answers 200 with the theme's chrome and no article in it."""

    name = "blank"

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if response.kind != "article":
            return response
        return Response(200, request.site.blank())


@register
class Outage(_NoExport):
    """Every request, robots.txt included, answers 503 with `Retry-After: 1`."""

    name = "outage"

    def respond(self, request: Request, inner: Handler) -> Response:
        return Response(503, OUTAGE_PAGE, headers={"Retry-After": "1"})


# nginx's own error page, as a CDN or origin under maintenance serves it
OUTAGE_PAGE = (
    "<html>\n<head><title>503 Service Unavailable</title></head>\n<body>\n"
    "<center><h1>503 Service Unavailable</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
