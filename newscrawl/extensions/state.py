"""Opens the crawl state of scheduled runs (NEWSCRAWL_STATE) for the spider, pipelines and feeds.

The lock is taken when the crawler starts, before any request. When another run holds it, the
revisions pipeline closes the spider at once with the reason `state_locked`.

With a shared frontier (NEWSCRAWL_FRONTIER) the state is the frontier's Redis one
(newscrawl.frontier.state), with the same interface; the last worker out of a crawl records the
complete listings (newscrawl.frontier.scheduler). A local SQLite state the `crawl` command opened
(and locked) is only closed at the end.

It also claims exported articles: the JSON lines exporters report each line they wrote
(`line_written`), and once an item has been through every feed (`item_scraped`, which Scrapy's
FeedExporter, an earlier extension, receives first) the article is claimed if as many local feeds as
the settings name (`newscrawl.feeds.followed_feed_count`) hold its line. At the end of the run, what
a failed feed left unclaimed is settled by the state's one rule (cut from the other feeds; the next
run exports it again everywhere)."""

from __future__ import annotations

import logging
import os
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.extensions.health import feed_failed
from newscrawl.feeds import followed_feed_count
from newscrawl.frontier import frontier_url
from newscrawl.paths import state_path
from newscrawl.state import _OPEN, CrawlState, ExportRecord, StateLocked, open_state

logger = logging.getLogger(__name__)


class StateExtension:
    def __init__(self, crawler: Crawler, path: str, lock_timeout: float = 0.0, frontier: str = ""):
        self.crawler = crawler
        self.state: CrawlState | None = None
        self.error: str | None = None
        self.shared = bool(frontier)
        self.local: CrawlState | None = None  # the SQLite state the command locked, if any
        self.feeds = 0  # how many local feeds this run writes (from the settings)
        # Article id -> (its record, the feeds that wrote its line) until the item is claimed.
        self.written: dict[str, tuple[ExportRecord, set[str]]] = {}
        try:
            if frontier:
                self.local = _OPEN.get(os.path.realpath(path))
                self.state = _shared_state(crawler, frontier)
                path = self.state.path
            else:
                self.state = open_state(path, lock_timeout=lock_timeout)
        except StateLocked as locked:
            self.error = str(locked)
            return
        repaired = self.state.repaired
        if any(repaired.values()):
            logger.warning(
                "state %s: settled the exports of an interrupted run: %d completed, %d cut off",
                path,
                repaired["completed"],
                repaired["cut"],
            )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        path = state_path(crawler.settings, crawler.spider)
        if not path:
            raise NotConfigured("NEWSCRAWL_STATE is empty: incremental mode is off")
        timeout = crawler.settings.getfloat("NEWSCRAWL_STATE_LOCK_TIMEOUT", 0.0)
        extension = cls(crawler, path, timeout, frontier_url(crawler.settings))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    # -- claims -----------------------------------------------------------------------------
    def spider_opened(self) -> None:
        """How many local feeds must hold an article's line before it is claimed: from the
        settings, before any feed opens, so that a feed Scrapy cannot open still counts."""
        self.feeds = followed_feed_count(self.crawler.settings)
        if self.state is not None:
            self.state.set_export_feed_count(self.feeds)

    def line_written(self, feed: str, record: ExportRecord) -> None:
        self.state.line_written(feed, record.id)
        _, feeds = self.written.setdefault(record.id, (record, set()))
        feeds.add(feed)

    def item_scraped(self, item: Any) -> None:
        """The item went through every feed: claim it if each local feed holds its line."""
        entry = self.written.pop(item.get("id"), None)
        if entry is None or self.state is None:
            return
        record, feeds = entry
        if len(feeds) >= self.feeds and self.state.claim(record, sorted(feeds), self.feeds):
            return
        self.crawler.stats.inc_value("newscrawl/feed/unclaimed")

    def engine_stopped(self) -> None:
        if self.local is not None:
            self.local.close()
            self.local = None
        if self.state is None:
            return
        if not self.shared:  # shared: the frontier's last worker out does it
            self._complete_listings()
        self._settle_unclaimed()
        self.state.close()
        self.state = None

    def _complete_listings(self) -> None:
        """A walk counts as complete if it reached its end and every article it listed was
        settled (none failed for good), in a run that finished and wrote its feeds."""
        spider = self.crawler.spider
        walked = set(getattr(spider, "completed_walks", ())) - set(
            getattr(spider, "tainted_walks", ())
        )
        stats = self.crawler.stats.get_stats()
        if walked and stats.get("finish_reason") == "finished" and not feed_failed(stats):
            self.state.complete_listings(sorted(walked))

    def _settle_unclaimed(self) -> None:
        """Lines of articles that a failed feed missed are cut from the feeds that have them:
        the next run exports those articles again, into every feed (the feeds are closed now)."""
        if not self.crawler.stats.get_value("newscrawl/feed/unclaimed"):
            return
        settled = self.state.settle_unclaimed()
        logger.warning(
            "%d articles did not reach every feed: their %d lines were cut from the other feeds,"
            " and the next run exports them again",
            self.crawler.stats.get_value("newscrawl/feed/unclaimed"),
            settled["cut"],
        )


def _shared_state(crawler: Crawler, url: str) -> CrawlState:
    """The crawl state in the frontier's Redis (imported only when the frontier is on)."""
    from newscrawl.frontier import Keys, connect
    from newscrawl.frontier.state import RedisCrawlState

    return RedisCrawlState(connect(url), Keys.of(crawler.settings, crawler.spider))


def crawl_state(crawler: Crawler) -> tuple[CrawlState | None, str | None]:
    """The open state and the reason it is unusable, for any component of a crawler."""
    try:
        extension = crawler.get_extension(StateExtension)
    except RuntimeError:  # a crawler that never starts (newscrawl extract) has no extensions
        return None, None
    if extension is None:
        return None, None
    return extension.state, extension.error
