"""Stop the run when a host is down, instead of retrying into it for hours.

Every answer of a host passes here before the retry middleware sees it. After
NEWSCRAWL_BREAKER_ERRORS answers in a row that are server errors (5xx), 429s or download errors
(timeouts, resets, refused connections), the run closes with finish reason `site_unavailable`:
the exit status is 1 and the crawl state keeps what was not exported, so the next scheduled run
resumes. Any other answer resets the count. 0 switches the breaker off.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached

from newscrawl.defaults import setting_int
from newscrawl.host_answers import SITE_UNAVAILABLE, counts_as_error
from newscrawl.stats import BREAKER_TRIPPED

logger = logging.getLogger(__name__)

FINISH_REASON = SITE_UNAVAILABLE


class CircuitBreakerMiddleware:
    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.in_a_row: dict[str, int] = {}  # host -> errors in a row
        self.tripped = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CircuitBreakerMiddleware:
        limit = setting_int(crawler.settings, "NEWSCRAWL_BREAKER_ERRORS")
        if limit <= 0:
            raise NotConfigured("NEWSCRAWL_BREAKER_ERRORS is 0")
        return cls(crawler, limit)

    def process_request(self, request: Request) -> None:
        if self.tripped:  # a retry that waited out its backoff while the run was stopping
            raise IgnoreRequest(f"not sent: the run is stopping ({FINISH_REASON})")

    def process_response(self, request: Request, response: Response) -> Response:
        if counts_as_error(response.status):
            self._error(request, f"HTTP {response.status}")
        else:
            self.in_a_row[_host(request)] = 0
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest):  # our own refusals say nothing of the host
            self._error(request, exception.__class__.__name__)

    def _error(self, request: Request, what: str) -> None:
        host = _host(request)
        self.in_a_row[host] = count = self.in_a_row.get(host, 0) + 1
        if count < self.limit or self.tripped:
            return
        self.tripped = True
        self.crawler.stats.set_value(BREAKER_TRIPPED, host)
        logger.error(
            "%s answered %d errors in a row (the last: %s): stopping this run; the next run "
            "resumes where it stopped",
            host,
            count,
            what,
        )
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=FINISH_REASON))


def _host(request: Request) -> str:
    return urlparse_cached(request).netloc
