"""`newscrawl extract PAGE --url URL [--site NAME] [--tz ZONE]`: the item a crawl would export
for one saved page: `japannews`'s for The Japan News, `news`'s (its site module, else the generic
path) for any other site."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler, load_object

from newscrawl import charset
from newscrawl.exporters import escape_line_separators
from newscrawl.items import ARTICLE_FIELDS, ArticleItem
from newscrawl.page import Page
from newscrawl.sites import japannews, pagekind, reader
from newscrawl.spiders.arguments import ArgumentError, parse_site, parse_tz
from newscrawl.spiders.japannews import JapanNewsSpider
from newscrawl.times import utc_now


def read_page(page: str) -> bytes:
    if page == "-":
        return sys.stdin.buffer.read()
    return Path(page).read_bytes()


def extract_item(
    page: bytes,
    url: str,
    crawler: Crawler | None = None,
    site_name: str | None = None,
    tz: str | None = None,
) -> dict[str, Any]:
    """Parse and run the project's item pipelines, in their configured order. SITE_NAME and TZ
    are the `news` spider's `site` and `tz` arguments.

    Raises DropItem when the crawl would drop the page (with the same reason); ArgumentError
    for a bad SITE_NAME or TZ.
    """
    crawler = crawler or pipeline_crawler()
    text, reading = charset.decode(page)  # the crawl's rule: the bytes' charset, not a claim
    parsed = Page.of(text, url)  # one parse for the check and the readers, as the spiders
    if why := pagekind.classify(parsed):  # as the spiders refuse it
        raise DropItem(f"not an article ({why})")
    item: Any = ArticleItem(
        **_fields(parsed, url, site_name, tz), listing_url=None, crawled_at=utc_now()
    )
    if not reading.clean:
        item["flags"] = [*item.get("flags", []), charset.FLAG]
    for pipeline in _pipelines(crawler):
        item = pipeline.process_item(item)
    return {name: item.get(name) for name in ARTICLE_FIELDS}


def _fields(page: Page, url: str, site_name: str | None, tz: str | None) -> dict[str, Any]:
    site_module = parse_site(site_name, urlsplit(url).hostname or "")
    if site_module is japannews and tz is None:  # as the japannews spider reads it
        return japannews.parse_article(page, url)
    zone = parse_tz(tz, site_module.TIME_ZONE if site_module else "UTC")
    return reader.article_fields(page, url, site_module, zone, reader.site_name(site_module, url))


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


def run_extract(page: str, url: str, site_name: str | None = None, tz: str | None = None) -> int:
    try:
        content = read_page(page)
    except OSError as error:
        print(
            f"newscrawl extract: error: cannot read {page}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    try:
        item = extract_item(content, url, site_name=site_name, tz=tz)
    except ArgumentError as error:
        print(f"newscrawl extract: error: {error}", file=sys.stderr)
        return 2
    except DropItem as reason:
        print(f"newscrawl extract: a crawl would drop this page: {reason}", file=sys.stderr)
        return 1
    print(escape_line_separators(json.dumps(item, ensure_ascii=False)))
    return 0
