"""Spider `news`: any news site's section, or a list of article URLs.

    scrapy crawl news -a url=https://example.com/politics/ [-a tz=Asia/Tokyo]
    scrapy crawl news -a urls_file=articles.txt

It finds the section's articles in the section page's own links (article-like URLs of the
section), in the feeds the page declares and, with `discover=...,sitemaps`, in the site's
sitemaps; it follows the listing's pages (rel=next, /page/N/, ?page=N). A site module
(newscrawl.sites.registry) reads the pages of the sites it knows; the generic path
(newscrawl.sites.generic) reads the rest and fills in what a module leaves out
(newscrawl.sites.reader). Walks, the crawl state, backfill windows and failures work as in
`japannews` (newscrawl.spiders.base).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from types import ModuleType
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from newscrawl.defaults import setting_float
from newscrawl.hosts import netloc_keys
from newscrawl.items import ArticleItem
from newscrawl.page import Page, parse_tree
from newscrawl.request_meta import ARTICLE_KEY
from newscrawl.sites import feed_entries, links, pagekind, reader
from newscrawl.spiders.arguments import (
    JOB,
    MAX_PAGES,
    NEWS_DISCOVERY,
    SINCE,
    SITE_NAMES,
    UNTIL,
    Argument,
    ArgumentError,
    Floor,
    SpiderArguments,
    Target,
    declared,
    parse_base_url,
    parse_news_discovery,
    parse_section_url,
    parse_site,
    parse_site_name,
    parse_tz,
    read_urls_file,
    site_floor,
)
from newscrawl.spiders.base import ArticleSpider, Listed, PageCounts, Walk
from newscrawl.stats import (
    LISTING_END_LAST_PAGE,
    LISTING_END_NOT_FOUND,
    LISTING_ENTRIES,
    LISTING_PAGES,
    URLS_FILE_SKIPPED_NOT_ARTICLE_URLS,
    WINDOW_SKIPPED_AFTER_FETCH,
    WINDOW_SKIPPED_SITEMAPS,
)
from newscrawl.times import choose, parse_time, utc_now, zone

SITEMAP_LINE = re.compile(r"(?im)^\s*sitemap\s*:\s*(\S+)")
# A lastmod is written in any zone: a day of slack before calling an article older than `since`.
LASTMOD_SLACK = timedelta(days=1)


URL = Argument(
    "url",
    "http(s) URL",
    None,
    "The section page: its articles are the article-like links on it that belong to the"
    " section. Give url, urls_file or both.",
    lambda value: parse_section_url(value) if value else None,
)
URLS_FILE = Argument(
    "urls_file",
    "path",
    None,
    "A plain file of article URLs of one host, one per line (# comments and blank lines skipped).",
    lambda value: (str(value), read_urls_file(str(value))) if value else None,  # (path, URLs)
)
TZ = Argument(
    "tz",
    "IANA zone name",
    None,
    "The site's time zone: times the page gives without offset are read in it, and `since`"
    " may not be after today there.",
    lambda value: parse_tz(value, "UTC") if value else None,
    shown_default="the site module's, else UTC",
)
SITE = Argument(
    "site",
    "|".join(SITE_NAMES),
    None,
    "The site module that reads the pages; generic for none.",
    parse_site_name,
    shown_default="the one for the URL's host",
)
DISCOVER = Argument(
    "discover",
    "comma list",
    "links,feeds",
    f"How articles are found, any of {', '.join(NEWS_DISCOVERY)}: the section page and its next"
    " pages; the feeds the section page declares (the latest items only); the sitemaps"
    " robots.txt names, else /sitemap.xml.",
    parse_news_discovery,
)


@dataclass(frozen=True)
class NewsArguments(SpiderArguments):
    url: str | None = declared(URL)
    urls_file: tuple[str, list[str]] | None = declared(URLS_FILE)  # (path, its URLs)
    tz: str | None = declared(TZ)
    site: str | None = declared(SITE)
    max_pages: int | None = declared(MAX_PAGES)
    since: date | None = declared(SINCE)
    until: date | None = declared(UNTIL)
    discover: tuple[str, ...] = declared(DISCOVER)
    job: str | None = declared(JOB)

    def refuse_combinations(self) -> None:
        if not self.url and not self.urls_file:
            raise ArgumentError("give -a url=<section URL> or -a urls_file=<file of article URLs>")
        _ = self.base_url  # a bad port in the first URL is refused here

    @property
    def file_urls(self) -> list[str]:
        return self.urls_file[1] if self.urls_file else []

    @property
    def first_url(self) -> str:
        """The section page, else the file's first URL: it names the site."""
        return self.url or self.file_urls[0]

    @cached_property
    def base_url(self) -> str:
        parts = urlsplit(self.first_url)
        return parse_base_url(f"{parts.scheme}://{parts.netloc}")

    @cached_property
    def module(self) -> ModuleType | None:
        """The site module that reads the pages (None: the generic path)."""
        return parse_site(self.site, urlsplit(self.first_url).hostname or "")

    @property
    def floor(self) -> Floor:
        return site_floor(self.module)

    @property
    def time_zone(self) -> str:
        return self.tz or (self.module.TIME_ZONE if self.module else "UTC")

    def shown(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "urls_file": self.urls_file[0] if self.urls_file else None,
            "tz": self.time_zone,
            "site": self.site,
            "max_pages": self.max_pages,
            "since": self.window.since and self.window.since.isoformat(),
            "until": self.window.until and self.window.until.isoformat(),
            "discover": ",".join(self.discover),
            "job": self.job,
        }


class NewsSpider(ArticleSpider):
    name = "news"
    Arguments = NewsArguments

    def __init__(self, parsed: NewsArguments | None = None, **kwargs: Any):
        super().__init__(parsed, **kwargs)
        self.listing_pages: set[str] = set()  # listing URLs already requested (loops end)

    def use_arguments(self, parsed: NewsArguments) -> None:
        self.file_urls = parsed.file_urls
        self.section_url: str | None = parsed.url
        self.base_url = parsed.base_url
        self.module = parsed.module
        self.site_name = reader.site_name(self.module, parsed.first_url)
        self.discover: tuple[str, ...] = parsed.discover
        self.section = reader.section_slug(self.section_url) if self.section_url else None
        self.allowed_domains = [urlsplit(parsed.first_url).hostname or ""]
        # The host guard lets requests reach this host and port only.
        self.allowed_netlocs = netloc_keys([parsed.first_url])

    def first_requests(self) -> Iterable[scrapy.Request]:
        if self.file_urls:
            yield from self._file_requests()
        if self.section_url is None:
            return
        if "links" in self.discover:
            if walk := self._walk(Target(self.section)):
                yield self._listing_request(walk, self.section_url, page=1)
        elif "feeds" in self.discover:  # the section page only for the feeds it declares
            yield self._page_request(self.section_url, self.parse_feed_links)
        if "sitemaps" in self.discover:
            yield self._page_request(urljoin(self.base_url, "/robots.txt"), self.parse_robots)

    def _file_requests(self) -> Iterator[scrapy.Request]:
        """The URL file is this run's listing (the run's health counts listings read)."""
        self._inc(LISTING_PAGES)
        self._inc(LISTING_ENTRIES, len(self.file_urls))
        listed = list(filter(None, map(self._listed, self.file_urls)))
        if skipped := len(self.file_urls) - len(listed):
            self._inc(URLS_FILE_SKIPPED_NOT_ARTICLE_URLS, skipped)
            self.logger.warning(
                "%d URLs of the file are not article pages of %s: skipped", skipped, self.site_name
            )
        yield from self._article_requests(listed, Walk(Target("urls-file")), "", PageCounts())

    # -- the section's listing ------------------------------------------------------------------
    def _listing_request(self, walk: Walk, url: str, page: int) -> scrapy.Request:
        self.listing_pages.add(url)
        return self._page_request(url, self.parse_listing, walk=walk, page=page)

    def parse_listing(self, response: Response, walk: Walk, page: int) -> Iterator[Any]:
        """One page of the section: its articles, its feeds (page 1), then the next page."""
        if response.status == 404:
            self._inc(LISTING_END_NOT_FOUND)
            if page == 1:
                self._section_missing(response.url, "answered 404")
            else:
                self._walk_ended(walk)
            return
        self._inc(LISTING_PAGES)
        tree = parse_tree(response.text)
        if page == 1 and "feeds" in self.discover:
            yield from self._feed_requests(tree, response.url)
        found = links.article_links(tree, response.url, self.section_url or response.url)
        self._inc(LISTING_ENTRIES, len(found))
        if page == 1 and not found:
            self._section_missing(response.url, "has no article links of the section")
            return
        counts = PageCounts()
        listed = filter(None, map(self._listed, found))
        yield from self._article_requests(listed, walk, response.url, counts)
        if not self._walk_goes_on(walk, counts, page):
            return
        following = links.next_page(tree, response.url, page)
        if following is None or following in self.listing_pages:
            self._inc(LISTING_END_LAST_PAGE)
            self._walk_ended(walk)
        else:
            yield self._listing_request(walk, following, page + 1)

    def _section_missing(self, url: str, why: str) -> None:
        self.logger.error("section page %s %s", url, why)
        self._target_not_found(self.section_url or url)

    def _listed(
        self,
        url: str,
        date_raw: str | None = None,
        lastmod: str | None = None,
        day: date | None = None,
    ) -> Listed | None:
        """An article URL as the walk sees it (DAY: its publication date, when the listing
        gives it); None when the site module says it is not one."""
        url = links.normalize(url)
        key = self.module.article_key(url) if self.module else links.url_key(url)
        if key is None:
            return None
        not_after = self._lastmod_day(lastmod)
        return Listed(key, url, links.url_day(url) or day, not_after, date_raw)

    def _lastmod_day(self, text: str | None) -> date | None:
        """The latest day, in the site's zone, an article modified at TEXT can be published."""
        day = self._local_date(text)
        return day + LASTMOD_SLACK if day else None

    def _local_date(self, text: str | None) -> date | None:
        """The date a time string names, in the site's zone (a date alone as it is)."""
        parsed = parse_time(text, zone(self.tz)) if text else None
        if parsed is None:
            return None
        return parsed.moment.astimezone(zone(self.tz)).date() if parsed.moment else parsed.day

    # -- feeds and sitemaps ---------------------------------------------------------------------
    def parse_feed_links(self, response: Response) -> Iterator[scrapy.Request]:
        """The section page read for its feeds only (`discover=feeds`)."""
        if response.status == 404:
            self._section_missing(response.url, "answered 404")
            return
        yield from self._feed_requests(parse_tree(response.text), response.url)

    def _feed_requests(self, tree: Any, page_url: str) -> Iterator[scrapy.Request]:
        declared = [u for u in links.feed_links(tree, page_url) if links.same_site(u, page_url)]
        if not declared and "links" not in self.discover:
            self._incomplete_discovery(f"{page_url} declares no feed")
        elif not declared:
            self.logger.info("%s declares no feed; its links are read", page_url)
        for feed in declared:
            yield self._page_request(feed, self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """A feed the section page declares: its items of the section (a site-wide feed lists
        others too). It holds the latest items only: a window older than its oldest item cannot
        be reached this way, and the run says so."""
        if response.status == 404:
            self._incomplete_discovery(f"{response.url} answered 404")
            return
        self._inc(LISTING_PAGES)
        entries = feed_entries.parse_rss(response.body)
        items = [i for i in entries if self._of_section(i.url, response.url)]
        self._inc(LISTING_ENTRIES, len(items))
        days = [self._feed_day(item) for item in items]
        listed = [
            self._listed(item.url, date_raw=item.date, day=day)
            for item, day in zip(items, days, strict=True)
        ]
        walk = Walk(Target(self.section or "feed"))
        yield from self._article_requests(filter(None, listed), walk, response.url, PageCounts())
        if not self.window.is_open:
            oldest = min((d for d in days if d), default=None)
            if self.window.since is None or oldest is None or oldest > self.window.since:
                self._incomplete_discovery(f"{response.url} reaches back only to {oldest}")

    def _feed_day(self, item: feed_entries.Link) -> date | None:
        return self._local_date(item.date) or links.url_day(item.url)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """The sitemaps robots.txt names; /sitemap.xml when it names none."""
        named = SITEMAP_LINE.findall(response.text) if response.status == 200 else []
        named = [u for u in named if links.same_site(u, self.base_url)]
        for url in named or [urljoin(self.base_url, "/sitemap.xml")]:
            yield self._page_request(url, self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """A sitemap index (only sitemaps that can hold the window are read: by the month in
        their name, and by their lastmod) or a sitemap of pages: the section's article pages."""
        if response.status == 404:
            self.logger.warning("sitemap %s answered 404", response.url)
            return
        self._inc(LISTING_PAGES)
        sitemaps, pages = feed_entries.parse_sitemap(response.body)
        for sitemap in sitemaps:
            if links.same_site(sitemap.url, self.base_url) and self._sitemap_can_hold(sitemap):
                yield self._page_request(sitemap.url, self.parse_sitemap)
            else:
                self._inc(WINDOW_SKIPPED_SITEMAPS)
        self._inc(LISTING_ENTRIES, len(pages))
        listed = [
            self._listed(page.url, lastmod=page.date)
            for page in pages
            if links.article_like(page.url) and self._of_section(page.url, "")
        ]
        walk = Walk(Target(self.section or "sitemap"))
        yield from self._article_requests(filter(None, listed), walk, response.url, PageCounts())

    def _sitemap_can_hold(self, sitemap: feed_entries.Link) -> bool:
        last_change = self._lastmod_day(sitemap.date)
        since = self.window.since
        return self._month_can_hold_window(sitemap.url) and not (
            since and last_change and last_change < since
        )

    def _of_section(self, url: str, source: str) -> bool:
        """An article of the walked section, on its site (anything a feed under the section's
        path lists)."""
        if not links.same_site(url, self.base_url):
            return False
        if self.section_url is None:
            return True
        section_path = urlsplit(self.section_url).path
        if source and section_path != "/" and urlsplit(source).path.startswith(section_path):
            return True
        return links.in_section(links.normalize(url), self.section_url)

    # -- articles -------------------------------------------------------------------------------
    def parse_article(
        self, response: Response, listing_url: str, listing_date: str | None
    ) -> Iterator[ArticleItem]:
        if not isinstance(response, TextResponse):
            self._not_article(response, pagekind.NO_ARTICLE, " (not a web page)")
            return
        # One parse for the check and the readers (none of them edits the tree).
        page = Page.of(response.text, response.url)
        if not self._is_article(response, page):
            return
        key = response.meta.get(ARTICLE_KEY)
        fields = reader.article_fields(
            page, response.url, self.module, self.tz, self.site_name, key, self.section
        )
        if listing_date:
            fields["time_candidates"]["published"].append(("listing", listing_date))
        crawled_at = utc_now()  # the timestamps pipeline's "now": the window check's too
        if not self._published_in_window(fields, datetime.fromisoformat(crawled_at)):
            return
        yield ArticleItem(**fields, listing_url=listing_url or None, crawled_at=crawled_at)

    def _is_article(self, response: Response, page: Page) -> bool:
        """(After redirects) still an article page of the site, and an article (PAGE, by
        newscrawl.sites.pagekind: not a bot check, a wall, an error page or a listing)."""
        if self._redirected_off_articles(response):
            why, detail = pagekind.REDIRECTED, f" to {response.url}"
        else:
            why, detail = pagekind.classify(page), ""
            if why is None:
                return True
        self._not_article(response, why, detail)
        return False

    def _redirected_off_articles(self, response: Response) -> bool:
        """Redirected to a page that is not an article page of the site (by its URL)."""
        if self.module:
            return self.module.article_key(response.url) is None
        return response.url != response.request.url and not links.article_like(response.url)

    def _published_in_window(self, fields: dict[str, Any], now: datetime) -> bool:
        """A backfill keeps the articles published in its window only: those whose URL gave no
        date are judged here, by the page's own date (in the site's zone), chosen as the
        timestamps pipeline chooses the item's `published` (newscrawl.times.choose)."""
        if self.window.is_open:
            return True
        skew = timedelta(seconds=setting_float(self.crawler.settings, "NEWSCRAWL_FUTURE_SKEW"))
        chosen = choose(fields["time_candidates"]["published"], zone(self.tz), now, skew)
        found = chosen.moment.astimezone(zone(self.tz)).date() if chosen.moment else chosen.day
        if found is None or self.window.position(found) == "inside":
            return True
        self._inc(WINDOW_SKIPPED_AFTER_FETCH[self.window.position(found)])
        return False
