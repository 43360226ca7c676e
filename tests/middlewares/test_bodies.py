from __future__ import annotations

import gzip
import time
import zlib

import brotli
import pytest
from scrapy.http import HtmlResponse, Request, Response

from newscrawl.compat import DecompressionMaxSizeExceeded
from newscrawl.exceptions import IncompleteBody, RefusedRequest
from newscrawl.middlewares.bodies import (
    GZIP_WBITS,
    BodyIntegrityMiddleware,
    TruncatedStream,
    decompress_strictly,
    unbrotli_strictly,
)
from newscrawl.request_meta import RETRY_AT
from tests.middlewares.conftest import project_crawler

PAGE = b"<html><body>" + b"<p>The cabinet approved the plan.</p>" * 400 + b"</body></html>"
URL = "http://127.0.0.1:8765/politics/politics-government/20240101-1/"


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body, mtime=0)


def bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, GZIP_WBITS)
    chunk = b"\0" * (1 << 20)
    return b"".join(compressor.compress(chunk) for _ in range(size >> 20)) + compressor.flush()


def test_whole_streams_decompress() -> None:
    assert decompress_strictly(gzipped(PAGE), GZIP_WBITS, 0) == PAGE
    assert decompress_strictly(zlib.compress(PAGE), zlib.MAX_WBITS, 0) == PAGE


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.99])
def test_streams_cut_short_are_refused(cut: float) -> None:
    data = gzipped(PAGE)
    with pytest.raises(TruncatedStream):
        decompress_strictly(data[: int(len(data) * cut)], GZIP_WBITS, 0)


def test_a_bomb_stops_at_the_limit() -> None:
    data = bomb(64 << 20)
    assert len(data) < 1 << 20
    with pytest.raises(DecompressionMaxSizeExceeded):
        decompress_strictly(data, GZIP_WBITS, 1 << 20)


def middleware(**settings) -> BodyIntegrityMiddleware:
    return BodyIntegrityMiddleware.from_crawler(project_crawler(**settings))


def page_request() -> Request:
    return Request(URL, meta={"newscrawl_kind": "article"})


def gzip_response(request: Request, body: bytes) -> Response:
    headers = {"Content-Encoding": "gzip", "Content-Type": "text/html; charset=UTF-8"}
    return Response(URL, body=body, headers=headers, request=request)


def test_a_whole_gzip_page_is_read() -> None:
    request = page_request()
    result = middleware().process_response(request, gzip_response(request, gzipped(PAGE)))
    assert isinstance(result, HtmlResponse) and result.body == PAGE


def test_a_truncated_page_is_retried_with_backoff_then_fails() -> None:
    mw = middleware(RETRY_TIMES=2, NEWSCRAWL_RETRY_BACKOFF=0.5)
    request = page_request()
    whole = gzipped(PAGE)
    cut = whole[: len(whole) // 2]
    for attempt in (1, 2):
        before = time.monotonic()
        retry = mw.process_response(request, gzip_response(request, cut))
        assert isinstance(retry, Request) and retry.url == URL
        assert retry.meta["retry_times"] == attempt
        assert retry.meta[RETRY_AT] - before >= 0.5 * 2 ** (attempt - 1)
        request = retry
    with pytest.raises(IncompleteBody, match="truncated"):
        mw.process_response(request, gzip_response(request, cut))
    assert mw.crawler.stats.get_value("newscrawl/bodies/truncated") == 3


def test_an_empty_page_is_retried_but_an_empty_robots_txt_is_not() -> None:
    mw = middleware()
    request = page_request()
    retry = mw.process_response(request, HtmlResponse(URL, body=b"", request=request))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    robots = Request("http://127.0.0.1:8765/robots.txt")
    empty = Response(robots.url, body=b"", request=robots)
    assert mw.process_response(robots, empty) is empty
    not_found = HtmlResponse(URL, status=404, body=b"", request=request)
    assert mw.process_response(request, not_found) is not_found


def test_a_bomb_is_refused_as_too_large() -> None:
    mw = middleware(DOWNLOAD_MAXSIZE=1 << 20)
    request = page_request()
    with pytest.raises(RefusedRequest) as refused:
        mw.process_response(request, gzip_response(request, bomb(8 << 20)))
    assert refused.value.reason == "too_large"
    assert mw.crawler.stats.get_value("newscrawl/bodies/too_large") == 1


def test_every_gzip_member_is_read_and_padding_is_not_a_member() -> None:
    two = gzipped(PAGE[:1000]) + gzipped(PAGE[1000:])
    assert decompress_strictly(two, GZIP_WBITS, 0) == PAGE
    assert decompress_strictly(gzipped(PAGE) + b"\0\0\0\0", GZIP_WBITS, 0) == PAGE
    with pytest.raises(TruncatedStream):
        decompress_strictly(two[:-10], GZIP_WBITS, 0)


def test_brotli_is_checked_for_its_end_too() -> None:
    whole = brotli.compress(PAGE)
    assert unbrotli_strictly(whole, 0) == PAGE
    with pytest.raises(TruncatedStream):
        unbrotli_strictly(whole[: len(whole) // 2], 0)
    mw = middleware()
    request = page_request()
    cut = Response(
        URL,
        body=whole[: len(whole) * 9 // 10],
        headers={"Content-Encoding": "br", "Content-Type": "text/html"},
        request=request,
    )
    assert isinstance(mw.process_response(request, cut), Request)


def test_zstd_is_not_asked_for() -> None:
    request = page_request()
    middleware().process_request(request)
    assert request.headers["Accept-Encoding"] == b"gzip, deflate, br"


@pytest.mark.parametrize("status", [200, 204, 304, 404])
def test_an_empty_compressed_body_is_whole(status: int) -> None:
    robots = Request("http://127.0.0.1:8765/robots.txt")
    empty = Response(robots.url, status=status, body=b"", headers={"Content-Encoding": "gzip"})
    result = middleware().process_response(robots, empty)
    assert isinstance(result, Response) and result.body == b""
