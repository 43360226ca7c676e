"""Spider `japannews`: walks The Japan News section listings and hands article pages to the parser.

It only routes (which pages, in what order, with what priority); reading pages is
newscrawl.sites.japannews, and what every spider shares is newscrawl.spiders.base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from newscrawl.hosts import netloc_keys
from newscrawl.items import ArticleItem
from newscrawl.page import Page
from newscrawl.sites import feed_entries, pagekind
from newscrawl.sites import japannews as site
from newscrawl.spiders.arguments import (
    DISCOVERY,
    JOB,
    MAX_PAGES,
    SINCE,
    UNTIL,
    Argument,
    ArgumentError,
    Floor,
    SpiderArguments,
    Target,
    declared,
    parse_base_url,
    parse_discovery,
    parse_sections,
    site_floor,
)
from newscrawl.spiders.base import ArticleSpider, Listed, PageCounts, Walk
from newscrawl.stats import (
    LISTING_END_NOT_FOUND,
    LISTING_ENTRIES,
    LISTING_NOT_FOUND,
    LISTING_PAGES,
    WINDOW_SKIPPED_SITEMAPS,
)
from newscrawl.times import utc_now

SECTION = Argument(
    "section",
    "slug[/slug][,...]",
    "politics",
    "A section slug (politics), a subsection (politics/defense-security) or a comma list of"
    " either (politics,business). A section covers every subsection it has.",
    parse_sections,
)
BASE_URL = Argument(
    "base_url",
    "http(s) URL",
    site.ORIGIN,
    "The host to crawl, for example the replica at http://127.0.0.1:8765. Exported URLs always"
    " name the real site.",
    parse_base_url,
)
DISCOVER = Argument(
    "discover",
    "|".join(DISCOVERY),
    "listings",
    "How articles are found: the section listings, the sitemaps (a backfill of whole sections)"
    " or the RSS feeds (the latest items only).",
    parse_discovery,
)


@dataclass(frozen=True)
class JapanNewsArguments(SpiderArguments):
    section: tuple[Target, ...] = declared(SECTION)
    max_pages: int | None = declared(MAX_PAGES)
    base_url: str = declared(BASE_URL)
    since: date | None = declared(SINCE)
    until: date | None = declared(UNTIL)
    discover: str = declared(DISCOVER)
    job: str | None = declared(JOB)

    def refuse_combinations(self) -> None:
        if self.discover == "sitemaps" and any(t.subsection for t in self.section):
            raise ArgumentError(
                "discover=sitemaps cannot backfill a subsection: sitemaps list an article under"
                " its own subsection only, so articles cross-listed there would be missed;"
                " use discover=listings for subsections"
            )

    @property
    def floor(self) -> Floor:
        return site_floor(site)

    @property
    def time_zone(self) -> str:
        return site.TIME_ZONE

    @property
    def backfill(self) -> bool:
        """Also any discovery other than the listings (a sitemap or feed backfill)."""
        return super().backfill or self.discover != "listings"

    def shown(self) -> dict[str, Any]:
        return {
            "section": ",".join(map(str, self.section)),
            "max_pages": self.max_pages,
            "base_url": self.base_url,
            "since": self.window.since and self.window.since.isoformat(),
            "until": self.window.until and self.window.until.isoformat(),
            "discover": self.discover,
            "job": self.job,
        }


class JapanNewsSpider(ArticleSpider):
    name = "japannews"
    Arguments = JapanNewsArguments
    site_name = site.SITE

    def use_arguments(self, parsed: JapanNewsArguments) -> None:
        self.targets: tuple[Target, ...] = parsed.section
        self.base_url: str = parsed.base_url
        self.discover: str = parsed.discover
        self.allowed_domains = [urlsplit(self.base_url).hostname or ""]
        # The host guard lets requests reach this host and port only (see middlewares/hostguard).
        self.allowed_netlocs = netloc_keys([self.base_url])

    def first_requests(self) -> Iterable[scrapy.Request]:
        if self.discover == "sitemaps":
            yield self._page_request(f"{self.base_url}/sitemap.xml", self.parse_sitemap)
            return
        if self.discover == "feeds":
            for target in self.targets:
                feed = site.listing_url(self.base_url, target.section, target.subsection) + "feed/"
                yield self._page_request(feed, self.parse_feed)
            return
        for target in self.targets:
            if target.subsection:
                if walk := self._walk(target):
                    yield self._listing_request(walk, page=1)
            else:
                yield self._page_request(
                    site.listing_url(self.base_url, target.section),
                    self.parse_section_archive,
                    section=target.section,
                )

    # -- listings -------------------------------------------------------------------------------
    def parse_section_archive(self, response: Response, section: str) -> Iterator[Any]:
        """Section page 1: its articles, and every subsection it links to, each walked in turn."""
        subsections = dict.fromkeys(site.KNOWN_SUBSECTIONS.get(section, ()))
        if response.status == 404:
            self._inc(LISTING_NOT_FOUND)
            self.logger.warning("section archive %s answered 404", response.url)
            if not subsections:  # not a section of the 2024 menu, and no archive: a typo?
                self._target_not_found(Target(section))
        else:
            self._inc(LISTING_PAGES)
            listing = site.parse_listing(response.text, response.url)
            found = {sub for sec, sub in listing.subsections if sec == section}
            found |= {
                m["subsection"]
                for e in listing.entries
                if (m := site.article_path(e.url)) and m["section"] == section
            }
            subsections.update(dict.fromkeys(sorted(found - subsections.keys())))
            walk, counts = Walk(Target(section)), PageCounts()
            listed = self._listed(listing, section)
            yield from self._article_requests(listed, walk, response.url, counts)
        if not subsections:
            self.logger.error("no subsections known or found for section %r", section)
        for subsection in subsections:
            if walk := self._walk(Target(section, subsection)):
                yield self._listing_request(walk, page=1)

    def _listing_missing(self, walk: Walk, url: str, why: str) -> None:
        """Page 1 of a listing is missing or empty. Not an error for a subsection of the 2024
        menu that the site may have dropped; an error for one the user asked for."""
        self.logger.warning("listing %s %s", url, why)
        if walk.target in self.targets:
            self._target_not_found(walk.target)

    def _listing_request(self, walk: Walk, page: int) -> scrapy.Request:
        target = walk.target
        url = site.listing_url(self.base_url, target.section, target.subsection, page)
        return self._page_request(url, self.parse_listing, walk=walk, page=page)

    def parse_listing(self, response: Response, walk: Walk, page: int) -> Iterator[Any]:
        """One listing page: request its articles, then the next page unless this is the end.

        See ArticleSpider._walk_goes_on for where a walk ends.
        """
        if response.status == 404:
            self._inc(LISTING_END_NOT_FOUND)
            if page > 1:
                self._walk_ended(walk)
            else:
                self._listing_missing(walk, response.url, "answered 404")
            return
        self._inc(LISTING_PAGES)
        listing = site.parse_listing(response.text, response.url)
        self._inc(LISTING_ENTRIES, len(listing.entries))
        if page == 1 and not listing.entries:
            self._listing_missing(walk, response.url, "lists no articles")
            return
        counts = PageCounts()
        yield from self._article_requests(
            self._listed(listing, walk.target.section), walk, response.url, counts
        )
        if self._walk_goes_on(walk, counts, page):
            yield self._listing_request(walk, page + 1)

    def _listed(
        self, listing: site.ListingPage, section: str, only: Target | None = None
    ) -> Iterator[Listed]:
        """The listing's articles, as walked under SECTION (ONLY: just those of that section or
        subsection)."""
        for entry in listing.entries:
            match = site.article_path(entry.url)
            if match is None or (only and not self._targets_match(match, only)):
                continue
            yield Listed(
                key=int(match["post_id"]),
                url=self.base_url + urlsplit(site.canonical_url(entry.url)).path,
                day=site.url_date(match),
                date_raw=entry.date_raw,
                in_target=match["section"] == section,
            )

    # -- discovery through sitemaps and feeds --------------------------------------------------
    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """A sitemap index (only the monthly sitemaps that can hold the window are read) or a
        sitemap of article URLs."""
        if response.status == 404:
            self.logger.warning("sitemap %s answered 404", response.url)
            return
        self._inc(LISTING_PAGES)
        sitemaps, urls = feed_entries.parse_sitemap(response.body)
        for sitemap in sitemaps:
            if self._month_can_hold_window(sitemap.url):
                url = self.base_url + urlsplit(sitemap.url).path
                yield self._page_request(url, self.parse_sitemap)
            else:
                self._inc(WINDOW_SKIPPED_SITEMAPS)
        yield from self._discovered(urls, response.url)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """A section's RSS feed: its latest items only. A window older than the oldest item
        cannot be reached this way, and the run says so."""
        if response.status == 404:
            self._incomplete_discovery(f"{response.url} answered 404")
            return
        self._inc(LISTING_PAGES)
        items = feed_entries.parse_rss(response.body)
        yield from self._discovered(items, response.url)
        days = [self._url_day(item.url) for item in items]
        oldest = min((d for d in days if d), default=None)
        if self.window.since is None or oldest is None or oldest > self.window.since:
            self._incomplete_discovery(f"{response.url} reaches back only to {oldest}")

    def _discovered(self, links: list[feed_entries.Link], source: str) -> Iterator[scrapy.Request]:
        listing = site.ListingPage(entries=[site.ListingEntry(url=link.url) for link in links])
        self._inc(LISTING_ENTRIES, len(listing.entries))
        for target in self.targets:
            listed = self._listed(listing, target.section, only=target)
            yield from self._article_requests(listed, Walk(target), source, PageCounts())

    @staticmethod
    def _targets_match(match: re.Match[str], target: Target) -> bool:
        if match["section"] != target.section:
            return False
        return target.subsection is None or match["subsection"] == target.subsection

    @staticmethod
    def _url_day(url: str) -> date | None:
        match = site.article_path(url)
        return site.url_date(match) if match else None

    # -- articles -------------------------------------------------------------------------------
    def parse_article(
        self, response: Response, listing_url: str, listing_date: str | None
    ) -> Iterator[ArticleItem]:
        if site.article_path(response.url) is None:
            self._not_article(response, pagekind.REDIRECTED, f" to {response.url}")
            return
        page = Page.of(response.text, response.url)  # one parse for both readers
        if why := pagekind.classify(page):
            self._not_article(response, why)
            return
        fields = site.parse_article(page, response.url)
        if listing_date:
            fields["time_candidates"]["published"].append(("listing", listing_date))
        yield ArticleItem(
            **fields,
            listing_url=site.canonical_url(listing_url),
            crawled_at=utc_now(),
        )
