"""AutoThrottle for the sites we crawl, never for hosts we run ourselves (the loopback replica):
Scrapy's would slow a local crawl down to its start delay."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle as ScrapyAutoThrottle
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached


class AutoThrottle(ScrapyAutoThrottle):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.unthrottled = set(crawler.settings.getlist("NEWSCRAWL_UNTHROTTLED_HOSTS"))

    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if urlparse_cached(request).hostname in self.unthrottled:
            return
        super()._response_downloaded(response, request, spider)
