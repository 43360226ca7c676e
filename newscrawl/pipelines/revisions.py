"""Decide, against the crawl state, whether an article is new, updated or unchanged.

New articles get revision 1; an article whose content changed since its last export gets the next
revision; an unchanged one is dropped (it was exported before). Without a state (NEWSCRAWL_STATE
empty) every article is revision 1.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.extensions.state import crawl_state
from newscrawl.state import CrawlState
from newscrawl.times import utc_now

# What a reader would call the article's content: a change in any of these is a new revision.
CONTENT_FIELDS = (
    "title",
    "published",
    "modified",
    "authors",
    "byline",
    "description",
    "body",
    "images",
    "tags",
    "access",
)


def content_hash(item: Any) -> str:
    adapter = ItemAdapter(item)
    content = {name: adapter.get(name) for name in CONTENT_FIELDS}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RevisionsPipeline:
    def __init__(self, stats: StatsCollector, state: CrawlState | None, state_error: str | None):
        self.stats = stats
        self.state = state
        self.state_error = state_error

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisionsPipeline:
        state, error = crawl_state(crawler)
        return cls(crawler.stats, state, error)

    def open_spider(self) -> None:
        if self.state_error:
            self.stats.set_value("newscrawl/state/error", self.state_error)
            raise CloseSpider("state_locked")

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        known = self.state.known(adapter["id"]) if self.state else None
        if known is None:
            adapter["revision"] = 1
            self.stats.inc_value("newscrawl/revisions/new")
            return item
        if known.content_hash == content_hash(item):
            self.state.touch(known.id, utc_now())
            self.stats.inc_value("newscrawl/revisions/unchanged")
            raise DropItem(f"unchanged since revision {known.revision}", log_level="DEBUG")
        adapter["revision"] = known.revision + 1
        self.stats.inc_value("newscrawl/revisions/updated")
        return item
