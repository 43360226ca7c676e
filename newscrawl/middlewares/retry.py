"""Retries with backoff, honouring `Retry-After` on 429 and 503.

Scrapy retries at once. Here retry N of a request waits NEWSCRAWL_RETRY_BACKOFF * 2**(N-1)
seconds (at most NEWSCRAWL_RETRY_BACKOFF_MAX), and a `Retry-After` holds the whole host: requests
to it wait until the time the server asked for (capped by NEWSCRAWL_RETRY_AFTER_MAX seconds).
What is retried is Scrapy's (RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS), plus bodies found
empty or cut short (middlewares/bodies.py), which use `with_backoff` too.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached

from newscrawl.defaults import setting_float
from newscrawl.host_answers import asked_wait
from newscrawl.request_meta import RETRY_AT
from newscrawl.stats import RETRY_AFTER_HONOURED

SENT_AT = "newscrawl_sent_at"  # request meta: monotonic time it left for the host


def backoff_seconds(retry_times: int, base: float, cap: float) -> float:
    """The wait before retry number RETRY_TIMES (1, 2, ...)."""
    if retry_times < 1 or base <= 0:
        return 0.0
    return min(cap, base * 2 ** (retry_times - 1))


def with_backoff(request: Request, base: float, cap: float) -> Request:
    """Mark a retry REQUEST (made by get_retry_request) to wait its backoff before it is sent."""
    wait = backoff_seconds(request.meta.get("retry_times", 0), base, cap)
    request.meta[RETRY_AT] = time.monotonic() + wait
    return request


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(
        self,
        crawler: Crawler,
        max_wait: float = 120.0,
        backoff: float = 1.0,
        backoff_max: float = 30.0,
    ):
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = max_wait
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.resume_at: dict[str, float] = {}  # host -> monotonic time it may be asked again
        self.held_at: dict[str, float] = {}  # host -> when its latest hold was set

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        return cls(
            crawler,
            max_wait=setting_float(settings, "NEWSCRAWL_RETRY_AFTER_MAX"),
            backoff=setting_float(settings, "NEWSCRAWL_RETRY_BACKOFF"),
            backoff_max=setting_float(settings, "NEWSCRAWL_RETRY_BACKOFF_MAX"),
        )

    async def process_request(self, request: Request) -> None:
        until = max(self.resume_at.get(_host(request), 0.0), request.meta.get(RETRY_AT, 0.0))
        wait = until - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        request.meta[SENT_AT] = time.monotonic()

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        return self._delayed(super().process_exception(request, exception))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        asked_until = 0.0  # the retry of this request waits at least what the server asked
        wait = asked_wait(request, response, self.max_wait)
        if wait is not None:
            now = time.monotonic()
            asked_until = now + wait
            self._hold_host(request, now, wait)
        result = self._delayed(super().process_response(request, response))
        if isinstance(result, Request):
            result.meta[RETRY_AT] = max(result.meta[RETRY_AT], asked_until)
        return result

    def _hold_host(self, request: Request, now: float, wait: float) -> None:
        """Every request to the host waits too. An answer to a request sent before the current
        hold began tells nothing new: holding again for it would let one request through per
        wait during an outage."""
        host = _host(request)
        if request.meta.get(SENT_AT, 0.0) < self.held_at.get(host, -1.0):
            return
        self.held_at[host] = now
        self.resume_at[host] = max(self.resume_at.get(host, 0.0), now + wait)
        self._hold_slot(request, wait)
        self.crawler.stats.inc_value(RETRY_AFTER_HONOURED)

    def _delayed(self, result: Any) -> Any:
        """A retry request waits its backoff; anything else passes unchanged."""
        if isinstance(result, Request):
            return with_backoff(result, self.backoff, self.backoff_max)
        return result

    def _hold_slot(self, request: Request, wait: float) -> None:
        """Requests already queued in the host's download slot wait too. Scrapy spaces a slot's
        requests `delay` seconds after `lastseen`: moving lastseen holds them (slots with a
        delay, as on every real site here; loopback slots have none and are not held)."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        slot = downloader.slots.get(request.meta.get("download_slot", "")) if downloader else None
        if slot is not None and slot.delay:
            slot.lastseen = max(slot.lastseen, time.monotonic() + wait - slot.delay)


def _host(request: Request) -> str:
    return urlparse_cached(request).netloc
