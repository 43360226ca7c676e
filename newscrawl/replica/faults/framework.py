"""What a fault is, the registry of faults by name, and how they stack around the router."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from newscrawl.replica.corpus import Article, Corpus
from newscrawl.replica.pages import Site
from newscrawl.replica.response import Response

Handler = Callable[[], Response]


@dataclass(frozen=True)
class Request:
    """What a fault sees of a request: the path (with query) and the site rendering for it."""

    target: str
    site: Site


class Fault:
    """A named fault; the defaults change nothing. `seed` is the corpus seed (for `amend`;
    `respond` and `article` read the seed of the corpus they serve)."""

    name: ClassVar[str]

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed

    def article(self, a: Article, seed: int) -> Article:
        """The article as its page shows it under the fault."""
        return a

    def respond(self, request: Request, inner: Handler) -> Response:
        """The answer to `request`; `inner()` is what the site would answer without this fault."""
        return inner()

    def amend(self, record: dict[str, Any]) -> None:
        """Adjust one manifest record (in place) to what a crawl should yield under the fault."""

    def prepare(self, corpus: Corpus) -> None:
        """Learn what `amend` needs of the whole corpus (before the manifest is written)."""

    def attach(self, server: Any) -> None:
        """Start what the fault needs next to a server (see `server.make_server`)."""

    def banner(self) -> str:
        """Words for the serving banner (after the fault names), "" for none."""
        return ""


FAULTS: dict[str, type[Fault]] = {}


def register(cls: type[Fault]) -> type[Fault]:
    FAULTS[cls.name] = cls
    return cls


class UnknownFault(ValueError):
    pass


def parse_faults(value: str, seed: int = 1) -> tuple[Fault, ...]:
    """'blank,outage' -> fault instances for corpus `seed`, in order; raises UnknownFault on a
    name not registered."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in FAULTS:
            raise UnknownFault(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
    return tuple(FAULTS[name](seed) for name in dict.fromkeys(names))  # a repeated name once


def wrap(faults: Iterable[Fault], request: Request, handler: Handler) -> Response:
    """Run `handler` inside every fault, the first fault outermost."""
    for fault in reversed(tuple(faults)):
        handler = _bind(fault, request, handler)
    return handler()


def _bind(fault: Fault, request: Request, inner: Handler) -> Handler:
    return lambda: fault.respond(request, inner)


def amend_records(
    records: Iterable[dict[str, Any]], faults: Iterable[Fault], corpus: Corpus | None = None
) -> Iterator[dict[str, Any]]:
    faults = tuple(faults)
    if corpus is not None:
        for fault in faults:
            fault.prepare(corpus)
    for record in records:
        record.setdefault("faults", [])
        for fault in faults:
            fault.amend(record)
        yield record
