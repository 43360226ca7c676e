"""Each Scrapy internal newscrawl/compat.py relies on is still there, with the signature it is
used with: a Scrapy release that changes one fails here, naming it, not in a crawl."""

from __future__ import annotations

import gzip
import inspect
import subprocess
import sys
import textwrap

import pytest
from scrapy.core.engine import ExecutionEngine
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newscrawl import compat


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_the_engine_keeps_its_slot_in_engine_slot() -> None:
    source = inspect.getsource(ExecutionEngine)
    assert "self._slot = _Slot(" in source, "Scrapy changed ExecutionEngine._slot"
    from scrapy.core import engine

    slot = getattr(engine, "_Slot", None)
    assert slot is not None, "Scrapy changed scrapy.core.engine._Slot"
    assert parameters(slot.remove_request) == ["self", "request"], "_Slot.remove_request"
    assert "nextcall" in parameters(slot.__init__), "Scrapy changed _Slot.nextcall"
    assert "self.nextcall" in inspect.getsource(slot), "Scrapy changed _Slot.nextcall"
    assert "self._slot.remove_request(" in source, "the engine no longer calls remove_request"
    # EngineSlot.closing: set when the engine starts closing the spider
    assert "self.closing" in inspect.getsource(slot), "Scrapy changed _Slot.closing"
    assert "self._slot.closing is not None" in source, "Scrapy changed how it marks closing"


def test_an_engine_without_its_slot_is_named() -> None:
    with pytest.raises(compat.ScrapyInternalMissing, match=r"engine\._slot\.remove_request"):
        compat.EngineSlot(object())


ENGINE_PROBE = textwrap.dedent(
    """
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from newscrawl.compat import EngineSlot

    removed, woken = [], []

    class Probe(scrapy.Spider):
        name = "probe"
        start_urls = ["data:,one", "data:,two"]

        @classmethod
        def from_crawler(cls, crawler, *args, **kwargs):
            spider = super().from_crawler(crawler, *args, **kwargs)
            crawler.signals.connect(spider.opened, signal=signals.spider_opened)
            return spider

        def opened(self):
            slot = EngineSlot(self.crawler.engine)
            slot.on_request_removed(lambda request: removed.append(request.url))
            slot.wake()
            woken.append(True)

        def parse(self, response):
            return None

    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False})
    process.crawl(Probe)
    process.start()
    print(sorted(removed), woken)
    """
)


def test_the_engine_slot_tells_each_request_it_drops_and_wakes() -> None:
    """A real crawl (in a process of its own: one reactor per process): the hook sees each
    request the engine is done with, and the nudge schedules the engine's next call."""
    done = subprocess.run(
        [sys.executable, "-c", ENGINE_PROBE], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['data:,one', 'data:,two'] [True]", done.stderr


def test_the_compression_middleware_decodes_through_decode() -> None:
    signature = inspect.signature(HttpCompressionMiddleware._decode)
    assert list(signature.parameters) == ["body", "encoding", "max_size"], "_decode changed"
    assert isinstance(inspect.getattr_static(HttpCompressionMiddleware, "_decode"), staticmethod)
    assert "self._decode(" in inspect.getsource(HttpCompressionMiddleware), "_decode unused"

    seen = []

    class Probe(compat.CompressionMiddleware):
        def decode(self, body: bytes, encoding: bytes, max_size: int) -> bytes:
            seen.append((encoding, max_size))
            return super().decode(body, encoding, max_size)

    middleware = Probe.from_crawler(get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 1000}))
    response = HtmlResponse(
        "https://example.com/",
        body=gzip.compress(b"<p>whole</p>"),
        headers={"Content-Encoding": "gzip"},
    )
    decoded = middleware.process_response(Request(response.url), response)
    assert decoded.body == b"<p>whole</p>" and seen == [(b"gzip", 1000)]


def test_a_decoder_past_the_size_limit_is_refused_by_scrapy_with_its_cause() -> None:
    assert parameters(compat.DecompressionMaxSizeExceeded.__init__)[1:] == [
        "decompressed_size",
        "max_size",
    ], "Scrapy changed _DecompressionMaxSizeExceeded"

    class TooLarge(compat.CompressionMiddleware):
        def decode(self, body: bytes, encoding: bytes, max_size: int) -> bytes:
            raise compat.DecompressionMaxSizeExceeded(max_size + 1, max_size)

    middleware = TooLarge.from_crawler(get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 10}))
    response = HtmlResponse("https://example.com/", body=b"x", headers={"Content-Encoding": "gzip"})
    with pytest.raises(IgnoreRequest) as refused:
        middleware.process_response(Request(response.url), response)
    assert isinstance(refused.value.__cause__, compat.DecompressionMaxSizeExceeded)
