"""Faults that stay: articles that answer 503 for good, gzip bombs (on articles and on a
listing page)."""

from __future__ import annotations

import threading
import zlib
from typing import Any
from urllib.parse import urlsplit

from newscrawl.replica.corpus import SECTION_BY_SLUG, Corpus
from newscrawl.replica.faults.error_pages import OUTAGE_PAGE
from newscrawl.replica.faults.framework import Fault, Handler, Request, register
from newscrawl.replica.faults.selection import PickedFault, picked_article, record_post_id
from newscrawl.replica.pages import section_listing, subsection_listing
from newscrawl.replica.response import Response


@register
class Down(PickedFault):
    """Its articles answer 503 every time, without Retry-After."""

    name = "down"

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        return Response(503, OUTAGE_PAGE) if picked_article(self, request, response) else response

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


BOMB_SIZE = 128 * 2**20  # what the bomb expands to
_BOMB_HEAD = b"<!DOCTYPE html>\n<html><head><title>The Japan News</title></head><body>\n"
_bomb: bytes | None = None
_bomb_lock = threading.Lock()


def bomb_body() -> bytes:
    """A gzip stream of BOMB_SIZE bytes (an HTML head, then spaces), about 128 KiB compressed;
    made once, in 1 MiB steps, and kept."""
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip wrapper
            parts = [packer.compress(_BOMB_HEAD)]
            chunk = b" " * 2**20
            left = BOMB_SIZE - len(_BOMB_HEAD)
            while left > 0:
                parts.append(packer.compress(chunk[: min(left, len(chunk))]))
                left -= len(chunk)
            parts.append(packer.flush())
            _bomb = b"".join(parts)
        return _bomb


@register
class Bomb(PickedFault):
    """Its articles answer with a gzip body that expands to 128 MiB, whatever the client accepts."""

    name = "bomb"

    def attach(self, server: Any) -> None:
        bomb_body()  # made before the first request rather than during it

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not picked_article(self, request, response):
            return response
        return Response(200, data=bomb_body(), headers={"Content-Encoding": "gzip"})

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


BIG_LISTING = "/politics/politics-government/page/2/"


@register
class BigListing(Fault):
    """Page 2 of the Politics & Government listing answers with a gzip body that expands past
    any sane size limit (`bomb_body`): a crawler cannot read it, and its walk is incomplete.
    The manifest marks as not exportable (this run) the articles a politics crawl can reach
    only through that page or the pages after it; the run must exit non-zero and name the
    listing."""

    name = "biglisting"

    def __init__(self, seed: int = 1) -> None:
        super().__init__(seed)
        self.unreachable: frozenset[int] = frozenset()

    def attach(self, server: Any) -> None:
        bomb_body()

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if response.kind != "listing" or urlsplit(request.target).path != BIG_LISTING:
            return response
        return Response(200, data=bomb_body(), headers={"Content-Encoding": "gzip"})

    def prepare(self, corpus: Corpus) -> None:
        """The articles listed beyond page 1 of the listing, and on no page a politics crawl
        reads otherwise (the other subsections' listings, page 1 of /politics/)."""
        politics = SECTION_BY_SLUG["politics"]
        big = next(
            s for s in politics.subsections if BIG_LISTING.startswith(f"/politics/{s.slug}/")
        )
        listing = subsection_listing(corpus, big)
        beyond = set(listing.items[listing.per_page :])
        for sub in politics.subsections:
            if sub is not big:
                beyond -= set(subsection_listing(corpus, sub).items)
        archive = section_listing(corpus, politics)
        beyond -= set(archive.items[: archive.per_page])
        self.unreachable = frozenset(corpus.article(i).post_id for i in beyond)

    def amend(self, record: dict[str, Any]) -> None:
        if record_post_id(record) in self.unreachable:
            record["faults"].append(self.name)
            record["expected_export"] = False
