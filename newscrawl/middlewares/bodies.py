"""Response bodies are whole, or not read at all.

Replaces Scrapy's HttpCompressionMiddleware (same place, same decoding), with three changes:
- A gzip, deflate or brotli stream that ends before its end marker (a body cut short behind a
  valid Content-Length) is retried, not read: Scrapy returns "as much as possible" of it, which a
  parser takes for a whole, shorter page. zstd, which cannot be checked here, is not asked for.
- An empty 200 answer to a page request (listing, article, sitemap, feed) is retried too.
  Both use the retry budget and backoff of middlewares/retry; after the last retry the request
  fails with IncompleteBody.
- A body that decompresses past DOWNLOAD_MAXSIZE is refused as `too_large` (RefusedRequest):
  Scrapy stops decompressing at the limit, so memory stays bounded by it.
"""

from __future__ import annotations

import zlib
from typing import Any

try:
    import brotli
except ImportError:  # Scrapy takes either
    import brotlicffi as brotli

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response

from newscrawl.compat import CompressionMiddleware, DecompressionMaxSizeExceeded
from newscrawl.defaults import setting_float
from newscrawl.exceptions import IncompleteBody, RefusedRequest
from newscrawl.middlewares.retry import with_backoff
from newscrawl.request_meta import KIND
from newscrawl.stats import BODIES_RETRIED, BODIES_TOO_LARGE

CHUNK = 64 * 1024
ACCEPT_ENCODING = b"gzip, deflate, br"
GZIP_WBITS = 16 + zlib.MAX_WBITS
GZIP_MAGIC = b"\x1f\x8b"


class TruncatedStream(ValueError):
    """A compressed body whose stream has no end."""


def decompress_strictly(body: bytes, wbits: int, max_size: int) -> bytes:
    """Decompress a gzip (GZIP_WBITS) or zlib/deflate stream, chunk by chunk up to MAX_SIZE
    bytes; raise TruncatedStream when it stops before its end marker. A gzip body may hold
    several members, one after the other: all are read."""
    out: list[bytes] = []
    size, data = 0, body
    while data:
        decompressor = zlib.decompressobj(wbits)
        try:
            while data and not decompressor.eof:
                chunk = decompressor.decompress(data, CHUNK)
                size = _grow(size, len(chunk), max_size)
                out.append(chunk)
                data = decompressor.unconsumed_tail
        except zlib.error as error:
            raise TruncatedStream(str(error)) from error
        if not decompressor.eof:
            raise TruncatedStream("the stream ends before its end marker")
        data = decompressor.unused_data if wbits == GZIP_WBITS else b""
        if not data.startswith(GZIP_MAGIC):  # padding after the last member is not a member
            data = b""
    return b"".join(out)


def unbrotli_strictly(body: bytes, max_size: int) -> bytes:
    """Decompress a brotli stream up to MAX_SIZE bytes; raise TruncatedStream when it stops
    before its end."""
    decompressor = brotli.Decompressor()
    out: list[bytes] = []
    size = 0
    try:
        chunk = decompressor.process(body, output_buffer_limit=CHUNK)
        while chunk:
            size = _grow(size, len(chunk), max_size)
            out.append(chunk)
            if decompressor.is_finished():
                break
            chunk = decompressor.process(b"", output_buffer_limit=CHUNK)
    except brotli.error as error:
        raise TruncatedStream(str(error)) from error
    if not decompressor.is_finished():
        raise TruncatedStream("the stream ends before its end marker")
    return b"".join(out)


def _grow(size: int, more: int, max_size: int) -> int:
    size += more
    if max_size and size > max_size:
        raise DecompressionMaxSizeExceeded(size, max_size)
    return size


class BodyIntegrityMiddleware(CompressionMiddleware):
    def __init__(self, crawler: Crawler, backoff: float = 1.0, backoff_max: float = 30.0):
        super().__init__(crawler=crawler)
        self.crawler = crawler
        self.backoff = backoff
        self.backoff_max = backoff_max

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BodyIntegrityMiddleware:
        settings = crawler.settings
        if not settings.getbool("COMPRESSION_ENABLED"):  # as Scrapy's middleware does
            raise NotConfigured
        return cls(
            crawler,
            backoff=setting_float(settings, "NEWSCRAWL_RETRY_BACKOFF"),
            backoff_max=setting_float(settings, "NEWSCRAWL_RETRY_BACKOFF_MAX"),
        )

    def process_request(self, request: Request, spider: Any = None) -> None:
        # zstd is not asked for: only what can be checked for completeness here
        request.headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)

    def decode(self, body: bytes, encoding: bytes, max_size: int) -> bytes:
        if not body:  # an empty body (a 204, a 304, an empty robots.txt) is whole
            return body
        if encoding == b"br":
            return unbrotli_strictly(body, max_size)
        if encoding in {b"gzip", b"x-gzip"}:
            return decompress_strictly(body, GZIP_WBITS, max_size)
        if encoding == b"deflate":
            try:
                return decompress_strictly(body, zlib.MAX_WBITS, max_size)
            except TruncatedStream:  # raw deflate, as some servers send it
                return decompress_strictly(body, -zlib.MAX_WBITS, max_size)
        return super().decode(body, encoding, max_size)  # zstd, never asked for

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        try:
            result = super().process_response(request, response)
        except TruncatedStream:
            return self._retry(request, "truncated")
        except IgnoreRequest as error:
            if isinstance(error.__cause__, DecompressionMaxSizeExceeded):
                self.crawler.stats.inc_value(BODIES_TOO_LARGE)
                raise RefusedRequest("too_large", request.url, str(error.__cause__)) from error
            raise
        if (
            isinstance(result, Response)
            and result.status == 200
            and not result.body
            and request.meta.get(KIND)
        ):
            return self._retry(request, "empty")
        return result

    def _retry(self, request: Request, reason: str) -> Request:
        self.crawler.stats.inc_value(BODIES_RETRIED[reason])
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{reason}_body")
        if retry is None:
            raise IncompleteBody(reason, request.url)
        return with_backoff(retry, self.backoff, self.backoff_max)
