"""Export one item per `id` per run: the first one wins."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.stats import DEDUP_DROPPED


class DedupPipeline:
    def __init__(self, stats: StatsCollector):
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        item_id = ItemAdapter(item).get("id")
        if item_id in self.seen:
            self.stats.inc_value(DEDUP_DROPPED)
            raise DropItem(f"duplicate id {item_id}", log_level="INFO")
        self.seen.add(item_id)
        return item
