"""Faults of the whole site: no article anywhere, every request refused, robots.txt
refused or asking for a crawl delay, every article in the unknown layout."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from newscrawl.replica.corpus import Article
from newscrawl.replica.faults.error_pages import ERROR_500_PAGE, OUTAGE_PAGE
from newscrawl.replica.faults.framework import Fault, Handler, Request, register
from newscrawl.replica.faults.selection import point, record_post_id
from newscrawl.replica.response import Response


class _NoExport(Fault):
    """A fault under which no article can be exported: the ground truth stays, the export is off."""

    def amend(self, record: dict[str, Any]) -> None:
        record["faults"].append(self.name)
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


@register
class Robots5xx(_NoExport):
    """robots.txt answers 500: a polite crawler takes the whole site as off limits."""

    name = "robots5xx"

    def respond(self, request: Request, inner: Handler) -> Response:
        if urlsplit(request.target).path == "/robots.txt":
            return Response(500, ERROR_500_PAGE)
        return inner()


@register
class CrawlDelay(Fault):
    """robots.txt asks every crawler for CRAWL_DELAY seconds between requests. Not an error:
    one machine keeps its own pace, a shared frontier spaces the host's requests by it."""

    name = "crawldelay"
    CRAWL_DELAY = 0.3

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if urlsplit(request.target).path != "/robots.txt":
            return response
        asked = f"User-agent: *\nCrawl-delay: {self.CRAWL_DELAY}\n"
        return replace(response, body=response.body.replace("User-agent: *\n", asked, 1))


@register
class Redesign(Fault):
    """Every article page in the unknown (2026-style) layout; half of the articles that were in
    the 2024 theme keep their og/article meta and JSON-LD (seeded per article)."""

    name = "redesign"

    @staticmethod
    def keeps_meta(seed: int, post_id: int) -> bool:
        return point(seed, "redesign-meta", post_id) < 0.5

    def article(self, a: Article, seed: int) -> Article:
        if a.layout != "2024":
            return a
        return replace(a, layout="unknown", has_meta=self.keeps_meta(seed, a.post_id))

    def amend(self, record: dict[str, Any]) -> None:
        if record["layout"] != "2024":
            return
        record["faults"].append(self.name)
        record.update(layout="unknown", access=None)  # as corpus.manifest_record says
        if not self.keeps_meta(self.seed, record_post_id(record)):
            record.update(modified=None, description=None)
