"""A page is read in the charset its bytes are in, not the one a lying header names.

Scrapy trusts the Content-Type header: a UTF-8 page under `charset=Shift_JIS` is exported as
"Parties窶冱", a windows-1252 page under `charset=UTF-8` with a U+FFFD for every curly quote.
The decision is `newscrawl.charset.choose` (valid UTF-8 with non-ASCII is UTF-8; else the page's
own declaration, the header, UTF-8, the first that reads cleanly). When it differs from Scrapy's
reading the response is read so, counted as `newscrawl/charset/repaired`.

A page that reads cleanly in none of them is damaged: counted as `newscrawl/charset/damaged`
(and listed under `newscrawl/charset/damaged_urls`) and marked in its
request's meta (`DAMAGED_META`), so that `CharsetFlagMiddleware` flags the items read from it
(`charset_damaged`).
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.statscollectors import StatsCollector

from newscrawl import charset
from newscrawl.stats import CHARSET_DAMAGED, CHARSET_DAMAGED_URLS, CHARSET_REPAIRED, append_listed

DAMAGED_META = "newscrawl_charset_damaged"


class CharsetMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse | XmlResponse) or not response.body:
            return response
        current = charset.codec(response.encoding) or charset.UTF8
        if response.body.isascii() and charset.ascii_compatible(current):
            return response  # the same text in any reading: the common case costs nothing
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        reading = charset.choose_for(response.body, content_type or None)
        if not reading.clean:
            self._damaged(request, response.url)
        if reading.encoding == current:
            return response
        if reading.clean:
            self.stats.inc_value(CHARSET_REPAIRED)
        return response.replace(encoding=reading.encoding)

    def _damaged(self, request: Request, url: str) -> None:
        request.meta[DAMAGED_META] = True  # response.meta is the request's
        self.stats.inc_value(CHARSET_DAMAGED)
        append_listed(self.stats, CHARSET_DAMAGED_URLS, url)
