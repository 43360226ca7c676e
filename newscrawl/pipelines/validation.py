"""Drop items that do not match the published JSON Schema, with the reason counted in the stats.

jsonschema judges every item the fast check compiled from the same schema does not accept
(see schema_check): an item is valid exactly when jsonschema says so, and a dropped one gets
jsonschema's reason. Most items are valid, and the fast check costs a small share of
jsonschema's walk.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.items import ARTICLE_FIELDS, INTERNAL_FIELDS, article_schema
from newscrawl.pipelines.schema_check import compile_check

# Values of absent fields; others are null. The revisions pipeline sets the real revision later.
DEFAULTS = {"authors": [], "images": [], "tags": [], "flags": [], "revision": 1}


class ValidationPipeline:
    def __init__(self, stats: StatsCollector, schema: dict[str, Any] | None = None):
        self.stats = stats
        schema = schema or article_schema()
        self.validator = Draft202012Validator(schema)
        self.fast_check = compile_check(schema)

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
        if self._fast_valid(item, adapter):
            return item
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

    def _fast_valid(self, item: Any, adapter: ItemAdapter) -> bool:
        """Whether the fast check accepts the item as it stands. It sees the fields themselves,
        not adapter.asdict()'s copy: for the plain values it accepts (str, int, None, lists
        and dicts of those) the copy is equal; any other value (a nested item) it refuses."""
        if self.fast_check is None:
            return False
        record = item if type(item) is dict else dict(adapter.items())
        return self.fast_check(record)
