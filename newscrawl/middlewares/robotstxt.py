"""robots.txt as the standard (RFC 9309) reads it: a server error or an unreachable robots.txt
(no answer, a body that never came whole, a redirect the host guard refused) means "disallow
everything" for this run. Scrapy allows everything in all these cases."""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.misc import build_from_crawler

from newscrawl.exceptions import IncompleteBody, RefusedRequest

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
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
        self._disallow_all(netloc, f"could not be fetched ({exc.__class__.__name__})")
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        deferred = self._parsers[netloc]
        self._parsers[netloc] = parser
        deferred.callback(parser)

    def _disallow_all(self, netloc: str, why: str) -> None:
        self.crawler.stats.inc_value("newscrawl/robotstxt/disallow_all")
        logger.error("robots.txt of %s %s: nothing on that host is crawled this run", netloc, why)
