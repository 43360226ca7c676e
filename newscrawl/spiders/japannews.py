"""Spider `japannews`: walks The Japan News section listings and hands article pages to the parser.

It only routes (which pages, in what order, with what priority); reading pages is
newscrawl.sites.japannews.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.exceptions import RefusedRequest
from newscrawl.extensions.state import crawl_state
from newscrawl.items import ArticleItem
from newscrawl.middlewares.hostguard import netloc_keys
from newscrawl.pipelines.timestamps import utc_now
from newscrawl.settings import DATED_FEED, JOB_FEED
from newscrawl.sites import feeds
from newscrawl.sites import japannews as site
from newscrawl.spiders.arguments import (
    ArgumentError,
    Target,
    parse_base_url,
    parse_discovery,
    parse_job,
    parse_max_pages,
    parse_sections,
    parse_window,
)
from newscrawl.spiders.freshness import Freshness, FreshnessPolicy

# Articles before listings: the queue stays short and items flow from the first seconds.
ARTICLE_PRIORITY = 10
GONE = frozenset({404, 410})
MAX_LISTED_FAILURES = 100
ARGUMENTS = "section, max_pages, base_url, since, until, discover, job"
SITEMAP_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?!\d)")


@dataclass
class PageCounts:
    """What one listing page held, for the decision to read the next one."""

    met: int = 0  # articles this walk had not met on earlier pages
    new: int = 0  # of those, unknown to the crawl state
    dated: int = 0  # of those, with a date
    older: int = 0  # of those, older than the backfill window


@dataclass
class Walk:
    """One listing being paged through: what it has met so far."""

    target: Target
    # Stop at known articles only if an earlier walk of this listing was complete (see state).
    trust_known: bool = False
    older_pages: int = 0  # consecutive pages wholly older than the backfill window
    seen: set[int] = field(default_factory=set)  # post IDs met on this listing's pages
    known: int = 0  # of those, how many the crawl state already knew
    known_run: int = 0  # known ones met in a row, in listing order, since the last new one


class JapanNewsSpider(scrapy.Spider):
    name = "japannews"

    def __init__(
        self,
        section: str = "politics",
        max_pages: str | int | None = None,
        base_url: str = site.ORIGIN,
        since: str | None = None,
        until: str | None = None,
        discover: str = "listings",
        job: str | None = None,
        **kwargs: Any,
    ):
        # Scrapy and Scrapyd pass their own keyword arguments (name, _job); anything else is a typo.
        unknown = sorted(k for k in kwargs if not k.startswith("_") and k != "name")
        if unknown:
            raise ArgumentError(f"unknown argument {unknown[0]!r}; this spider takes {ARGUMENTS}")
        super().__init__(**kwargs)
        self.targets: tuple[Target, ...] = parse_sections(section)
        self.max_pages: int | None = parse_max_pages(max_pages)
        self.base_url: str = parse_base_url(base_url)
        self.window = parse_window(since, until)
        self.discover = parse_discovery(discover)
        if self.discover == "sitemaps" and any(t.subsection for t in self.targets):
            raise ArgumentError(
                "discover=sitemaps cannot backfill a subsection: sitemaps list an article under"
                " its own subsection only, so articles cross-listed there would be missed;"
                " use discover=listings for subsections"
            )
        self.job = parse_job(job)
        # A backfill: a window, a named job or another discovery. It never touches the scheduled
        # runs' state (a job keeps its own) and re-fetches nothing it has exported.
        self.backfill = bool(self.job) or not self.window.is_open or self.discover != "listings"
        self.oldest_reached: date | None = None  # the oldest listed date met inside the window
        # Per listing still being walked: the oldest date it has reached (for progress).
        self.walk_frontier: dict[str, date] = {}
        self.allowed_domains = [urlsplit(self.base_url).hostname or ""]
        # The host guard lets requests reach this host and port only (see middlewares/hostguard).
        self.allowed_netlocs = netloc_keys([self.base_url])
        # Post ID -> how fresh it was when first listed: each is requested or skipped once.
        # Integer keys: a 100,000-article backfill keeps this small (see benchmarks/).
        self.judged: dict[int, Freshness] = {}
        self.walked: set[str] = set()  # listings already walked in this run
        self.completed_walks: set[str] = set()  # listings walked to their end or to known articles
        self.tainted_walks: set[str] = set()  # listings with an article that failed for good
        self.arguments = {
            "section": ",".join(map(str, self.targets)),
            "max_pages": self.max_pages,
            "base_url": self.base_url,
            "since": self.window.since and self.window.since.isoformat(),
            "until": self.window.until and self.window.until.isoformat(),
            "discover": self.discover,
            "job": self.job,
        }

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> JapanNewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.backfill:  # exported once means done: no revisits
            crawler.settings.set("NEWSCRAWL_REVISIT_HOURS", 0, priority="spider")
        if spider.job:  # one output file for the whole job, appended by each resumption
            feeds = dict(crawler.settings.getdict("FEEDS"))
            feeds.pop(DATED_FEED, None)
            feeds[JOB_FEED] = {"format": "jsonlines", "encoding": "utf-8", "overwrite": False}
            crawler.settings.set("FEEDS", feeds, priority=crawler.settings.getpriority("FEEDS"))
        return spider

    @classmethod
    def validate_arguments(cls, arguments: dict[str, Any]) -> None:
        """Raise ArgumentError for bad -a values (used by our `crawl` command before start-up)."""
        cls(**arguments)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        state, _ = crawl_state(self.crawler)
        self.freshness = FreshnessPolicy.from_settings(self.crawler.settings, state)
        self.known_tolerance = self.crawler.settings.getint("NEWSCRAWL_KNOWN_TOLERANCE", 0)
        self.window_tolerance = self.crawler.settings.getint("NEWSCRAWL_WINDOW_TOLERANCE_PAGES", 2)
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
            self._inc("listing/not_found")
            self.logger.warning("section archive %s answered 404", response.url)
            if not subsections:  # not a section of the 2024 menu, and no archive: a typo?
                self._target_not_found(Target(section))
        else:
            self._inc("listing/pages")
            listing = site.parse_listing(response.text, response.url)
            found = {sub for sec, sub in listing.subsections if sec == section}
            found |= {
                m["subsection"]
                for e in listing.entries
                if (m := site.article_path(e.url)) and m["section"] == section
            }
            subsections.update(dict.fromkeys(sorted(found - subsections.keys())))
            walk, counts = Walk(Target(section)), PageCounts()
            yield from self._article_requests(listing, walk, response.url, counts)
        if not subsections:
            self.logger.error("no subsections known or found for section %r", section)
        for subsection in subsections:
            if walk := self._walk(Target(section, subsection)):
                yield self._listing_request(walk, page=1)

    def _walk(self, target: Target) -> Walk | None:
        """A new walk of a listing, marked as started (not complete) in the state; None when
        this run walks it already (`-a section=politics,politics/election`)."""
        if str(target) in self.walked:
            return None
        self.walked.add(str(target))
        state = self.freshness.state
        if state is None:
            return Walk(target)
        trust = state.listing_complete(str(target))
        state.start_listing(str(target))
        return Walk(target, trust_known=trust)

    def _below_window(self, walk: Walk, counts: PageCounts) -> bool:
        """Newest first: pages wholly older than the window end the walk, after
        NEWSCRAWL_WINDOW_TOLERANCE_PAGES of them in a row (an in-window article listed lower,
        as a re-ordered listing may do, is still reached)."""
        wholly_older = bool(counts.dated) and counts.older == counts.dated
        walk.older_pages = walk.older_pages + 1 if wholly_older else 0
        return walk.older_pages >= max(1, self.window_tolerance)

    def _walk_ended(self, walk: Walk) -> None:
        """At the listing's end, or at known articles, or below the window: complete."""
        self.completed_walks.add(str(walk.target))
        self.walk_frontier.pop(str(walk.target), None)

    def _listing_missing(self, walk: Walk, url: str, why: str) -> None:
        """Page 1 of a listing is missing or empty. Not an error for a subsection of the 2024
        menu that the site may have dropped; an error for one the user asked for."""
        self.logger.warning("listing %s %s", url, why)
        if walk.target in self.targets:
            self._target_not_found(walk.target)

    def _target_not_found(self, target: Target) -> None:
        missing = self.crawler.stats.get_value("newscrawl/targets/not_found") or []
        self.crawler.stats.set_value("newscrawl/targets/not_found", [*missing, str(target)])

    def _listing_request(self, walk: Walk, page: int) -> scrapy.Request:
        target = walk.target
        url = site.listing_url(self.base_url, target.section, target.subsection, page)
        return self._page_request(url, self.parse_listing, walk=walk, page=page)

    def parse_listing(self, response: Response, walk: Walk, page: int) -> Iterator[Any]:
        """One listing page: request its articles, then the next page unless this is the end.

        The walk ends at a page with no article it has not met on earlier pages (a site answering
        out-of-range pages with the last page, or looping to page 1), and, once an earlier walk
        of this listing was complete, at a page that ends with more than
        NEWSCRAWL_KNOWN_TOLERANCE known articles in a row: listings are newest first, so what
        follows is older and known too (the tolerance absorbs re-ordering). So does a page whose
        articles are all older than a backfill window.
        """
        if response.status == 404:
            self._inc("listing/end/not_found")
            if page > 1:
                self._walk_ended(walk)
            else:
                self._listing_missing(walk, response.url, "answered 404")
            return
        self._inc("listing/pages")
        listing = site.parse_listing(response.text, response.url)
        self._inc("listing/entries", len(listing.entries))
        if page == 1 and not listing.entries:
            self._listing_missing(walk, response.url, "lists no articles")
            return
        counts = PageCounts()
        yield from self._article_requests(listing, walk, response.url, counts)
        if not counts.met or (walk.trust_known and walk.known_run > self.known_tolerance):
            self._inc("listing/end/no_new_articles")
            self._walk_ended(walk)
        elif self._below_window(walk, counts):
            self._inc("listing/end/older_than_window")
            self._walk_ended(walk)
        elif self.max_pages and page >= self.max_pages:
            self._inc("listing/end/max_pages")
            self.walk_frontier.pop(str(walk.target), None)
        else:
            yield self._listing_request(walk, page + 1)

    def _article_requests(
        self, listing: site.ListingPage, walk: Walk, listing_url: str, counts: PageCounts
    ) -> Iterator[scrapy.Request]:
        """Requests for the listed articles that this run should fetch; COUNTS says what the
        page held (see parse_listing)."""
        for entry in listing.entries:
            match = site.article_path(entry.url)
            if match is None or int(match["post_id"]) in walk.seen:
                continue
            walk.seen.add(int(match["post_id"]))
            counts.met += 1
            if match["section"] != walk.target.section:
                self._inc("articles/skipped_other_section")
                continue
            if not self._in_window(match, counts, walk):
                continue
            post_id = int(match["post_id"])
            listed_before = post_id in self.judged
            freshness = self._judge(post_id)
            if freshness is Freshness.NEW:
                counts.new += 1
                walk.known_run = 0
            else:
                walk.known += 1
                walk.known_run += 1
            if listed_before:
                self._inc("articles/listed_again")  # under another listing: handled already
            elif freshness is Freshness.KNOWN:
                self._inc("articles/skipped_known")
            else:
                yield self._article_request(freshness, entry, listing_url, walk)

    def _in_window(self, match: re.Match[str], counts: PageCounts, walk: Walk) -> bool:
        """Whether a listed article can be in the backfill window, by the date in its URL (the
        Japan date of publication); counts the dated and the older ones."""
        day = site.url_date(match)
        counts.dated += 1
        position = self.window.position(day)
        if position == "older":
            counts.older += 1
        if position != "inside":
            self._inc(f"window/skipped_{position}")
            return False
        self.oldest_reached = min(day, self.oldest_reached or day)
        key = str(walk.target)
        self.walk_frontier[key] = min(day, self.walk_frontier.get(key, day))
        return True

    def _article_request(
        self, freshness: Freshness, entry: site.ListingEntry, listing_url: str, walk: Walk
    ) -> scrapy.Request:
        self._inc("articles/requested")
        self._inc(f"articles/requested/{freshness.value}")
        return scrapy.Request(
            self.base_url + urlsplit(site.canonical_url(entry.url)).path,
            callback=self.parse_article,
            priority=ARTICLE_PRIORITY,
            cb_kwargs={"listing_url": listing_url, "listing_date": entry.date_raw},
            meta={"newscrawl_kind": "article", "newscrawl_walk": str(walk.target)},
            errback=self.request_failed,
        )

    # -- discovery through sitemaps and feeds --------------------------------------------------
    def _page_request(self, url: str, callback: Any, **cb_kwargs: Any) -> scrapy.Request:
        """A listing, section archive, sitemap or feed page: a 404 reaches the callback (it ends
        a walk), other failures the errback."""
        return scrapy.Request(
            url,
            callback=callback,
            cb_kwargs=cb_kwargs,
            meta={"handle_httpstatus_list": [404], "newscrawl_kind": "listing"},
            errback=self.request_failed,
        )

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """A sitemap index (only the monthly sitemaps that can hold the window are read) or a
        sitemap of article URLs."""
        if response.status == 404:
            self.logger.warning("sitemap %s answered 404", response.url)
            return
        self._inc("listing/pages")
        sitemaps, urls = feeds.parse_sitemap(response.body)
        for sitemap in sitemaps:
            if self._month_can_hold_window(sitemap.url):
                url = self.base_url + urlsplit(sitemap.url).path
                yield self._page_request(url, self.parse_sitemap)
            else:
                self._inc("window/skipped_sitemaps")
        yield from self._discovered(urls, response.url)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """A section's RSS feed: its latest items only. A window older than the oldest item
        cannot be reached this way, and the run says so."""
        if response.status == 404:
            self._incomplete_discovery(f"{response.url} answered 404")
            return
        self._inc("listing/pages")
        items = feeds.parse_rss(response.body)
        yield from self._discovered(items, response.url)
        days = [self._url_day(item.url) for item in items]
        oldest = min((d for d in days if d), default=None)
        if self.window.since is None or oldest is None or oldest > self.window.since:
            self._incomplete_discovery(f"{response.url} reaches back only to {oldest}")

    def _discovered(self, links: list[feeds.Link], source: str) -> Iterator[scrapy.Request]:
        entries = [site.ListingEntry(url=link.url) for link in links]
        self._inc("listing/entries", len(entries))
        for target in self.targets:
            walk = Walk(target)
            listing = site.ListingPage(
                entries=[e for e in entries if self._targets_match(e.url, target)]
            )
            yield from self._article_requests(listing, walk, source, PageCounts())

    @staticmethod
    def _targets_match(url: str, target: Target) -> bool:
        match = site.article_path(url)
        if match is None or match["section"] != target.section:
            return False
        return target.subsection is None or match["subsection"] == target.subsection

    def _month_can_hold_window(self, url: str) -> bool:
        """A monthly sitemap ("...-2023-03.xml") outside the window is not read; a sitemap
        without a month in its name always is."""
        found = SITEMAP_MONTH.search(urlsplit(url).path)
        if not found:
            return True
        month = (int(found[1]), int(found[2]))
        since, until = self.window.since, self.window.until
        return not (since and month < (since.year, since.month)) and not (
            until and month > (until.year, until.month)
        )

    @staticmethod
    def _url_day(url: str) -> date | None:
        match = site.article_path(url)
        return site.url_date(match) if match else None

    def _incomplete_discovery(self, why: str) -> None:
        self.logger.error("discovery cannot reach the whole window: %s", why)
        reasons = self.crawler.stats.get_value("newscrawl/discovery/incomplete") or []
        self.crawler.stats.set_value("newscrawl/discovery/incomplete", [*reasons, why])

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
            crawled_at=utc_now(),
        )

    def _judge(self, post_id: int) -> Freshness:
        """Fresh or not as the state was when the run began: an article this run exported is
        in the state by now, and must not look old to the next listing that lists it."""
        if post_id not in self.judged:
            self.judged[post_id] = self.freshness.judge(f"{site.SITE}:{post_id}")
        return self.judged[post_id]

    def request_failed(self, failure: Failure) -> None:
        """A listing or article request that failed for good (after retries), or was refused.

        Gone articles (404, 410, or a redirect loop) are the site's business. Refused requests
        (another host, a private address, a body over the size limit) are counted and listed
        apart: the safety rules worked. Anything else is a failure that the run summary lists
        and that makes the run unhealthy.
        """
        request = failure.request
        kind = request.meta.get("newscrawl_kind", "other")
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self._inc("requests/forbidden_by_robots")
            return
        refusal = _refusal(failure)
        status = failure.value.response.status if failure.check(HttpError) else None
        if kind == "article" and (status in GONE or refusal == "loop"):
            self._inc("articles/gone")
            self.logger.warning("article gone (%s): %s", refusal or f"HTTP {status}", request.url)
            return
        if refusal and refusal != "loop":
            self._inc("requests/refused")
            if refusal == "too_large" and not failure.check(RefusedRequest):
                self._inc("bodies/too_large")  # decompression counts its own
            origin = (request.meta.get("redirect_urls") or [request.url])[0]
            where = f" at {request.url}" if request.url != origin else ""
            self._list_url("requests/refused_urls", f"{origin} ({refusal}{where})")
            return
        self._inc("requests/failed")
        self._inc(f"requests/failed/{kind}")
        if "newscrawl_walk" in request.meta:
            self.tainted_walks.add(request.meta["newscrawl_walk"])
        reason = f"HTTP {status}" if status else failure.getErrorMessage()[:200]
        self._list_url("requests/failed_urls", f"{request.url} ({reason})")
        self.logger.warning("%s request failed for good: %s", kind, request.url)

    def _list_url(self, key: str, entry: str) -> None:
        """Append to a stats list shown in the run summary, up to MAX_LISTED_FAILURES."""
        listed = self.crawler.stats.get_value(f"newscrawl/{key}") or []
        if len(listed) < MAX_LISTED_FAILURES:
            self.crawler.stats.set_value(f"newscrawl/{key}", [*listed, entry])

    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", count)


def _refusal(failure: Failure) -> str | None:
    """Why newscrawl refused the request or its response, or None when it did not."""
    if failure.check(RefusedRequest):
        return failure.value.reason
    if failure.check(DownloadCancelledError):
        # Scrapy cancels a download whose Content-Length or received bytes pass
        # DOWNLOAD_MAXSIZE (the second with an empty message). The only other cancellation is a
        # run being stopped, which fails the run anyway.
        return "too_large"
    return None
