"""No request may vanish: every article and listing request the engine schedules must end where
the spider sees it, in its callback (with a response) or its errback (with a failure).

Scrapy lets a component drop a request without either: a `request_scheduled` handler raising
IgnoreRequest (Scrapy's OffsiteMiddleware did that to redirects to other hosts), a scheduler
refusing it (`request_dropped`), a middleware returning nothing. The ledger is the safety net
for all of them, present and future:
- `RequestLedger` (extension) records each article or listing request when it is scheduled, by
  the URL the spider asked for (a redirect or a retry is a new Request with the same
  `redirect_urls[0]`, so it stays the same entry) and its kind;
- `SettledMiddleware` (spider middleware, last before the spider) settles it when a response
  reaches the callback; the spider's errback settles it with `settle()`;
- when a run finishes, whatever is still unsettled vanished: counted under
  `newscrawl/requests/vanished`, listed under `newscrawl/requests/vanished_urls` (with the
  listings under `newscrawl/listing/unread`), logged as an error; the run is unhealthy.

Only requests in flight are kept (a dict of URL and kind to their walk), so a backfill of
100,000 articles holds no more than its queue does. A run that did not finish (stopped,
interrupted) leaves requests unsettled by design: nothing is counted then. A worker of a shared
frontier hands its requests to other workers: the ledger is off there.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from newscrawl.request_ends import request_settled, settle
from newscrawl.request_meta import KIND, WALK, asked_url
from newscrawl.state.redis import frontier_url
from newscrawl.stats import LISTING_UNREAD, REQUESTS_VANISHED, REQUESTS_VANISHED_URLS, append_listed

logger = logging.getLogger(__name__)

KINDS = ("article", "listing")  # what the spiders mark in `newscrawl_kind` (request_meta.KIND)


def entry_key(request: Request) -> tuple[str, str] | None:
    """The ledger's key of a request: the URL the spider asked for and its kind; None for
    requests the ledger does not follow."""
    kind = request.meta.get(KIND)
    if kind not in KINDS:
        return None
    return asked_url(request), kind


class RequestLedger:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # In flight -> its walk (if any) and how many times it is scheduled and not settled
        # (the spider asks once, but a component may schedule a copy).
        self.open: dict[tuple[str, str], list[Any]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequestLedger:
        if frontier_url(crawler.settings):
            raise NotConfigured("a shared frontier: other workers settle this one's requests")
        ledger = cls(crawler)
        crawler.signals.connect(ledger.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(ledger.dropped, signal=signals.request_dropped)
        crawler.signals.connect(ledger.settled, signal=request_settled)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        return ledger

    def scheduled(self, request: Request) -> None:
        key = entry_key(request)
        if key is None:
            return
        if request.meta.get("redirect_urls") or request.meta.get("retry_times"):
            self.open.setdefault(key, [request.meta.get(WALK), 1])  # the same ask
        else:
            entry = self.open.setdefault(key, [request.meta.get(WALK), 0])
            entry[1] += 1

    def dropped(self, request: Request) -> None:
        if entry_key(request) is not None:
            logger.warning("the scheduler dropped %s: it will be counted as vanished", request)

    def settled(self, request: Request) -> None:
        key = entry_key(request)
        entry = self.open.get(key) if key is not None else None
        if entry is not None:
            entry[1] -= 1
            if entry[1] <= 0:
                del self.open[key]

    def spider_closed(self, reason: str) -> None:
        if reason != "finished" or not self.open:
            return
        stats, spider = self.crawler.stats, self.crawler.spider
        stats.set_value(REQUESTS_VANISHED, len(self.open))
        for (url, kind), (walk, _) in sorted(self.open.items()):
            append_listed(stats, REQUESTS_VANISHED_URLS, f"{url} ({kind})")
            if kind == "listing":
                append_listed(stats, LISTING_UNREAD, f"{url} (vanished)")
            if walk is not None:
                getattr(spider, "tainted_walks", set()).add(walk)
        first = ", ".join(f"{url} ({kind})" for url, kind in sorted(self.open)[:5])
        logger.error(
            "%d requests vanished without a response or an error (a component dropped them): %s",
            len(self.open),
            first,
        )
        self.open.clear()


class SettledMiddleware:
    """Spider middleware, placed last (nearest the spider): a response that gets here reaches
    the request's callback, which settles the request in the ledger."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SettledMiddleware:
        return cls(crawler)

    def process_spider_input(self, response: Response) -> None:
        if response.request is not None:
            settle(self.crawler, response.request)
