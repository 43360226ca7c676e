"""Drop items that do not match the published JSON Schema, with the reason counted in the stats.

An item is valid exactly when jsonschema's Draft 2020-12 validator says so, and a dropped one
gets jsonschema's reason. Most items are valid, and jsonschema's walk is slow (about 2 ms an
item): fastjsonschema, compiled once from the same schema, says yes first, in about 0.12 ms
(benchmarks/schema_check_cost.py), and jsonschema judges only what it refuses.

fastjsonschema knows drafts 4 to 7 only: it compiles the schema as draft-07, where every keyword
the article schema uses means what it means in 2020-12 ($defs is then only where the $refs
point). It may be stricter than jsonschema (it reads a pattern's `$` as `\\Z`, so it refuses a
trailing newline): jsonschema then decides, at its cost. It is more lenient in one way: it takes
a tuple as an array. So an array field holding a tuple is left to jsonschema, which refuses it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, MutableMapping
from functools import cache
from typing import Any

import fastjsonschema
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.item import Item
from scrapy.statscollectors import StatsCollector

from newscrawl.items import ARTICLE_FIELDS, INTERNAL_FIELDS, article_schema
from newscrawl.stats import VALIDATION_DROPPED, VALIDATION_DROPPED_PREFIX

# Values of absent fields; others are null. The revisions pipeline sets the real revision later.
FIELD_DEFAULTS = {"authors": [], "images": [], "tags": [], "flags": [], "revision": 1}

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

FastCheck = Callable[[dict[str, Any]], bool]


def compile_fast_check(schema: dict[str, Any]) -> FastCheck:
    """A yes/no check of SCHEMA by fastjsonschema, never saying yes where jsonschema says no."""
    # A deep copy: fastjsonschema rewrites the $refs it resolves in place, and SCHEMA is shared
    # (article_schema() is cached; jsonschema reads its copy lazily).
    validate = fastjsonschema.compile(
        {**copy.deepcopy(schema), "$schema": DRAFT_07},
        use_default=False,  # fastjsonschema would write the schema's defaults into the item
        use_formats=False,  # jsonschema does not check formats either, by default
        detailed_exceptions=False,  # no message is read: jsonschema gives the reason
    )
    # The article schema's arrays are its top-level fields: a tuple deeper (as an image) is no
    # object or string to fastjsonschema either.
    arrays = tuple(
        name
        for name, sub in schema.get("properties", {}).items()
        if isinstance(sub, dict) and sub.get("type") == "array"
    )

    def check(record: dict[str, Any]) -> bool:
        for name in arrays:
            if isinstance(record.get(name), tuple):
                return False
        try:
            validate(record)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return check


@cache
def article_checks() -> tuple[Draft202012Validator, FastCheck]:
    """The article schema's two checks, compiled once per process (compiling takes about 20 ms,
    and `newscrawl extract` builds its pipelines for every page)."""
    schema = article_schema()
    return Draft202012Validator(schema), compile_fast_check(schema)


class ValidationPipeline:
    def __init__(self, stats: StatsCollector, schema: dict[str, Any] | None = None):
        self.stats = stats
        if schema is None:
            self.validator, self.fast_check = article_checks()
        else:
            self.validator = Draft202012Validator(schema)
            self.fast_check = compile_fast_check(schema)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        # A dict or a scrapy Item is its own mapping: no adapter between. RECORD, a plain dict
        # of the same fields kept equal to the item, is read in its place (each read of an Item
        # is a call): together, a third of the pipeline's own cost.
        fields: MutableMapping[str, Any] = (
            item if isinstance(item, dict | Item) else ItemAdapter(item)
        )
        record = dict(fields)
        for name in INTERNAL_FIELDS:
            if name in record:
                del fields[name]
                del record[name]
        for name in ARTICLE_FIELDS:
            if record.get(name) is None:
                fields[name] = record[name] = FIELD_DEFAULTS.get(name)
        # The fast check sees the fields themselves, not asdict()'s copy: for the plain values
        # it accepts (str, int, None, lists and dicts of those) the copy is equal; any other
        # value (a nested item) it refuses, and jsonschema judges the copy.
        if self.fast_check(record):
            return item
        adapter = ItemAdapter(item)
        error = next(iter(self.validator.iter_errors(adapter.asdict())), None)
        if error is not None:
            field = str(error.path[0]) if error.path else "record"
            self.stats.inc_value(VALIDATION_DROPPED)
            self.stats.inc_value(VALIDATION_DROPPED_PREFIX + field)
            raise DropItem(
                f"invalid {field} in {adapter.get('url')}: {error.message[:200]}",
                log_level="WARNING",
            )
        return item
