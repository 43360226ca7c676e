"""Remove page furniture from text fields, even when parsing fell back to a flat text dump.

Furniture is matched line by line, never inside a line, by two sets of rules, each applied once:
- the site's own: the site module that reads the item's URL host (newscrawl.sites.registry)
  declares them as `strip_furniture` (The Japan News: newscrawl.sites.japannews.furniture, its
  modals, footers and "POPULAR ARTICLE" lists). They apply whichever path read the page, so a
  generic read of the site (`news -a site=generic`, "japannewsweb") loses them too. Another
  module's host gets that module's rules only; a host no module reads, every module's
  (`site_furniture`);
- the furniture of any news site (kind "generic", newscrawl.sites.generic.furniture): "Read
  more", "Related", newsletter and share prompts, photo credits. Only on text the generic path
  extracted (the item's `generic_text`, or the flag `fallback_body`), and not on a body the
  generic reader gave (it left them out already): a site module's exact text keeps its
  sentences, which those rules could take ("Follow the guidance on X...").
Once something is removed, the lines left are joined by one blank line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawl.defaults import setting_list
from newscrawl.sites import registry
from newscrawl.sites.generic.furniture import is_furniture
from newscrawl.stats import BOILERPLATE_ITEMS, BOILERPLATE_REMOVED, BOILERPLATE_REMOVED_PREFIX

# A site's rules: the lines without its furniture, and how many were removed, by kind.
SiteFurniture = Callable[[list[str]], tuple[list[str], Counter[str]]]


# Bounded: a crawl, or `newscrawl extract --batch` over saved pages, may meet any number of hosts.
@lru_cache(maxsize=1024)
def site_furniture(host: str) -> SiteFurniture | None:
    """The furniture rules of the site module that reads HOST (None when it declares none).
    A host no module reads may serve a known site's pages (a mirror, an archive, the offline
    replica of The Japan News on 127.0.0.1): every module's rules. (The Japan News' remove
    nothing from the 1,831 pages of other sites in the real-page corpus.)"""
    module = registry.for_host(host)
    if module is not None:
        return getattr(module, "strip_furniture", None)
    every = [
        getattr(registry.by_name(name), "strip_furniture", None) for name in registry.SITE_MODULES
    ]
    rules = [rule for rule in every if rule is not None]
    if not rules:
        return None
    return rules[0] if len(rules) == 1 else _each(rules)


def _each(rules: list[SiteFurniture]) -> SiteFurniture:
    """RULES applied one after another, as one site's."""

    def strip(lines: list[str]) -> tuple[list[str], Counter[str]]:
        removed: Counter[str] = Counter()
        for rule in rules:
            lines, found = rule(lines)
            removed.update(found)
        return lines, removed

    return strip


def strip_boilerplate(
    text: str, site: SiteFurniture | None = None, generic: bool = False
) -> tuple[str, Counter[str]]:
    """The text without the SITE's furniture, and without any news site's when GENERIC (the
    text came from the generic path), and what was removed, by kind."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    removed: Counter[str] = Counter()
    if site is not None:
        lines, removed = site(lines)
    if generic:
        kept = [line for line in lines if not is_furniture(line)]
        if len(kept) < len(lines):
            removed["generic"] += len(lines) - len(kept)
        lines = kept
    return "\n\n".join(lines), removed


def _host(url: Any) -> str:
    if not isinstance(url, str):
        return ""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # a malformed URL (validation drops the item later)
        return ""


class BoilerplatePipeline:
    def __init__(self, stats: StatsCollector, fields: tuple[str, ...] = ("body", "description")):
        self.stats = stats
        self.fields = fields

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        fields = tuple(setting_list(crawler.settings, "NEWSCRAWL_BOILERPLATE_FIELDS"))
        if not fields:
            raise NotConfigured("NEWSCRAWL_BOILERPLATE_FIELDS is empty")
        return cls(crawler.stats, fields=fields)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        site = site_furniture(_host(adapter.get("url")))
        generic_body = bool(adapter.get("generic_text"))
        generic = generic_body or "fallback_body" in (adapter.get("flags") or [])
        for name in self.fields:
            value = adapter.get(name)
            if not isinstance(value, str) or not value:
                continue
            # The generic reader's body is free of generic furniture already (its one pass).
            cleaned, removed = strip_boilerplate(
                value, site, generic and not (generic_body and name == "body")
            )
            if removed:
                adapter[name] = cleaned or None
                self._count(removed)
        return item

    def _count(self, removed: Counter[str]) -> None:
        self.stats.inc_value(BOILERPLATE_ITEMS)
        for kind, count in removed.items():
            self.stats.inc_value(BOILERPLATE_REMOVED, count)
            self.stats.inc_value(BOILERPLATE_REMOVED_PREFIX + kind, count)
