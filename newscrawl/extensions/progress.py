"""Progress of a backfill: a live line on a terminal, a log line at a fixed interval otherwise.

Shows listing pages walked, articles exported, the oldest date reached against the window, the
rate and an estimate of the time left. Listings are newest first, so the walk moves from `until`
down to `since`: the share of the window's days it has covered, times the share of the articles
found so far that are exported, estimates how far the backfill has got.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from tqdm import tqdm
from twisted.internet.task import LoopingCall

from newscrawl.pipelines.timestamps import TOKYO

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    pages: int
    exported: int
    requested: int
    elapsed: float
    oldest: date | None
    frontier: date | None
    since: date | None
    until: date

    @property
    def covered(self) -> float | None:
        """Share of the window's days walked, or None when the window has no start."""
        if self.since is None or self.frontier is None:
            return None
        days = (self.until - self.since).days + 1
        return min(1.0, max(0.0, ((self.until - self.frontier).days + 1) / days))

    @property
    def done(self) -> float | None:
        covered = self.covered
        if covered is None or not self.requested:
            return covered
        return covered * min(1.0, self.exported / self.requested)

    @property
    def seconds_left(self) -> float | None:
        done = self.done
        if not done or done >= 1.0:
            return None
        return self.elapsed * (1 - done) / done

    def line(self) -> str:
        rate = self.exported / self.elapsed if self.elapsed > 0 else 0.0
        window = f"{self.since or '…'}..{self.until}"
        text = (
            f"{self.pages} listing pages, {self.exported} articles ({rate:.1f}/s), "
            f"oldest {self.oldest or '-'} of {window}"
        )
        if self.done is not None:
            text += f", {self.done:.0%} done"
        if (left := self.seconds_left) is not None:
            text += f", about {_duration(left)} left"
        return text


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s"


class BackfillProgress:
    def __init__(self, crawler: Crawler, interval: float, terminal: bool):
        self.crawler = crawler
        self.interval = interval
        self.terminal = terminal
        self.started = time.monotonic()
        self.loop: LoopingCall | None = None
        self.bar: tqdm | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackfillProgress:
        interval = crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 60.0)
        if interval <= 0:
            raise NotConfigured("NEWSCRAWL_PROGRESS_INTERVAL is 0")
        extension = cls(crawler, interval, terminal=sys.stderr.isatty())
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        if not getattr(spider, "backfill", False):
            return
        self.started = time.monotonic()
        if self.terminal:
            self.bar = tqdm(total=100, unit="%", desc="backfill", file=sys.stderr, leave=True)
        self.loop = LoopingCall(self.tick)
        self.loop.start(1.0 if self.terminal else self.interval, now=False)

    def snapshot(self) -> Snapshot:
        spider: Any = self.crawler.spider
        stats = self.crawler.stats
        return Snapshot(
            pages=stats.get_value("newscrawl/listing/pages", 0),
            exported=stats.get_value("item_scraped_count", 0),
            requested=stats.get_value("newscrawl/articles/requested", 0),
            elapsed=time.monotonic() - self.started,
            oldest=spider.oldest_reached,
            # The listing that has got least far sets the pace; finished ones are done.
            frontier=max(spider.walk_frontier.values(), default=spider.oldest_reached),
            since=spider.window.since,
            until=spider.window.until or datetime.now(TOKYO).date(),
        )

    def tick(self) -> None:
        snapshot = self.snapshot()
        if self.bar is not None:
            self.bar.n = round((snapshot.done or 0.0) * 100)
            self.bar.set_postfix_str(snapshot.line(), refresh=True)
        else:
            logger.info("progress: %s", snapshot.line())

    def spider_closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.bar is not None:
            self.bar.close()
        if getattr(spider, "backfill", False):
            logger.info("progress at the end: %s", self.snapshot().line())
