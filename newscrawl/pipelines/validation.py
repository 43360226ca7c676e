"""Drop items that do not match the published JSON Schema, with the reason counted in the stats."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.items import ARTICLE_FIELDS, INTERNAL_FIELDS, article_schema

# Values of absent fields; others are null. The revisions pipeline sets the real revision later.
DEFAULTS = {"authors": [], "images": [], "tags": [], "flags": [], "revision": 1}


class ValidationPipeline:
    def __init__(self, stats: StatsCollector, schema: dict[str, Any] | None = None):
        self.stats = stats
        self.validator = Draft202012Validator(schema or article_schema())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for name in INTERNAL_FIELDS:
            if name in adapter:
                del adapter[name]
        for name in ARTICLE_FIELDS:
            if adapter.get(name) is None:
                adapter[name] = DEFAULTS.get(name)
        error = next(iter(self.validator.iter_errors(adapter.asdict())), None)
        if error is not None:
            field = str(error.path[0]) if error.path else "record"
            self.stats.inc_value("newscrawl/validation/dropped")
            self.stats.inc_value(f"newscrawl/validation/dropped/{field}")
            raise DropItem(
                f"invalid {field} in {adapter.get('url')}: {error.message[:200]}",
                log_level="WARNING",
            )
        return item
