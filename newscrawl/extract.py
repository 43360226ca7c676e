"""`newscrawl extract PAGE --url URL`: the item a crawl would export for one saved page."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler, load_object

from newscrawl.exporters import escape_line_separators
from newscrawl.items import ARTICLE_FIELDS, ArticleItem
from newscrawl.pipelines.timestamps import utc_now
from newscrawl.sites import japannews as site
from newscrawl.spiders.japannews import JapanNewsSpider


def read_page(page: str) -> bytes:
    if page == "-":
        return sys.stdin.buffer.read()
    return Path(page).read_bytes()


def extract_item(page: bytes, url: str, crawler: Crawler | None = None) -> dict[str, Any]:
    """Parse and run the project's item pipelines, in their configured order.

    Raises DropItem when the crawl would drop the page (with the same reason).
    """
    crawler = crawler or pipeline_crawler()
    fields = site.parse_article(page, url)
    item: Any = ArticleItem(
        **fields,
        listing_url=None,
        crawled_at=utc_now(),
    )
    for pipeline in _pipelines(crawler):
        item = pipeline.process_item(item)
    return {name: item.get(name) for name in ARTICLE_FIELDS}


def pipeline_crawler() -> Crawler:
    """A crawler that is never started: it carries the project settings and a stats collector."""
    crawler = Crawler(JapanNewsSpider, project_settings())
    crawler.stats = load_object(crawler.settings["STATS_CLASS"])(crawler)
    return crawler


def project_settings() -> Settings:
    """This project's settings wherever the command runs (get_project_settings() needs scrapy.cfg
    in the current folder, and silently falls back to Scrapy's defaults without it)."""
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    return settings


def _pipelines(crawler: Crawler) -> list[Any]:
    ordered = sorted(crawler.settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
    return [
        build_from_crawler(load_object(path), crawler)
        for path, order in ordered
        if order is not None
    ]


def run_extract(page: str, url: str) -> int:
    try:
        content = read_page(page)
    except OSError as error:
        print(
            f"newscrawl extract: error: cannot read {page}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    try:
        item = extract_item(content, url)
    except DropItem as reason:
        print(f"newscrawl extract: a crawl would drop this page: {reason}", file=sys.stderr)
        return 1
    print(escape_line_separators(json.dumps(item, ensure_ascii=False)))
    return 0
