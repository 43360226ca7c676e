"""Decide, against the crawl state, whether an article is new, updated or unchanged.

New articles get revision 1; an article whose content changed since its last export gets the next
revision; an unchanged one is dropped (it was exported before). Without a state (NEWSCRAWL_STATE
empty) every article is revision 1.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.items import content_hash
from newscrawl.state import CrawlState, of_crawler
from newscrawl.stats import REVISIONS_NEW, REVISIONS_UNCHANGED, REVISIONS_UPDATED, STATE_ERROR
from newscrawl.times import utc_now


class RevisionsPipeline:
    def __init__(self, stats: StatsCollector, state: CrawlState | None, state_error: str | None):
        self.stats = stats
        self.state = state
        self.state_error = state_error

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisionsPipeline:
        opened = of_crawler(crawler)
        return cls(crawler.stats, opened.state, opened.error)

    def open_spider(self) -> None:
        if self.state_error:
            self.stats.set_value(STATE_ERROR, self.state_error)
            raise CloseSpider("state_locked")

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        known = self.state.known(adapter["id"]) if self.state else None
        if known is None:
            adapter["revision"] = 1
            self.stats.inc_value(REVISIONS_NEW)
            return item
        if known.content_hash == content_hash(item):
            self.state.touch(known.id, utc_now())
            self.stats.inc_value(REVISIONS_UNCHANGED)
            raise DropItem(f"unchanged since revision {known.revision}", log_level="DEBUG")
        adapter["revision"] = known.revision + 1
        self.stats.inc_value(REVISIONS_UPDATED)
        return item
