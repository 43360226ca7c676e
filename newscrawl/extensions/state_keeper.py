"""Opens the crawl state of scheduled runs (NEWSCRAWL_STATE) for the spider, pipelines and feeds,
and registers it for them (newscrawl.state.of_crawler).

The lock is taken when the crawler starts, before any request. When another run holds it, the
revisions pipeline closes the spider at once with the reason `state_locked`.

With a shared frontier (NEWSCRAWL_FRONTIER) the state is the frontier's Redis one
(newscrawl.state.redis), with the same interface; the last worker out of a crawl records the
complete listings (newscrawl.frontier.scheduler). A local SQLite state the `crawl` command opened
(and locked) is only closed at the end.

It also claims exported articles: the JSON lines exporters report each line they wrote to the
run's export journal (newscrawl.state.journal.ExportJournal), and once an item has been through
every feed (`item_scraped`, which Scrapy's FeedExporter, an earlier extension, receives first) the
article is claimed if as many local feeds as the settings name
(`newscrawl.json_feeds.followed_feed_count`) hold its line. At the end of the run, what
a failed feed left unclaimed is settled by the state's one rule (cut from the other feeds; the next
run exports it again everywhere)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.defaults import setting_float
from newscrawl.json_feeds import feed_failed, followed_feed_count
from newscrawl.paths import state_path
from newscrawl.state import CrawlState, ExportJournal, OpenState, StateLocked, register
from newscrawl.state.redis import Keys, RedisCrawlState, connect, frontier_url
from newscrawl.state.sqlite import SqliteCrawlState, already_open, open_state
from newscrawl.stats import FEED_UNCLAIMED, FINISH_REASON

logger = logging.getLogger(__name__)


class StateKeeper:
    def __init__(self, crawler: Crawler, path: str, lock_timeout: float = 0.0, frontier: str = ""):
        self.crawler = crawler
        self.opened = OpenState()  # what the crawl's components see (newscrawl.state.of_crawler)
        register(crawler, self.opened)
        self.shared = bool(frontier)
        self.local: SqliteCrawlState | None = None  # the SQLite state the command locked, if any
        try:
            if frontier:
                self.local = already_open(path)
                self.state = _shared_state(crawler, frontier)
                path = self.state.path
            else:
                self.state = open_state(path, lock_timeout=lock_timeout)
        except StateLocked as locked:
            self.opened.error = str(locked)
            return
        self.opened.journal = ExportJournal(self.state)
        repaired = self.state.repaired
        if any(repaired.values()):
            logger.warning(
                "state %s: settled the exports of an interrupted run: %d completed, %d cut off",
                path,
                repaired["completed"],
                repaired["cut"],
            )

    @property
    def state(self) -> CrawlState | None:
        return self.opened.state

    @state.setter
    def state(self, state: CrawlState | None) -> None:
        self.opened.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateKeeper:
        path = state_path(crawler.settings, crawler.spider)
        if not path:
            raise NotConfigured("NEWSCRAWL_STATE is empty: incremental mode is off")
        timeout = setting_float(crawler.settings, "NEWSCRAWL_STATE_LOCK_TIMEOUT")
        extension = cls(crawler, path, timeout, frontier_url(crawler.settings))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    # -- claims -----------------------------------------------------------------------------
    def spider_opened(self) -> None:
        """How many local feeds must hold an article's line before it is claimed: from the
        settings, before any feed opens, so that a feed Scrapy cannot open still counts."""
        if self.opened.journal is not None:
            self.opened.journal.expect_feeds(followed_feed_count(self.crawler.settings))

    def item_scraped(self, item: Any) -> None:
        """The item went through every feed: claim it if each local feed holds its line."""
        journal = self.opened.journal
        if journal is None or self.state is None:
            return
        if journal.claim(item.get("id")) is False:
            self.crawler.stats.inc_value(FEED_UNCLAIMED)

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
        if walked and stats.get(FINISH_REASON) == "finished" and not feed_failed(stats):
            self.state.complete_listings(sorted(walked))

    def _settle_unclaimed(self) -> None:
        """Lines of articles that a failed feed missed are cut from the feeds that have them:
        the next run exports those articles again, into every feed (the feeds are closed now)."""
        if not self.crawler.stats.get_value(FEED_UNCLAIMED):
            return
        settled = self.state.settle_unclaimed()
        logger.warning(
            "%d articles did not reach every feed: their %d lines were cut from the other feeds,"
            " and the next run exports them again",
            self.crawler.stats.get_value(FEED_UNCLAIMED),
            settled["cut"],
        )


def _shared_state(crawler: Crawler, url: str) -> RedisCrawlState:
    """The crawl state in the frontier's Redis (redis-py is imported only when it is on)."""
    return RedisCrawlState(connect(url), Keys.of(crawler.settings, crawler.spider))
