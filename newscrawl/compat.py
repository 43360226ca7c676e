"""Every Scrapy internal newscrawl relies on, in one module, each behind a name of its own.

Scrapy has no public API for these jobs (its public ones are used everywhere else: AutoThrottle's
`autothrottle_dont_adjust_delay` meta key, `CrawlerProcess.create_crawler`). A Scrapy release
may change them without notice: tests/test_compat.py fails, naming the internal, when one is
missing or its signature changed, and pyproject.toml bounds Scrapy to the versions it passed on.

- `EngineSlot`: the engine's slot of the open spider (`ExecutionEngine._slot`), for the shared
  frontier: the moment the engine forgets a request (`_slot.remove_request`) and a nudge to the
  engine to ask the scheduler again (`_slot.nextcall.schedule()`), and whether it is closing
  (`_slot.closing`).
- `CompressionMiddleware`: Scrapy's HttpCompressionMiddleware, with its decoding of one content
  encoding (the private static `_decode`) open to subclasses as `decode`.
- `NO_DELAY_JITTER`: the settings that switch off the random jitter of download delays:
  `DOWNLOAD_DELAY_JITTER` since Scrapy 2.19, which deprecates `RANDOMIZE_DOWNLOAD_DELAY`.
- `DecompressionMaxSizeExceeded`: what a decoder raises past DOWNLOAD_MAXSIZE
  (`scrapy.utils._compression._DecompressionMaxSizeExceeded`): Scrapy's middleware turns it into
  IgnoreRequest, with the error as its cause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import Request
from scrapy.settings import default_settings
from scrapy.utils._compression import _DecompressionMaxSizeExceeded

DecompressionMaxSizeExceeded = _DecompressionMaxSizeExceeded
NO_DELAY_JITTER: dict[str, Any] = (
    {"DOWNLOAD_DELAY_JITTER": 0.0}
    if hasattr(default_settings, "DOWNLOAD_DELAY_JITTER")
    else {"RANDOMIZE_DOWNLOAD_DELAY": False}
)


class ScrapyInternalMissing(RuntimeError):
    """A Scrapy internal newscrawl relies on is not there (in this Scrapy version)."""


class EngineSlot:
    """The engine's slot of the open spider: exists from the engine's `open_spider` (before
    `spider_opened` is sent) to the spider's close."""

    def __init__(self, engine: Any) -> None:
        slot = getattr(engine, "_slot", None)
        if not callable(getattr(slot, "remove_request", None)):
            raise ScrapyInternalMissing("no engine._slot.remove_request")
        if not callable(getattr(getattr(slot, "nextcall", None), "schedule", None)):
            raise ScrapyInternalMissing("no engine._slot.nextcall.schedule")
        self.slot = slot

    def on_request_removed(self, hook: Callable[[Request], None]) -> None:
        """Call HOOK(request) when the engine drops a request it was working on: after its
        response and all it gave were handled, or its failure was, or the retry or redirect
        that replaced it was scheduled. The engine has no signal for that moment."""
        remove = self.slot.remove_request

        def remove_request(request: Request) -> None:
            hook(request)
            remove(request)

        self.slot.remove_request = remove_request

    @property
    def closing(self) -> bool:
        """Whether the engine has begun closing the spider (it then waits for every request in
        progress to end)."""
        return getattr(self.slot, "closing", None) is not None

    def wake(self) -> None:
        """Have the engine ask the scheduler for requests again soon (it does on its own only
        every few seconds, or when a request ends)."""
        self.slot.nextcall.schedule()


class CompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware: `process_response` decodes a body once per content
    encoding, through `decode`, which a subclass may override (Scrapy's own by default)."""

    def _decode(self, body: bytes, encoding: bytes, max_size: int) -> bytes:  # type: ignore[override]
        return self.decode(body, encoding, max_size)

    def decode(self, body: bytes, encoding: bytes, max_size: int) -> bytes:
        return HttpCompressionMiddleware._decode(body, encoding, max_size)
