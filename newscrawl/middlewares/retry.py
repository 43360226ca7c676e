"""Retries that honour `Retry-After` on 429 and 503.

Scrapy retries such answers at once. Here the whole host waits: requests to it are held until
the time the server asked for (capped by NEWSCRAWL_RETRY_AFTER_MAX seconds), then retried as usual
(RETRY_TIMES, RETRY_HTTP_CODES).
"""

from __future__ import annotations

import asyncio
import time
from email.utils import parsedate_to_datetime

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached

RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent
    or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler, max_wait: float = 120.0):
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = max_wait
        self.resume_at: dict[str, float] = {}  # host -> monotonic time it may be asked again

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler, crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 120.0))

    async def process_request(self, request: Request) -> None:
        wait = self.resume_at.get(_host(request), 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status in RETRY_AFTER_STATUSES and not request.meta.get("dont_retry"):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None:
                wait = min(wait, self.max_wait)
                host = _host(request)
                self.resume_at[host] = max(self.resume_at.get(host, 0.0), time.monotonic() + wait)
                self._hold_slot(request, wait)
                self.crawler.stats.inc_value("newscrawl/retry_after/honoured")
        return super().process_response(request, response)

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
