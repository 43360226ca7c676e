"""Spider `news`: any news site's section, or a list of article URLs.

    scrapy crawl news -a url=https://example.com/politics/ [-a tz=Asia/Tokyo]
    scrapy crawl news -a urls_file=articles.txt

It finds the section's articles in the section page's own links (article-like URLs of the
section), in the feeds the page declares and, with `discover=...,sitemaps`, in the site's
sitemaps; it follows the listing's pages (rel=next, /page/N/, ?page=N). A site module
(newscrawl.sites.registry) reads the pages of the sites it knows; the generic path
(newscrawl.sites.generic) reads the rest and fills in what a module leaves out. Walks, the crawl
state, backfill windows and failures work as in `japannews` (newscrawl.spiders.base).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import scrapy
from scrapy.http import Response

from newscrawl.items import ArticleItem
from newscrawl.middlewares.hostguard import netloc_keys
from newscrawl.pipelines.timestamps import parse_time, utc_now
from newscrawl.sites import feeds, generic, links, metadata, registry
from newscrawl.spiders.arguments import ArgumentError, Target, parse_base_url
from newscrawl.spiders.base import ArticleSpider, Listed, PageCounts, Walk

DISCOVERY = ("links", "feeds", "sitemaps")
SITE_NAME = re.compile(r"^[a-z0-9]+$")
HOST_PREFIX = re.compile(r"^(?:www\d*|m|amp|english|en)\.")
MAX_URLS = 100_000
SITEMAP_LINE = re.compile(r"(?im)^\s*sitemap\s*:\s*(\S+)")


class NewsSpider(ArticleSpider):
    name = "news"
    ARGUMENTS = "url, urls_file, tz, site, max_pages, since, until, discover, job"

    def __init__(
        self,
        url: str | None = None,
        urls_file: str | None = None,
        tz: str | None = None,
        site: str | None = None,
        max_pages: str | int | None = None,
        since: str | None = None,
        until: str | None = None,
        discover: str = "links,feeds",
        job: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(max_pages=max_pages, since=since, until=until, job=job, **kwargs)
        if not url and not urls_file:
            raise ArgumentError("give -a url=<section URL> or -a urls_file=<file of article URLs>")
        self.section_url = parse_section_url(url) if url else None
        self.file_urls = read_urls_file(urls_file) if urls_file else []
        first = self.section_url or self.file_urls[0]
        self.base_url = parse_base_url(f"{urlsplit(first).scheme}://{urlsplit(first).netloc}")
        self.module = pick_module(site, urlsplit(first).hostname or "")
        self.site_name = self.module.SITE if self.module else host_site_name(first)
        self.tz = parse_tz(tz, self.module.TIME_ZONE if self.module else "UTC")
        self.discover = parse_discover(discover)
        self.section = section_slug(self.section_url) if self.section_url else None
        hosts = [first, *self.file_urls]
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in hosts})
        # The host guard lets requests reach these hosts and ports only.
        self.allowed_netlocs = netloc_keys(hosts)
        self.listing_pages: set[str] = set()  # listing URLs already requested (loops end)
        self.arguments = {
            "url": self.section_url,
            "urls_file": urls_file,
            "tz": self.tz,
            "site": self.site_name,
            "max_pages": self.max_pages,
            "since": self.window.since and self.window.since.isoformat(),
            "until": self.window.until and self.window.until.isoformat(),
            "discover": ",".join(self.discover),
            "job": self.job,
        }

    def first_requests(self) -> Iterable[scrapy.Request]:
        if self.file_urls:
            # The file is this run's listing (the run's health counts listings read).
            self._inc("listing/pages")
            self._inc("listing/entries", len(self.file_urls))
            walk = Walk(Target("urls-file"))
            listed = [self._listed(u) for u in self.file_urls]
            yield from self._article_requests(filter(None, listed), walk, "", PageCounts())
        if self.section_url is None:
            return
        reads_page = "links" in self.discover or "feeds" in self.discover
        if reads_page and (walk := self._walk(Target(self.section))):
            yield self._listing_request(walk, self.section_url, page=1)
        if "sitemaps" in self.discover:
            yield self._page_request(urljoin(self.base_url, "/robots.txt"), self.parse_robots)

    # -- the section's listing ------------------------------------------------------------------
    def _listing_request(self, walk: Walk, url: str, page: int) -> scrapy.Request:
        self.listing_pages.add(url)
        return self._page_request(url, self.parse_listing, walk=walk, page=page)

    def parse_listing(self, response: Response, walk: Walk, page: int) -> Iterator[Any]:
        """One page of the section: its articles, its feeds (page 1), then the next page."""
        if response.status == 404:
            self._inc("listing/end/not_found")
            if page == 1:
                self.logger.error("section page %s answered 404", response.url)
                self._target_not_found(self.section_url or response.url)
            else:
                self._walk_ended(walk)
            return
        self._inc("listing/pages")
        tree = metadata.parse_html(response.text)
        if page == 1 and "feeds" in self.discover:
            for feed in links.feed_links(tree, response.url):
                if urlsplit(feed).netloc.lower() == urlsplit(response.url).netloc.lower():
                    yield self._page_request(feed, self.parse_feed)
        if "links" not in self.discover:
            return
        found = links.article_links(tree, response.url, self.section_url or response.url)
        self._inc("listing/entries", len(found))
        if page == 1 and not found:
            self.logger.error("no article links of the section found on %s", response.url)
            self._target_not_found(self.section_url or response.url)
            return
        counts = PageCounts()
        listed = filter(None, map(self._listed, found))
        yield from self._article_requests(listed, walk, response.url, counts)
        if not self._walk_goes_on(walk, counts, page):
            return
        following = links.next_page(tree, response.url, page)
        if following is None or following in self.listing_pages:
            self._inc("listing/end/last_page")
            self._walk_ended(walk)
        else:
            yield self._listing_request(walk, following, page + 1)

    def _listed(
        self, url: str, date_raw: str | None = None, lastmod: str | None = None
    ) -> Listed | None:
        """An article URL as the walk sees it; None when the site module says it is not one."""
        url = links.normalize(url)
        key = self.module.article_key(url) if self.module else links.url_key(url)
        if key is None:
            return None
        return Listed(
            key=key,
            url=url,
            day=links.url_day(url),
            not_after=_day(lastmod),
            date_raw=date_raw,
        )

    # -- feeds and sitemaps ---------------------------------------------------------------------
    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """A feed the section page declares: its items of the section (a site-wide feed
        lists others too)."""
        if response.status == 404:
            self.logger.warning("feed %s answered 404", response.url)
            return
        self._inc("listing/pages")
        items = feeds.parse_rss(response.body)
        self._inc("listing/entries", len(items))
        listed = [
            self._listed(item.url, date_raw=item.date)
            for item in items
            if self._of_section(item.url, response.url)
        ]
        walk = Walk(Target(self.section or "feed"))
        yield from self._article_requests(filter(None, listed), walk, response.url, PageCounts())

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """The sitemaps robots.txt names; /sitemap.xml when it names none."""
        named = SITEMAP_LINE.findall(response.text) if response.status == 200 else []
        named = [u for u in named if urlsplit(u).netloc.lower() == urlsplit(self.base_url).netloc]
        for url in named or [urljoin(self.base_url, "/sitemap.xml")]:
            yield self._page_request(url, self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """A sitemap index (only monthly sitemaps that can hold the window are read) or a
        sitemap of pages: the section's article pages, with lastmod."""
        if response.status == 404:
            self.logger.warning("sitemap %s answered 404", response.url)
            return
        self._inc("listing/pages")
        sitemaps, pages = feeds.parse_sitemap(response.body)
        for sitemap in sitemaps:
            same_host = urlsplit(sitemap.url).netloc.lower() == urlsplit(self.base_url).netloc
            if same_host and self._month_can_hold_window(sitemap.url):
                yield self._page_request(sitemap.url, self.parse_sitemap)
            else:
                self._inc("window/skipped_sitemaps")
        self._inc("listing/entries", len(pages))
        listed = [
            self._listed(page.url, lastmod=page.date)
            for page in pages
            if links.article_like(page.url) and self._of_section(page.url, "")
        ]
        walk = Walk(Target(self.section or "sitemap"))
        yield from self._article_requests(filter(None, listed), walk, response.url, PageCounts())

    def _of_section(self, url: str, source: str) -> bool:
        """An article of the walked section (anything from a feed under the section's path)."""
        if self.section_url is None:
            return True
        section_path = urlsplit(self.section_url).path
        if source and urlsplit(source).path.startswith(section_path) and section_path != "/":
            return True
        return links.in_section(links.normalize(url), self.section_url)

    # -- articles -------------------------------------------------------------------------------
    def parse_article(
        self, response: Response, listing_url: str, listing_date: str | None
    ) -> Iterator[ArticleItem]:
        if not isinstance(response, scrapy.http.TextResponse):
            self._inc("articles/not_an_article")
            self.logger.warning("%s is not a web page; skipped", response.url)
            return
        fields = article_fields(response.text, response.url, self.module, self.tz)
        if listing_date:
            fields["time_candidates"]["published"].append(("listing", listing_date))
        key = response.meta.get("newscrawl_key")
        section = fields.pop("section", None) or self.section or first_segment(fields["url"])
        yield ArticleItem(
            **fields,
            id=f"{self.site_name}:{key if key is not None else links.url_key(fields['url'])}",
            site=self.site_name,
            section=section,
            listing_url=listing_url or None,
            crawled_at=utc_now(),
        )


# -- what a page gives, with or without a site module -------------------------------------------
GENERIC_FIELDS = ("title", "authors", "body", "description")


def article_fields(
    page: str | bytes, url: str, module: ModuleType | None, tz: str
) -> dict[str, Any]:
    """The item fields of an article page: the site module's where it read them, the generic
    path's for the rest. Times stay raw candidates for the timestamps pipeline (the module's
    first), read in zone TZ when they name none, keeping the offset they give."""
    found = generic.parse_article(page, url, tz)
    fields: dict[str, Any] = {
        "url": links.canonical(metadata.parse_html(page), url),
        "subsection": None,
        "title": found["title"],
        "authors": found["authors"],
        "byline": None,
        "description": found["description"],
        "body": found["body"],
        "images": [],
        "tags": [],
        "access": None,
        "flags": [],
        "time_candidates": {
            "published": list(found["time_candidates"]["published"]),
            "modified": list(found["time_candidates"]["modified"]),
        },
        "time_zone": tz,
        "keep_offset": True,
    }
    if module is None:
        return fields
    exact = module.parse_article(page, url)
    for name, value in exact.items():
        if name == "time_candidates":
            for kind in ("published", "modified"):
                fields["time_candidates"][kind][:0] = value.get(kind, [])
        elif name in {"id", "site"}:
            continue
        elif value not in (None, "", []) or name not in GENERIC_FIELDS:
            fields[name] = value
    return fields


# -- arguments ----------------------------------------------------------------------------------
def parse_section_url(value: str) -> str:
    url = str(value).strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ArgumentError(f"url: expected an http(s) section URL, got {value!r}")
    parse_base_url(url)  # the port
    return links.normalize(url)


def read_urls_file(path: str) -> list[str]:
    """One article URL per line; blank lines and lines starting with # are skipped."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ArgumentError(f"urls_file: cannot read {path}: {reason}") from None
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = urlsplit(line)
        if parts.scheme not in {"http", "https"} or not parts.hostname or " " in line:
            raise ArgumentError(f"urls_file: line {number} is not an http(s) URL: {line[:80]!r}")
        urls.append(line)
    if not urls:
        raise ArgumentError(f"urls_file: {path} lists no URL")
    if len(urls) > MAX_URLS:
        raise ArgumentError(f"urls_file: {path} lists {len(urls)} URLs; at most {MAX_URLS}")
    return list(dict.fromkeys(urls))


def parse_tz(value: str | None, default: str) -> str:
    name = (value or default).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ArgumentError(
            f"tz: {name!r} is not a time zone name (IANA, e.g. Asia/Tokyo, UTC)"
        ) from None
    return name


def parse_discover(value: str | None) -> tuple[str, ...]:
    parts = tuple(dict.fromkeys(p.strip() for p in str(value or "").split(",") if p.strip()))
    unknown = [p for p in parts if p not in DISCOVERY]
    if not parts or unknown:
        raise ArgumentError(
            f"discover: expected a comma list of {', '.join(DISCOVERY)}, got {value!r}"
        )
    return parts


def pick_module(name: str | None, host: str) -> ModuleType | None:
    """The site module named NAME ('generic': none), else the one that reads HOST."""
    if name == "generic":
        return None
    if name:
        try:
            return registry.by_name(name)
        except KeyError:
            known = ", ".join(["generic", *registry.SITE_MODULES])
            raise ArgumentError(f"site: no site module {name!r}; known: {known}") from None
    return registry.for_host(host)


def host_site_name(url: str) -> str:
    """The items' `site` for a site without a module: its host's name without www. and the
    like, letters and digits only ("www.example.co.uk" -> "example")."""
    host = HOST_PREFIX.sub("", (urlsplit(url).hostname or "").lower())
    first = host.split(".")[0] if not host.replace(".", "").isdigit() else host
    name = re.sub(r"[^a-z0-9]", "", first)
    return name if SITE_NAME.match(name or "") else "site"


def section_slug(url: str) -> str:
    """The section's name: the last segment of its path ("politics"); "news" for the root."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    slug = re.sub(r"[^a-z0-9]+", "-", segments[-1].lower()).strip("-") if segments else ""
    return slug or "news"


def first_segment(url: str) -> str:
    """An article's section when no section was walked: the first segment of its path."""
    first = next((s for s in urlsplit(url).path.split("/") if s), "")
    return section_slug(f"http://host/{first}/") if first else "news"


def _day(text: str | None) -> date | None:
    """The date of a sitemap's lastmod."""
    parsed = parse_time(text) if text else None
    if parsed is None:
        return None
    if parsed is None:
        return None
    return parsed.day or (parsed.moment.date() if parsed.moment else None)
