"""What every newscrawl spider shares: arguments common to all, walks of paged listings, which
listed articles to fetch (crawl state, backfill window), and how failed requests are counted.

A site's spider only routes: it turns its pages into `Listed` articles and next pages, and hands
article pages to its parser. `japannews` and `news` are built on this class.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.defaults import setting_int
from newscrawl.exceptions import HostUnreachable, RefusedRequest
from newscrawl.request_ends import settle
from newscrawl.request_meta import ARTICLE_KEY, KIND, WALK, asked_url
from newscrawl.sites import pagekind
from newscrawl.spiders.arguments import (
    Floor,
    SpiderArguments,
    Target,
    Window,
    is_runner_argument,
)
from newscrawl.spiders.freshness import Freshness, FreshnessPolicy
from newscrawl.state import of_crawler
from newscrawl.stats import (
    ARTICLES_GONE,
    ARTICLES_LISTED_AGAIN,
    ARTICLES_NOT_ARTICLE,
    ARTICLES_NOT_ARTICLE_PREFIX,
    ARTICLES_NOT_ARTICLE_URLS,
    ARTICLES_REQUESTED,
    ARTICLES_REQUESTED_PREFIX,
    ARTICLES_SKIPPED_KNOWN,
    ARTICLES_SKIPPED_OTHER_SECTION,
    BODIES_TOO_LARGE,
    DISCOVERY_INCOMPLETE,
    LISTING_END_MAX_PAGES,
    LISTING_END_NO_NEW_ARTICLES,
    LISTING_END_OLDER_THAN_WINDOW,
    LISTING_UNREAD,
    REQUESTS_FAILED,
    REQUESTS_FAILED_PREFIX,
    REQUESTS_FAILED_URLS,
    REQUESTS_FORBIDDEN_BY_ROBOTS,
    REQUESTS_REFUSED,
    REQUESTS_REFUSED_PREFIX,
    REQUESTS_REFUSED_URLS,
    TARGETS_NOT_FOUND,
    WINDOW_SKIPPED,
    WINDOW_SKIPPED_OLDER,
    append_listed,
)

# Articles before listings: the queue stays short and items flow from the first seconds.
ARTICLE_PRIORITY = 10
GONE = frozenset({404, 410})
SITEMAP_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?!\d)")


@dataclass(frozen=True)
class Listed:
    """An article a listing, feed, sitemap or file names."""

    key: int  # its identity within the site (a post ID, or a number derived from its URL)
    url: str  # what to fetch
    day: date | None = None  # its publication date, when the URL or the listing tells
    # A date it cannot be later than (a sitemap's lastmod): only rules out "older than since".
    not_after: date | None = None
    date_raw: str | None = None  # the listing's date text, a last resort for `published`
    in_target: bool = True  # listed under the walked section (not a cross-link to another)


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
    seen: set[int] = field(default_factory=set)  # keys of the articles met on its pages
    known: int = 0  # of those, how many the crawl state already knew
    known_run: int = 0  # known ones met in a row, in listing order, since the last new one


class ArticleSpider(scrapy.Spider):
    """Base of the project's spiders (not a spider itself: it has no name)."""

    # The -a arguments it takes, as a typed model: they are read through it once per crawl,
    # and `scrapy crawl NAME -h` lists its declaration (`Arguments.declaration()`).
    Arguments: type[SpiderArguments] = SpiderArguments
    site_name = ""  # the `site` of the items and the prefix of their ids in the crawl state

    def __init__(self, parsed: SpiderArguments | None = None, **kwargs: Any):
        """PARSED: the arguments our `crawl` command read already (validate_arguments); else
        they are read from KWARGS, the -a values (`runspider`, a script's CrawlerProcess)."""
        super().__init__(**{k: v for k, v in kwargs.items() if is_runner_argument(k)})
        if not isinstance(parsed, SpiderArguments):
            given = {k: v for k, v in kwargs.items() if not is_runner_argument(k)}
            if parsed is not None:  # `-a parsed=...` is no argument of ours: refused by name
                given["parsed"] = parsed
            parsed = self.Arguments.read(given, self.name)
        self.args = parsed
        self.max_pages: int | None = parsed.max_pages
        self.window: Window = parsed.window
        self.job: str | None = parsed.job
        self.tz = parsed.time_zone  # the site's time zone: where "today" is, for `since`
        self.arguments = parsed.shown()  # as the run summary records them
        self.use_arguments(parsed)
        self.oldest_reached: date | None = None  # the oldest listed date met inside the window
        # Per listing still being walked: the oldest date it has reached (for progress).
        self.walk_oldest_day: dict[str, date] = {}
        # Article key -> how fresh it was when first listed: each is requested or skipped once.
        # Integer keys: a 100,000-article backfill keeps this small (see benchmarks/).
        self.judged: dict[int, Freshness] = {}
        self.walked: set[str] = set()  # listings already walked in this run
        self.completed_walks: set[str] = set()  # listings walked to their end or to known ones
        self.tainted_walks: set[str] = set()  # listings with an article that failed for good

    def use_arguments(self, parsed: Any) -> None:
        """Take the spider's own arguments (PARSED: its Arguments model) as attributes."""

    @property
    def floor(self) -> Floor:
        """The first day the crawled site can have an article (a window's `until`)."""
        return self.args.floor

    @property
    def backfill(self) -> bool:
        """A window or a named job (and what a spider's model adds): never touches the
        scheduled runs' state (a job keeps its own) and re-fetches nothing it has exported."""
        return self.args.backfill

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Our `crawl` command has checked this already (validate_arguments); other ways of
        # starting a crawl (runspider, a script's CrawlerProcess) stop here, still before any
        # request.
        spider.args.check_today(crawler.settings)
        if spider.backfill:  # exported once means done: no revisits
            crawler.settings.set("NEWSCRAWL_REVISIT_HOURS", 0, priority="spider")
        if spider.job:
            feeds = spider.run_feeds(crawler.settings.getdict("FEEDS"))
            crawler.settings.set("FEEDS", feeds, priority=crawler.settings.getpriority("FEEDS"))
        return spider

    def run_feeds(self, feeds: dict[str, Any]) -> dict[str, Any]:
        """The feeds this run writes, given FEEDS (see SpiderArguments.run_feeds)."""
        return self.args.run_feeds(feeds)

    @classmethod
    def validate_arguments(cls, arguments: dict[str, Any], settings: Any = None) -> Any:
        """The arguments read from ARGUMENTS (-a values), for our `crawl` command before
        start-up, which hands them to the spider; ArgumentError for a bad one. With SETTINGS,
        "today" is NEWSCRAWL_NOW's day when it is set (a replay), else the clock's."""
        parsed = cls.Arguments.read(arguments, cls.name)
        parsed.check_today(settings)
        return parsed

    def today(self, settings: Any = None) -> date:
        """Today in the site's time zone, by the run's clock (see `run_now`)."""
        return self.args.today(settings)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        state = of_crawler(self.crawler).state
        self.freshness = FreshnessPolicy.from_settings(self.crawler.settings, state)
        self.known_tolerance = setting_int(self.crawler.settings, "NEWSCRAWL_KNOWN_TOLERANCE")
        self.window_tolerance = setting_int(
            self.crawler.settings, "NEWSCRAWL_WINDOW_TOLERANCE_PAGES"
        )
        for request in self.first_requests():
            yield request

    def first_requests(self) -> Iterable[scrapy.Request]:
        raise NotImplementedError

    # -- walks of paged listings ----------------------------------------------------------------
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

    def _walk_goes_on(self, walk: Walk, counts: PageCounts, page: int) -> bool:
        """After a listing page: whether to read the next one (newest first).

        The walk ends at a page with no article it has not met on earlier pages (a site
        answering out-of-range pages with the last page, or looping to page 1), and, once an
        earlier walk of this listing was complete, at a page that ends with more than
        NEWSCRAWL_KNOWN_TOLERANCE known articles in a row: what follows is older and known
        too (the tolerance absorbs re-ordering). So does a page whose articles are all older
        than a backfill window, and `max_pages`.
        """
        if not counts.met or (walk.trust_known and walk.known_run > self.known_tolerance):
            self._inc(LISTING_END_NO_NEW_ARTICLES)
            self._walk_ended(walk)
        elif self._below_window(walk, counts):
            self._inc(LISTING_END_OLDER_THAN_WINDOW)
            self._walk_ended(walk)
        elif self.max_pages and page >= self.max_pages:
            self._inc(LISTING_END_MAX_PAGES)
            self.walk_oldest_day.pop(str(walk.target), None)
        else:
            return True
        return False

    def _below_window(self, walk: Walk, counts: PageCounts) -> bool:
        """Pages wholly older than the window end the walk, after
        NEWSCRAWL_WINDOW_TOLERANCE_PAGES of them in a row (an in-window article listed lower,
        as a re-ordered listing may do, is still reached)."""
        wholly_older = bool(counts.dated) and counts.older == counts.dated
        walk.older_pages = walk.older_pages + 1 if wholly_older else 0
        return walk.older_pages >= max(1, self.window_tolerance)

    def _walk_ended(self, walk: Walk) -> None:
        """At the listing's end, or at known articles, or below the window: complete."""
        self.completed_walks.add(str(walk.target))
        self.walk_oldest_day.pop(str(walk.target), None)

    def _target_not_found(self, target: Target | str) -> None:
        missing = self.crawler.stats.get_value(TARGETS_NOT_FOUND) or []
        self.crawler.stats.set_value(TARGETS_NOT_FOUND, [*missing, str(target)])

    # -- which listed articles to fetch ---------------------------------------------------------
    def _article_requests(
        self, listed: Iterable[Listed], walk: Walk, listing_url: str, counts: PageCounts
    ) -> Iterator[scrapy.Request]:
        """Requests for the listed articles that this run should fetch; COUNTS says what the
        page held (see `_walk_goes_on`)."""
        for article in listed:
            if article.key in walk.seen:
                continue
            walk.seen.add(article.key)
            counts.met += 1
            if not article.in_target:
                self._inc(ARTICLES_SKIPPED_OTHER_SECTION)
                continue
            if not self._in_window(article, counts, walk):
                continue
            listed_before = article.key in self.judged
            freshness = self._judge(article.key)
            if freshness is Freshness.NEW:
                counts.new += 1
                walk.known_run = 0
            else:
                walk.known += 1
                walk.known_run += 1
            if listed_before:
                self._inc(ARTICLES_LISTED_AGAIN)  # under another listing: handled already
            elif freshness is Freshness.KNOWN:
                self._inc(ARTICLES_SKIPPED_KNOWN)
            else:
                yield self._article_request(freshness, article, listing_url, walk)

    def _in_window(self, article: Listed, counts: PageCounts, walk: Walk) -> bool:
        """Whether a listed article can be in the backfill window, by its date; counts the
        dated and the older ones. An undated one is fetched, and its page decides."""
        if article.day is None:
            if article.not_after and self.window.since and article.not_after < self.window.since:
                self._inc(WINDOW_SKIPPED_OLDER)
                return False
            return True
        counts.dated += 1
        position = self.window.position(article.day)
        if position == "older":
            counts.older += 1
        if position != "inside":
            self._inc(WINDOW_SKIPPED[position])
            return False
        self.oldest_reached = min(article.day, self.oldest_reached or article.day)
        key = str(walk.target)
        self.walk_oldest_day[key] = min(article.day, self.walk_oldest_day.get(key, article.day))
        return True

    def _judge(self, key: int) -> Freshness:
        """Fresh or not as the state was when the run began: an article this run exported is
        in the state by now, and must not look old to the next listing that lists it."""
        if key not in self.judged:
            self.judged[key] = self.freshness.judge(f"{self.site_name}:{key}")
        return self.judged[key]

    def _article_request(
        self, freshness: Freshness, article: Listed, listing_url: str, walk: Walk
    ) -> scrapy.Request:
        self._inc(ARTICLES_REQUESTED)
        self._inc(ARTICLES_REQUESTED_PREFIX + freshness.value)
        return scrapy.Request(
            article.url,
            callback=self.parse_article,
            priority=ARTICLE_PRIORITY,
            cb_kwargs={"listing_url": listing_url, "listing_date": article.date_raw},
            meta={KIND: "article", WALK: str(walk.target), ARTICLE_KEY: article.key},
            errback=self.request_failed,
        )

    def parse_article(self, response: Any, listing_url: str, listing_date: str | None) -> Any:
        raise NotImplementedError

    # -- listings, sitemaps and feeds -----------------------------------------------------------
    def _page_request(self, url: str, callback: Any, **cb_kwargs: Any) -> scrapy.Request:
        """A listing, section archive, sitemap or feed page: a 404 reaches the callback (it ends
        a walk), other failures the errback."""
        meta: dict[str, Any] = {"handle_httpstatus_list": [404], KIND: "listing"}
        if isinstance(cb_kwargs.get("walk"), Walk):  # a page lost taints its walk
            meta[WALK] = str(cb_kwargs["walk"].target)
        return scrapy.Request(
            url, callback=callback, cb_kwargs=cb_kwargs, meta=meta, errback=self.request_failed
        )

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

    def _incomplete_discovery(self, why: str) -> None:
        self.logger.error("discovery cannot reach the whole window: %s", why)
        reasons = self.crawler.stats.get_value(DISCOVERY_INCOMPLETE) or []
        self.crawler.stats.set_value(DISCOVERY_INCOMPLETE, [*reasons, why])

    # -- failures ---------------------------------------------------------------------------------
    def request_failed(self, failure: Failure) -> None:
        """A listing or article request that ended without a page to parse: failed for good
        (after retries), refused, gone or forbidden by robots.txt. Each is counted and listed
        under the URL the spider asked for (a redirect's first URL, not a hop's).

        Gone articles (404, 410) are the site's business. Refused requests (another host, a
        private address, a non-HTTP scheme, a redirect loop or a chain too long, a body over the
        size limit) are counted and listed apart: the safety rules worked. Anything else is a
        failure that the run summary lists and that makes the run unhealthy; a host that could
        not be reached at all fails every request to it. A listing page lost in any of these
        ways leaves its walk incomplete (`newscrawl/listing/unread`).
        """
        request = failure.request
        settle(self.crawler, request)
        kind = request.meta.get(KIND, "other")
        origin = asked_url(request)
        if failure.check(HostUnreachable):
            self._failed(request, kind, f"host unreachable: {failure.value.cause}")
            return
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self._inc(REQUESTS_FORBIDDEN_BY_ROBOTS)
            self._lost_listing(request, kind, "forbidden by robots.txt")
            return
        refusal = _refusal(failure)
        status = failure.value.response.status if failure.check(HttpError) else None
        if kind == "article" and status in GONE:
            self._inc(ARTICLES_GONE)
            self.logger.warning("article gone (HTTP %s): %s", status, request.url)
            return
        if refusal:
            self._inc(REQUESTS_REFUSED)
            self._inc(REQUESTS_REFUSED_PREFIX + refusal)
            if refusal == "too_large" and not failure.check(RefusedRequest):
                self._inc(BODIES_TOO_LARGE)  # decompression counts its own
            where = f" at {request.url}" if request.url != origin else ""
            self._list_url(REQUESTS_REFUSED_URLS, f"{origin} ({refusal}{where})")
            self.logger.warning("%s request refused (%s): %s", kind, refusal, origin)
            self._lost_listing(request, kind, refusal)
            return
        self._failed(request, kind, f"HTTP {status}" if status else failure.getErrorMessage())

    def _failed(self, request: scrapy.Request, kind: str, reason: str) -> None:
        self._inc(REQUESTS_FAILED)
        self._inc(REQUESTS_FAILED_PREFIX + kind)
        origin = asked_url(request)
        self._list_url(REQUESTS_FAILED_URLS, f"{origin} ({reason[:200]})")
        self.logger.warning("%s request failed for good (%s): %s", kind, reason[:200], origin)
        if WALK in request.meta:  # the next run walks it again, to retry it
            self.tainted_walks.add(request.meta[WALK])
        self._lost_listing(request, kind, reason[:200])

    def _lost_listing(self, request: scrapy.Request, kind: str, reason: str) -> None:
        """What a lost listing page would have led to is lost with it: its walk is incomplete
        (not recorded complete in the state) and the run is unhealthy (health `_walks`). (An
        article refused or forbidden taints nothing: no later run can fetch it either.)"""
        if kind != "listing":
            return
        if WALK in request.meta:
            self.tainted_walks.add(request.meta[WALK])
        origin = asked_url(request)
        self._list_url(LISTING_UNREAD, f"{origin} ({reason})")

    # -- pages that are not the article ---------------------------------------------------------
    def _not_article(self, response: Any, why: str, detail: str = "") -> None:
        """An article URL answered with a page that is not the article (WHY: a reason of
        newscrawl.sites.pagekind, counted as newscrawl/articles/not_article/WHY). Nothing is
        exported, so the crawl state does not record the article; its walk is left incomplete
        so that the next run walks far enough to fetch it again. Except for an article that
        redirected to a page that is no article of the site (a deleted story sent to the home
        page): that is the site's answer, like a 404, and fetching it again would not change it
        (while its walk, left incomplete, would be read to its end by every run)."""
        self._inc(ARTICLES_NOT_ARTICLE)
        self._inc(ARTICLES_NOT_ARTICLE_PREFIX + why)
        origin = asked_url(response)
        self._list_url(ARTICLES_NOT_ARTICLE_URLS, f"{origin} ({why})")
        if WALK in response.meta and why != pagekind.REDIRECTED:
            self.tainted_walks.add(response.meta[WALK])
        self.logger.warning("%s is not an article (%s%s); skipped", origin, why, detail)

    def _list_url(self, key: str, entry: str) -> None:
        """Append to a stats list shown in the run summary (KEY, a full key), up to its bound."""
        append_listed(self.crawler.stats, key, entry)

    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(key, count)


def _refusal(failure: Failure) -> str | None:
    """Why newscrawl refused the request or its response, or None when it did not (the
    reasons: offsite, private, scheme, loop, redirects, too_large)."""
    if failure.check(RefusedRequest):
        return failure.value.reason
    if failure.check(IgnoreRequest) and str(failure.value) == "max redirections reached":
        return "redirects"  # Scrapy's RedirectMiddleware past REDIRECT_MAX_TIMES
    if failure.check(HttpError) and _redirect_elsewhere(failure.value.response):
        # Scrapy's RedirectMiddleware does not follow a Location of another scheme (file:,
        # ftp:, javascript:): the 3xx itself reaches the errback.
        return "scheme"
    if failure.check(DownloadCancelledError):
        # Scrapy cancels a download whose Content-Length or received bytes pass
        # DOWNLOAD_MAXSIZE (the second with an empty message). The only other cancellation is a
        # run being stopped, which fails the run anyway.
        return "too_large"
    return None


def _redirect_elsewhere(response: Any) -> bool:
    """A redirect to a URL that is neither http nor https."""
    location = response.headers.get(b"Location")
    if not 300 <= response.status < 400 or not location:
        return False
    scheme = urlsplit(urljoin(response.url, location.decode("latin-1"))).scheme
    return scheme not in ("http", "https")
