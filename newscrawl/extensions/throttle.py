"""AutoThrottle for the sites we crawl, never for hosts we run ourselves (the loopback replica):
Scrapy's would slow a local crawl down to its start delay.

Scrapy's own extension, told per request through its public `autothrottle_dont_adjust_delay`
meta key (Scrapy 2.12+), set when a request reaches the downloader: a response from an
unthrottled host leaves its slot's delay alone (the replica's slots have no delay of their own,
DOWNLOAD_SLOTS in settings.py)."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle as ScrapyAutoThrottle
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from newscrawl.defaults import setting_list

DONT_ADJUST = "autothrottle_dont_adjust_delay"


class AutoThrottle(ScrapyAutoThrottle):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.unthrottled = set(setting_list(crawler.settings, "NEWSCRAWL_UNTHROTTLED_HOSTS"))
        crawler.signals.connect(self.request_reached, signal=signals.request_reached_downloader)

    def request_reached(self, request: Request, spider: Spider) -> None:
        # By the host alone, as a redirect or a retry copies the meta of the request before it.
        if urlparse_cached(request).hostname in self.unthrottled:
            request.meta[DONT_ADJUST] = True
        else:
            request.meta.pop(DONT_ADJUST, None)
