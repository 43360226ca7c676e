"""robots.txt as the standard (RFC 9309) reads it: a server error or an unreachable robots.txt
(no answer, a body that never came whole, a redirect the host guard refused) means "disallow
everything" for this run. Scrapy allows everything in all these cases.

A robots.txt that could not be fetched because the host itself is unreachable (connection
refused, DNS lookup failed, timed out, after the retries) is a failure of the host, not a rule of
the site: the requests to that host fail with `HostUnreachable` naming the cause (the spider
counts them as failed), and the host is listed under `newscrawl/hosts/unreachable`.

A `Crawl-delay` for our user agent goes into each allowed request's meta (`CRAWL_DELAY`): one
machine does not read it (its pace is DOWNLOAD_SLOTS'), the shared frontier's per-host budget
spaces the host's requests by it when it is longer than the slot's delay.
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet import error

from newscrawl.exceptions import HostUnreachable, IncompleteBody, RefusedRequest
from newscrawl.request_meta import CRAWL_DELAY
from newscrawl.stats import HOSTS_UNREACHABLE, ROBOTSTXT_DISALLOW_ALL, append_listed

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
# What an operator reads for the usual network failures; anything else by its own message.
# Scrapy 2.19 wraps Twisted's errors in its own; the Twisted ones come through other handlers.
CAUSES: tuple[tuple[type[Exception], str], ...] = (
    (DownloadConnectionRefusedError, "connection refused"),
    (CannotResolveHostError, "DNS lookup failed"),
    (DownloadTimeoutError, "timed out"),
    (error.ConnectionRefusedError, "connection refused"),
    (error.DNSLookupError, "DNS lookup failed"),
    (error.TimeoutError, "timed out"),
    (error.TCPTimedOutError, "timed out"),
    (error.NoRouteError, "no route to host"),
)


def network_cause(exc: Exception) -> str:
    """A short description of why a host could not be reached."""
    for kind, words in CAUSES:
        if isinstance(exc, kind):
            return words
    return (str(exc) or exc.__class__.__name__)[:200]


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    def __init__(self, crawler: object) -> None:
        super().__init__(crawler)
        self._unreachable: dict[str, str] = {}  # netloc -> why it could not be reached

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._disallow_all(netloc, f"answered {response.status}")
            response = response.replace(body=DISALLOW_ALL)
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # Scrapy's IgnoreRequest here means "robots.txt itself was forbidden": allow, as Scrapy
        # does. Ours (a body that never came whole, a redirect refused) mean unreachable.
        if isinstance(exc, IgnoreRequest) and not isinstance(exc, IncompleteBody | RefusedRequest):
            super()._robots_error(exc, netloc)
            return
        if not isinstance(exc, IgnoreRequest):  # no answer at all: the host is down
            self._host_unreachable(netloc, network_cause(exc))
        else:
            self._disallow_all(netloc, f"could not be fetched ({exc.__class__.__name__})")
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        deferred = self._parsers[netloc]
        self._parsers[netloc] = parser
        deferred.callback(parser)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        cause = self._unreachable.get(urlparse_cached(request).netloc)
        if cause is not None:
            raise HostUnreachable(cause, request.url)
        super().process_request_2(rp, request)
        if rp is not None and (delay := rp.crawl_delay(self._agent(request))) is not None:
            request.meta[CRAWL_DELAY] = delay  # read by the shared frontier's budget

    def _agent(self, request: Request) -> str | bytes:
        settings = self.crawler.settings
        agent = settings.get("ROBOTSTXT_USER_AGENT") or request.headers.get(b"User-Agent")
        return agent or settings.get("USER_AGENT") or ""

    def _host_unreachable(self, netloc: str, cause: str) -> None:
        self._unreachable[netloc] = cause
        append_listed(self.crawler.stats, HOSTS_UNREACHABLE, f"{netloc} ({cause})")
        logger.error("host %s unreachable (%s): nothing on it is crawled this run", netloc, cause)

    def _disallow_all(self, netloc: str, why: str) -> None:
        self.crawler.stats.inc_value(ROBOTSTXT_DISALLOW_ALL)
        logger.error("robots.txt of %s %s: nothing on that host is crawled this run", netloc, why)
