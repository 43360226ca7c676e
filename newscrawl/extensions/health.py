"""Judge a finished run from its stats, and say so: one log line at the end and the exit status.

Scrapy exits 0 even when every request failed or the disk was full. This extension reads the
stats once the engine has stopped (after the feeds are closed) and gives a verdict; our `crawl`
command turns it into the process exit status:
0 healthy (also when there was nothing new), 1 unhealthy, 3 another run holds the crawl state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from newscrawl.defaults import DEFAULTS, setting_float
from newscrawl.json_feeds import feed_failed, our_feeds
from newscrawl.request_meta import KIND
from newscrawl.stats import (
    ARTICLES_FETCHED,
    ARTICLES_NOT_ARTICLE,
    ARTICLES_NOT_ARTICLE_PREFIX,
    ARTICLES_REQUESTED,
    BREAKER_TRIPPED,
    DEDUP_DROPPED,
    DISCOVERY_INCOMPLETE,
    EXPORTED_WITHOUT_PUBLISHED,
    FEED_CONFIGURED,
    FINISH_REASON,
    FRONTIER_SHARED,
    HEALTH,
    HOSTS_UNREACHABLE,
    ITEM_SCRAPED_COUNT,
    LISTING_ENTRIES,
    LISTING_PAGES,
    LISTING_UNREAD,
    REQUESTS_ASKED,
    REQUESTS_FAILED,
    REQUESTS_FORBIDDEN_BY_ROBOTS,
    REQUESTS_KIND_PREFIX,
    REQUESTS_REFUSED,
    REQUESTS_VANISHED,
    REQUESTS_VANISHED_URLS,
    REVISIONS_NEW,
    REVISIONS_UNCHANGED,
    REVISIONS_UPDATED,
    STATE_ERROR,
    TARGETS_NOT_FOUND,
    VALIDATION_DROPPED,
    VALIDATION_DROPPED_PREFIX,
)

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_UNHEALTHY = 1
EXIT_STATE_LOCKED = 3
MIN_NOT_ARTICLES = 3  # pages that were no article before their share can fail a run
# Marks the log record of the verdict line, which reaches stderr with the log in a file too
# (extensions/stderrlog.py).
VERDICT = "newscrawl_verdict"


@dataclass(frozen=True)
class Thresholds:
    max_dropped_share: float = DEFAULTS["NEWSCRAWL_MAX_DROPPED_SHARE"]  # dropped by validation
    max_missing_share: float = DEFAULTS["NEWSCRAWL_MAX_MISSING_SHARE"]  # no published time
    max_failed_share: float = DEFAULTS["NEWSCRAWL_MAX_FAILED_SHARE"]  # finally failed requests
    max_refused_share: float = DEFAULTS["NEWSCRAWL_MAX_REFUSED_SHARE"]  # refused for safety
    max_not_article_share: float = DEFAULTS["NEWSCRAWL_MAX_NOT_ARTICLE_SHARE"]  # walls, errors


@dataclass(frozen=True)
class Verdict:
    exit_status: int
    reason: str | None = None

    @property
    def status(self) -> str:
        return {EXIT_OK: "ok", EXIT_STATE_LOCKED: "locked"}.get(self.exit_status, "unhealthy")


def assess(stats: dict[str, Any], thresholds: Thresholds) -> Verdict:
    """The verdict on a run, from its final stats."""
    checks = (
        _state,
        _feeds,
        _finish,
        _targets,
        _listings,
        _fetched,
        _vanished,
        _walks,
        _not_articles,  # before _articles: a bot wall on every page is named as such
        _articles,
        _dropped,
        _missing,
        _failures,
        _refused,
    )
    for check in checks:
        verdict = check(stats, thresholds)
        if verdict is not None:
            return verdict
    return Verdict(EXIT_OK)


def _count(stats: dict[str, Any], prefix: str) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def _state(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    if stats.get(FINISH_REASON) == "state_locked":
        return Verdict(EXIT_STATE_LOCKED, stats.get(STATE_ERROR, "state locked"))
    return None


def _feeds(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    reason = feed_failed(stats)
    return Verdict(EXIT_UNHEALTHY, reason) if reason else None


def _finish(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    reason = stats.get(FINISH_REASON)
    if reason == "site_unavailable":
        host = stats.get(BREAKER_TRIPPED, "the site")
        return Verdict(
            EXIT_UNHEALTHY,
            f"{host} answered only errors for a while: the run stopped early (the next resumes)",
        )
    if reason != "finished":
        return Verdict(EXIT_UNHEALTHY, f"the crawl ended early (finish reason {reason!r})")
    return None


def _targets(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    missing = stats.get(TARGETS_NOT_FOUND)
    if missing:
        return Verdict(EXIT_UNHEALTHY, f"no such section or subsection: {', '.join(missing)}")
    incomplete = stats.get(DISCOVERY_INCOMPLETE)
    if incomplete:
        return Verdict(EXIT_UNHEALTHY, f"discovery cannot reach the whole window: {incomplete[0]}")
    return None


def _shared_and_clean(stats: dict[str, Any]) -> bool:
    """A worker of a shared frontier with no failed or forbidden request: the listings and
    articles it did not read, other workers did (their own verdicts say how that went)."""
    troubles = (REQUESTS_FAILED, REQUESTS_FORBIDDEN_BY_ROBOTS)
    return bool(stats.get(FRONTIER_SHARED)) and not any(stats.get(k) for k in troubles)


def _listings(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    pages = stats.get(LISTING_PAGES, 0)
    if pages and not stats.get(LISTING_ENTRIES, 0):
        return Verdict(EXIT_UNHEALTHY, f"{pages} listing pages held no article links")
    if pages or _shared_and_clean(stats):
        return None
    if unreachable := _unreachable(stats):
        return Verdict(EXIT_UNHEALTHY, f"{unreachable}: no listing page could be read")
    robots = stats.get(REQUESTS_FORBIDDEN_BY_ROBOTS, 0)
    detail = f"; {robots} requests forbidden by robots.txt" if robots else ""
    failed = stats.get(REQUESTS_FAILED, 0)
    detail += f"; {failed} requests failed" if failed else ""
    return Verdict(EXIT_UNHEALTHY, f"no listing page could be read{detail}")


def _unreachable(stats: dict[str, Any]) -> str | None:
    """Which host did not answer at all (robots.txt met a refused connection, a DNS failure),
    as "the host H was unreachable (cause)"; None when every host answered."""
    hosts = stats.get(HOSTS_UNREACHABLE)
    if not hosts:
        return None
    more = f" (and {len(hosts) - 1} more hosts)" if len(hosts) > 1 else ""
    host, _, cause = hosts[0].partition(" (")
    return f"the host {host} was unreachable ({cause.removesuffix(')')}){more}"


def _fetched(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    requested = stats.get(ARTICLES_REQUESTED, 0)
    if requested and not stats.get(ARTICLES_FETCHED, 0) and not _shared_and_clean(stats):
        robots = stats.get(REQUESTS_FORBIDDEN_BY_ROBOTS, 0)
        failed = stats.get(REQUESTS_FAILED, 0)
        refused = stats.get(REQUESTS_REFUSED, 0)
        if unreachable := _unreachable(stats):
            return Verdict(
                EXIT_UNHEALTHY,
                f"{requested} articles were listed but none could be fetched: {unreachable}"
                f" ({failed} failed)",
            )
        return Verdict(
            EXIT_UNHEALTHY,
            f"{requested} articles were listed but none could be fetched"
            f" ({robots} forbidden by robots.txt, {failed} failed, {refused} refused)",
        )
    return None


def _vanished(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    """Requests that ended neither in the spider's callback nor its errback (extensions/ledger):
    something dropped them silently."""
    vanished = stats.get(REQUESTS_VANISHED, 0)
    if vanished:
        urls = stats.get(REQUESTS_VANISHED_URLS) or ["?"]
        return Verdict(
            EXIT_UNHEALTHY,
            f"{vanished} requests vanished without a response or an error, first {urls[0]}"
            " (see the run summary)",
        )
    return None


def _walks(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    """A listing page that could not be read (failed, refused, forbidden, vanished) takes the
    articles only it lists with it: the walk is incomplete, whatever the shares."""
    unread = stats.get(LISTING_UNREAD)
    if not unread:
        return None
    url, _, why = unread[0].partition(" (")
    more = f" (and {len(unread) - 1} more listing pages)" if len(unread) > 1 else ""
    return Verdict(
        EXIT_UNHEALTHY,
        f"the listing {url} could not be read ({why.removesuffix(')')}): its walk is incomplete"
        f"{more}",
    )


def _parsed(stats: dict[str, Any]) -> int:
    """Article pages that gave a valid article (exported, unchanged or duplicate)."""
    return (
        stats.get(ITEM_SCRAPED_COUNT, 0)
        + stats.get(REVISIONS_UNCHANGED, 0)
        + stats.get(DEDUP_DROPPED, 0)
    )


def _articles(stats: dict[str, Any], _: Thresholds) -> Verdict | None:
    fetched = stats.get(ARTICLES_FETCHED, 0)
    if fetched and not _parsed(stats):
        return Verdict(
            EXIT_UNHEALTHY,
            f"listing pages were read but none of the {fetched} article pages held an article",
        )
    return None


def _not_articles(stats: dict[str, Any], thresholds: Thresholds) -> Verdict | None:
    """Unhealthy when more than the share of article pages fetched were not articles (a bot
    check, a wall, an error page: newscrawl.sites.pagekind): the site is keeping the crawler
    out, or its pages changed."""
    count = stats.get(ARTICLES_NOT_ARTICLE, 0)
    fetched = max(stats.get(ARTICLES_FETCHED, 0), count)
    limit = thresholds.max_not_article_share
    # A share of the few pages an hourly run fetches is noise: one walled article of three
    # would fail every run. Beyond the share, and at least MIN_NOT_ARTICLES pages.
    if count < MIN_NOT_ARTICLES or count / fetched <= limit:
        return None
    prefix = ARTICLES_NOT_ARTICLE_PREFIX
    reasons = {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}
    return Verdict(
        EXIT_UNHEALTHY,
        f"{count} of {fetched} article pages were not articles ({_pairs(reasons)}; see"
        f" not_article_urls in the run summary); limit {limit:.0%}",
    )


def _dropped(stats: dict[str, Any], thresholds: Thresholds) -> Verdict | None:
    dropped = stats.get(VALIDATION_DROPPED, 0)
    total = dropped + _parsed(stats)
    if total and dropped / total > thresholds.max_dropped_share:
        reasons = {
            k.rsplit("/", 1)[1]: v
            for k, v in stats.items()
            if k.startswith(VALIDATION_DROPPED_PREFIX)
        }
        return Verdict(
            EXIT_UNHEALTHY,
            f"{dropped} of {total} articles were dropped by validation ({_pairs(reasons)}); "
            f"limit {thresholds.max_dropped_share:.0%}",
        )
    return None


def _missing(stats: dict[str, Any], thresholds: Thresholds) -> Verdict | None:
    exported = stats.get(ITEM_SCRAPED_COUNT, 0)
    missing = stats.get(EXPORTED_WITHOUT_PUBLISHED, 0)
    if exported and missing / exported > thresholds.max_missing_share:
        return Verdict(
            EXIT_UNHEALTHY,
            f"{missing} of {exported} exported articles have no published time; "
            f"limit {thresholds.max_missing_share:.0%}",
        )
    return None


def _failures(stats: dict[str, Any], thresholds: Thresholds) -> Verdict | None:
    return _request_share(stats, REQUESTS_FAILED, "finally failed", thresholds.max_failed_share)


def _refused(stats: dict[str, Any], thresholds: Thresholds) -> Verdict | None:
    limit = thresholds.max_refused_share
    return _request_share(stats, REQUESTS_REFUSED, "were refused for safety", limit)


def _request_share(stats: dict[str, Any], key: str, what: str, limit: float) -> Verdict | None:
    """Unhealthy when more than LIMIT of all requests ended as KEY (a full stats key). A
    request counts once (newscrawl/requests/asked), not once per redirect hop or retry: a
    chain of eight hops must weigh what an off-site redirect, refused at its first hop, does."""
    count = stats.get(key, 0)
    total = stats.get(REQUESTS_ASKED) or _count(stats, REQUESTS_KIND_PREFIX)
    if count and count / max(total, 1) > limit:
        return Verdict(
            EXIT_UNHEALTHY,
            f"{count} of {total} requests {what} (see the run summary); limit {limit:.0%}",
        )
    return None


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no detail"


class RunHealth:
    """Counts what the verdict needs, then gives it when the engine stops."""

    def __init__(self, crawler: Crawler, thresholds: Thresholds):
        self.crawler = crawler
        self.thresholds = thresholds
        self.verdict: Verdict | None = None
        self.reported = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunHealth:
        settings = crawler.settings
        thresholds = Thresholds(
            max_dropped_share=setting_float(settings, "NEWSCRAWL_MAX_DROPPED_SHARE"),
            max_missing_share=setting_float(settings, "NEWSCRAWL_MAX_MISSING_SHARE"),
            max_failed_share=setting_float(settings, "NEWSCRAWL_MAX_FAILED_SHARE"),
            max_refused_share=setting_float(settings, "NEWSCRAWL_MAX_REFUSED_SHARE"),
            max_not_article_share=setting_float(settings, "NEWSCRAWL_MAX_NOT_ARTICLE_SHARE"),
        )
        extension = cls(crawler, thresholds)
        crawler.signals.connect(extension.request_sent, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self) -> None:
        """How many feeds our JSON lines exporter writes: each must get every item."""
        count = len(our_feeds(self.crawler.settings))
        self.crawler.stats.set_value(FEED_CONFIGURED, count)

    def request_sent(self, request: Request) -> None:
        kind = request.meta.get(KIND, "other")
        self.crawler.stats.inc_value(REQUESTS_KIND_PREFIX + kind)
        if not request.meta.get("redirect_urls") and not request.meta.get("retry_times"):
            self.crawler.stats.inc_value(REQUESTS_ASKED)  # not a hop, not a retry

    def response_received(self, response: Response, request: Request) -> None:
        if request.meta.get(KIND) == "article" and response.status == 200:
            self.crawler.stats.inc_value(ARTICLES_FETCHED)

    def item_scraped(self, item: Any) -> None:
        if not item.get("published"):
            self.crawler.stats.inc_value(EXPORTED_WITHOUT_PUBLISHED)

    def judge(self) -> Verdict:
        """The verdict, given once the engine has stopped (the same on every call)."""
        if self.verdict is None:
            self.verdict = assess(self.crawler.stats.get_stats(), self.thresholds)
            self.crawler.stats.set_value(HEALTH, self.verdict.status)
        return self.verdict

    def engine_stopped(self) -> None:
        self.report()

    def report(self) -> None:
        """Log the verdict once. A crawl closed while opening (state locked) never stops its
        engine: the `crawl` command calls this itself then."""
        if self.reported:
            return
        self.reported = True
        verdict = self.judge()
        mark = {VERDICT: True}
        if verdict.exit_status == EXIT_OK:
            stats = self.crawler.stats
            new = stats.get_value(REVISIONS_NEW, 0)
            updated = stats.get_value(REVISIONS_UPDATED, 0)
            logger.info(
                "newscrawl: healthy run: %d new, %d updated articles", new, updated, extra=mark
            )
        else:
            logger.error(
                "newscrawl: %s run, exit status %d: %s",
                verdict.status,
                verdict.exit_status,
                verdict.reason,
                extra=mark,
            )
