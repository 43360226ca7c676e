"""Spider `japannews`: walks The Japan News section listings and hands article pages to the parser.

It only routes (which pages, in what order, with what priority); reading pages is
newscrawl.sites.japannews.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from newscrawl.items import ArticleItem
from newscrawl.sites import japannews as site
from newscrawl.spiders.arguments import (
    ArgumentError,
    Target,
    parse_base_url,
    parse_max_pages,
    parse_sections,
)

# Articles before listings: the queue stays short and items flow from the first seconds.
ARTICLE_PRIORITY = 10


class JapanNewsSpider(scrapy.Spider):
    name = "japannews"

    def __init__(
        self,
        section: str = "politics",
        max_pages: str | int | None = None,
        base_url: str = site.ORIGIN,
        **kwargs: Any,
    ):
        # Scrapy and Scrapyd pass their own keyword arguments (name, _job); anything else is a typo.
        unknown = sorted(k for k in kwargs if not k.startswith("_") and k != "name")
        if unknown:
            raise ArgumentError(
                f"unknown argument {unknown[0]!r}; this spider takes section, max_pages, base_url"
            )
        super().__init__(**kwargs)
        self.targets: tuple[Target, ...] = parse_sections(section)
        self.max_pages: int | None = parse_max_pages(max_pages)
        self.base_url: str = parse_base_url(base_url)
        self.allowed_domains = [urlsplit(self.base_url).hostname or ""]
        self.requested_ids: set[str] = set()

    @classmethod
    def validate_arguments(cls, arguments: dict[str, Any]) -> None:
        """Raise ArgumentError for bad -a values (used by our `crawl` command before start-up)."""
        cls(**arguments)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for target in self.targets:
            if target.subsection:
                yield self._listing_request(target, page=1, seen=set())
            else:
                yield scrapy.Request(
                    site.listing_url(self.base_url, target.section),
                    callback=self.parse_section_archive,
                    cb_kwargs={"section": target.section},
                    meta={"handle_httpstatus_list": [404]},
                )

    # -- listings -------------------------------------------------------------------------------
    def parse_section_archive(self, response: Response, section: str) -> Iterator[Any]:
        """Section page 1: its articles, and every subsection it links to, each walked in turn."""
        subsections = dict.fromkeys(site.KNOWN_SUBSECTIONS.get(section, ()))
        if response.status == 404:
            self._inc("listing/not_found")
            self.logger.warning("section archive %s answered 404", response.url)
        else:
            self._inc("listing/pages")
            listing = site.parse_listing(response.text, response.url)
            found = {sub for sec, sub in listing.subsections if sec == section}
            found |= {m["subsection"] for e in listing.entries if (m := site.article_path(e.url))}
            subsections.update(dict.fromkeys(sorted(found - subsections.keys())))
            seen: set[str] = set()
            yield from self._article_requests(listing, section, response.url, seen)
        if not subsections:
            self.logger.error("no subsections known or found for section %r", section)
        for subsection in subsections:
            yield self._listing_request(Target(section, subsection), page=1, seen=set())

    def _listing_request(self, target: Target, page: int, seen: set[str]) -> scrapy.Request:
        return scrapy.Request(
            site.listing_url(self.base_url, target.section, target.subsection, page),
            callback=self.parse_listing,
            cb_kwargs={"target": target, "page": page, "seen": seen},
            meta={"handle_httpstatus_list": [404]},
        )

    def parse_listing(
        self, response: Response, target: Target, page: int, seen: set[str]
    ) -> Iterator[Any]:
        """One listing page: request its new articles, then the next page unless this is the end.

        `seen` holds the articles of this listing's earlier pages: a page with none new ends the
        walk (a site answering out-of-range pages with the last page, or looping to page 1).
        """
        if response.status == 404:
            self._inc("listing/end/not_found")
            if page == 1:
                self.logger.warning("listing %s answered 404", response.url)
            return
        self._inc("listing/pages")
        listing = site.parse_listing(response.text, response.url)
        new = yield from self._article_requests(listing, target.section, response.url, seen)
        if not new:
            self._inc("listing/end/no_new_articles")
        elif self.max_pages and page >= self.max_pages:
            self._inc("listing/end/max_pages")
        elif listing.has_pagination and listing.next_url is None:
            self._inc("listing/end/last_page")
        else:
            yield self._listing_request(target, page + 1, seen)

    def _article_requests(
        self, listing: site.ListingPage, section: str, listing_url: str, seen: set[str]
    ) -> Iterator[scrapy.Request]:
        """Requests for the listing's articles never requested before; returns how many are new
        to this listing."""
        new = 0
        for entry in listing.entries:
            match = site.article_path(entry.url)
            if match is None or match["post_id"] in seen:
                continue
            seen.add(match["post_id"])
            new += 1
            if match["section"] != section:
                self._inc("articles/skipped_other_section")
            elif match["post_id"] in self.requested_ids:
                self._inc("articles/skipped_already_requested")
            else:
                self.requested_ids.add(match["post_id"])
                self._inc("articles/requested")
                yield scrapy.Request(
                    self.base_url + urlsplit(site.canonical_url(entry.url)).path,
                    callback=self.parse_article,
                    priority=ARTICLE_PRIORITY,
                    cb_kwargs={"listing_url": listing_url, "listing_date": entry.date_raw},
                )
        return new

    # -- articles -------------------------------------------------------------------------------
    def parse_article(
        self, response: Response, listing_url: str, listing_date: str | None
    ) -> Iterator[ArticleItem]:
        if site.article_path(response.url) is None:
            self._inc("articles/not_an_article")
            self.logger.warning("%s is not an article page; skipped", response.url)
            return
        fields = site.parse_article(response.text, response.url)
        if listing_date:
            fields["time_candidates"]["published"].append(("listing", listing_date))
        yield ArticleItem(
            **fields,
            listing_url=site.canonical_url(listing_url),
            crawled_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    def _inc(self, key: str) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}")
