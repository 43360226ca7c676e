"""Spider `japannews`: walks The Japan News section listings and hands article pages to the parser.

It only routes (which pages, in what order, with what priority); reading pages is
newscrawl.sites.japannews.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.extensions.state import crawl_state
from newscrawl.items import ArticleItem
from newscrawl.sites import japannews as site
from newscrawl.spiders.arguments import (
    ArgumentError,
    Target,
    parse_base_url,
    parse_max_pages,
    parse_sections,
)
from newscrawl.spiders.freshness import Freshness, FreshnessPolicy

# Articles before listings: the queue stays short and items flow from the first seconds.
ARTICLE_PRIORITY = 10
GONE = frozenset({404, 410})
MAX_LISTED_FAILURES = 100


@dataclass
class Walk:
    """One listing being paged through: what it has met so far."""

    target: Target
    # Stop at known articles only if an earlier walk of this listing was complete (see state).
    trust_known: bool = False
    seen: set[str] = field(default_factory=set)  # post IDs met on this listing's pages
    known: int = 0  # of those, how many the crawl state already knew


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
        self.handled_ids: set[str] = set()  # post IDs requested or skipped as known
        self.judged: dict[str, Freshness] = {}
        self.completed_walks: set[str] = set()  # listings walked to their end or to known articles
        self.tainted_walks: set[str] = set()  # listings with an article that failed for good
        self.arguments = {
            "section": ",".join(map(str, self.targets)),
            "max_pages": self.max_pages,
            "base_url": self.base_url,
        }

    @classmethod
    def validate_arguments(cls, arguments: dict[str, Any]) -> None:
        """Raise ArgumentError for bad -a values (used by our `crawl` command before start-up)."""
        cls(**arguments)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        state, _ = crawl_state(self.crawler)
        self.freshness = FreshnessPolicy.from_settings(self.crawler.settings, state)
        self.known_tolerance = self.crawler.settings.getint("NEWSCRAWL_KNOWN_TOLERANCE", 0)
        for target in self.targets:
            if target.subsection:
                yield self._listing_request(self._walk(target), page=1)
            else:
                yield scrapy.Request(
                    site.listing_url(self.base_url, target.section),
                    callback=self.parse_section_archive,
                    cb_kwargs={"section": target.section},
                    meta={"handle_httpstatus_list": [404], "newscrawl_kind": "listing"},
                    errback=self.request_failed,
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
            yield from self._article_requests(listing, Walk(Target(section)), response.url)
        if not subsections:
            self.logger.error("no subsections known or found for section %r", section)
        for subsection in subsections:
            yield self._listing_request(self._walk(Target(section, subsection)), page=1)

    def _walk(self, target: Target) -> Walk:
        """A new walk of a listing, marked as started (not complete) in the state."""
        state = self.freshness.state
        if state is None:
            return Walk(target)
        trust = state.listing_complete(str(target))
        state.start_listing(str(target))
        return Walk(target, trust_known=trust)

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
        return scrapy.Request(
            site.listing_url(self.base_url, target.section, target.subsection, page),
            callback=self.parse_listing,
            cb_kwargs={"walk": walk, "page": page},
            meta={"handle_httpstatus_list": [404], "newscrawl_kind": "listing"},
            errback=self.request_failed,
        )

    def parse_listing(self, response: Response, walk: Walk, page: int) -> Iterator[Any]:
        """One listing page: request its articles, then the next page unless this is the end.

        A page with no new article ends the walk: none that this walk has not met on earlier
        pages (a site answering out-of-range pages with the last page, or looping to page 1)
        and none that the crawl state does not know, once more than NEWSCRAWL_KNOWN_TOLERANCE
        known ones were met (listings are newest first; the tolerance absorbs re-ordering).
        """
        if response.status == 404:
            self._inc("listing/end/not_found")
            if page > 1:
                self.completed_walks.add(str(walk.target))
            else:
                self._listing_missing(walk, response.url, "answered 404")
            return
        self._inc("listing/pages")
        listing = site.parse_listing(response.text, response.url)
        self._inc("listing/entries", len(listing.entries))
        if page == 1 and not listing.entries:
            self._listing_missing(walk, response.url, "lists no articles")
            return
        met, new = yield from self._article_requests(listing, walk, response.url)
        if not met or (walk.trust_known and not new and walk.known > self.known_tolerance):
            self._inc("listing/end/no_new_articles")
            self.completed_walks.add(str(walk.target))
        elif self.max_pages and page >= self.max_pages:
            self._inc("listing/end/max_pages")
        else:
            yield self._listing_request(walk, page + 1)

    def _article_requests(
        self, listing: site.ListingPage, walk: Walk, listing_url: str
    ) -> Iterator[scrapy.Request]:
        """Requests for the listing's articles that this run should fetch.

        Returns how many of the page's articles this walk had not met before, and how many of
        those the crawl state does not know either."""
        met = new = 0
        for entry in listing.entries:
            match = site.article_path(entry.url)
            if match is None or match["post_id"] in walk.seen:
                continue
            walk.seen.add(match["post_id"])
            met += 1
            if match["section"] != walk.target.section:
                self._inc("articles/skipped_other_section")
                continue
            freshness = self._judge(match["post_id"])
            if freshness is Freshness.NEW:
                new += 1
            else:
                walk.known += 1
            if match["post_id"] in self.handled_ids:
                self._inc("articles/listed_again")  # under another listing: handled already
            elif freshness is Freshness.KNOWN:
                self.handled_ids.add(match["post_id"])
                self._inc("articles/skipped_known")
            else:
                self.handled_ids.add(match["post_id"])
                self._inc("articles/requested")
                self._inc(f"articles/requested/{freshness.value}")
                yield scrapy.Request(
                    self.base_url + urlsplit(site.canonical_url(entry.url)).path,
                    callback=self.parse_article,
                    priority=ARTICLE_PRIORITY,
                    cb_kwargs={"listing_url": listing_url, "listing_date": entry.date_raw},
                    meta={"newscrawl_kind": "article", "newscrawl_walk": str(walk.target)},
                    errback=self.request_failed,
                )
        return met, new

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

    def _judge(self, post_id: str) -> Freshness:
        """Fresh or not as the state was when the run began: an article this run exported is
        in the state by now, and must not look old to the next listing that lists it."""
        if post_id not in self.judged:
            self.judged[post_id] = self.freshness.judge(f"{site.SITE}:{post_id}")
        return self.judged[post_id]

    def request_failed(self, failure: Failure) -> None:
        """A listing or article request that failed for good (after retries).

        Gone articles (404, 410) are the site's business; anything else is a failure that the run
        summary lists and that makes the run unhealthy.
        """
        request = failure.request
        kind = request.meta.get("newscrawl_kind", "other")
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self._inc("requests/forbidden_by_robots")
            return
        status = failure.value.response.status if failure.check(HttpError) else None
        if kind == "article" and status in GONE:
            self._inc("articles/gone")
            return
        self._inc("requests/failed")
        self._inc(f"requests/failed/{kind}")
        if "newscrawl_walk" in request.meta:
            self.tainted_walks.add(request.meta["newscrawl_walk"])
        failed = self.crawler.stats.get_value("newscrawl/requests/failed_urls") or []
        if len(failed) < MAX_LISTED_FAILURES:
            reason = f"HTTP {status}" if status else failure.getErrorMessage()[:200]
            self.crawler.stats.set_value(
                "newscrawl/requests/failed_urls", [*failed, f"{request.url} ({reason})"]
            )
        self.logger.warning("%s request failed for good: %s", kind, request.url)

    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", count)
