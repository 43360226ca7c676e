"""The article item: its exported fields, in export order, and the JSON Schema every line obeys."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

import scrapy
from itemadapter import ItemAdapter

# Export order of the JSON lines (FEED_EXPORT_FIELDS) and of `newscrawl extract`.
ARTICLE_FIELDS: tuple[str, ...] = (
    "id",
    "site",
    "url",
    "section",
    "subsection",
    "title",
    "published",
    "published_utc",
    "published_date",
    "modified",
    "published_raw",
    "authors",
    "byline",
    "description",
    "body",
    "images",
    "tags",
    "access",
    "listing_url",
    "crawled_at",
    "revision",
    "flags",
)

# Raw material the spider hands to the pipelines; never exported.
INTERNAL_FIELDS: tuple[str, ...] = ("time_candidates", "time_zone", "keep_offset", "generic_text")


class ArticleItem(scrapy.Item):
    """One news article. Fields: README "Fields" and newscrawl/schema/article.schema.json."""

    id = scrapy.Field()
    site = scrapy.Field()
    url = scrapy.Field()
    section = scrapy.Field()
    subsection = scrapy.Field()
    title = scrapy.Field()
    published = scrapy.Field()
    published_utc = scrapy.Field()
    published_date = scrapy.Field()
    modified = scrapy.Field()
    published_raw = scrapy.Field()
    authors = scrapy.Field()
    byline = scrapy.Field()
    description = scrapy.Field()
    body = scrapy.Field()
    images = scrapy.Field()
    tags = scrapy.Field()
    access = scrapy.Field()
    listing_url = scrapy.Field()
    crawled_at = scrapy.Field()
    revision = scrapy.Field()
    flags = scrapy.Field()
    # {"published": [(source, raw text), ...], "modified": [...]}, consumed by TimestampsPipeline.
    time_candidates = scrapy.Field()
    # The zone of times that name none (IANA; default Asia/Tokyo), and whether `published` and
    # `modified` keep the offset the page gives (the `news` spider) or are Japan time (default).
    time_zone = scrapy.Field()
    keep_offset = scrapy.Field()
    # True when the body came from the generic path, whose reader already removed the generic
    # furniture ("Read more", share prompts...): the boilerplate pipeline applies those rules
    # only to the other text fields then (a site module's exact body never has such lines).
    generic_text = scrapy.Field()


@cache
def article_schema() -> dict[str, Any]:
    """The JSON Schema of one exported line (shipped as package data)."""
    text = resources.files("newscrawl").joinpath("schema/article.schema.json").read_text("utf-8")
    return json.loads(text)


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
    """The digest of the article's content (CONTENT_FIELDS), kept by the crawl state: the
    revisions pipeline compares it, the exporter records it."""
    adapter = ItemAdapter(item)
    content = {name: adapter.get(name) for name in CONTENT_FIELDS}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
