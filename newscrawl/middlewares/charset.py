"""A page whose bytes are not in the charset its HTTP header names is read in the charset the
page itself declares.

Browsers and Scrapy trust the header. A server that says `charset=UTF-8` in front of a
windows-1252 page (with `<meta charset="windows-1252">` inside) would make every curly quote,
yen sign and accented name a U+FFFD in the export. Here the header stays the first choice; only
when the body is not valid in it does the page's own declaration win, if the body is valid in
that, and the body does not read mostly right in the header's charset anyway (a UTF-8 page with
one damaged character stays UTF-8). Counted as `newscrawl/charset/repaired`; other bodies
invalid in the header's charset are left to Scrapy and counted as `newscrawl/charset/damaged`
(mostly right) or `newscrawl/charset/undecodable`.
"""

from __future__ import annotations

import codecs

from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.statscollectors import StatsCollector
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

# Single-byte charsets decode any bytes: a body "valid" in one proves nothing.
_PERMISSIVE = frozenset({"latin_1", "iso8859-1"})


def decodes(body: bytes, encoding: str) -> bool:
    try:
        codecs.decode(body, encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def mostly_valid(body: bytes, encoding: str) -> bool:
    """Whether BODY, not wholly valid in ENCODING, still reads mostly right in it: more non-ASCII
    characters decode than fail (a windows-1252 page read as UTF-8 has almost none that do)."""
    text = codecs.decode(body, encoding, errors="replace")
    failed = text.count("\ufffd")
    decoded = sum(1 for char in text if char > "\x7f") - failed
    return decoded > failed


class CharsetMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse | XmlResponse) or not response.body:
            return response
        header = http_content_type_encoding(
            response.headers.get(b"Content-Type", b"").decode("latin-1")
        )
        if not header or codecs.lookup(header).name in _PERMISSIVE:
            return response  # no header claim, or one any bytes satisfy: Scrapy's rules apply
        # The text Scrapy reads is decoded once and kept for the spider: only a page whose text
        # holds a replacement character pays for a second, strict decode.
        if "\ufffd" not in response.text or decodes(response.body, header):
            return response
        if mostly_valid(response.body, header):
            # a page in its header's charset with a few damaged characters (an excerpt cut in
            # the middle of one): read it so, whatever an old meta tag says
            self.stats.inc_value("newscrawl/charset/damaged")
            return response
        declared = html_body_declared_encoding(response.body)
        if declared and declared != header and decodes(response.body, declared):
            self.stats.inc_value("newscrawl/charset/repaired")
            return response.replace(encoding=declared)
        self.stats.inc_value("newscrawl/charset/undecodable")
        return response
