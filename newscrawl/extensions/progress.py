"""Progress of a backfill: a live bar on a terminal, a log line at a fixed interval otherwise.

The work of a backfill is its requests: listing pages (and sitemaps, feeds) and articles. What is
done is counted exactly (requests that reached the spider's callback or errback); what is left is
estimated from what each listing has shown so far. Listings are newest first, so a walk moves
from `until` down to `since`: a listing that has asked N articles while covering a share C of the
window's days holds about N / C of them; one that has not reached the window yet, as much as the
others, or more if it needed more pages to get down there (see `_unreached`); each listing page
still queued (a sitemap) about as many as a page gave so far. No share is given while most
listings are still above the window. The share shown only moves forward: the largest share of
work done against the estimated total seen so far, held below 100% until the crawl finishes,
and 100% then. The time left is the work left divided by the work done per second so far.

On a terminal, Scrapy's log lines go above the bar while it is shown (the console log handlers
are swapped for ones that write through `tqdm.write`, then put back).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, NamedTuple

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from tqdm import tqdm
from twisted.internet.task import LoopingCall

from newscrawl.defaults import setting_float
from newscrawl.request_ends import request_settled
from newscrawl.request_meta import KIND, WALK
from newscrawl.stats import ITEM_SCRAPED_COUNT, LISTING_ENTRIES, LISTING_PAGES

logger = logging.getLogger(__name__)

CAP = 0.99  # the share shown before the crawl has finished is at most this
LINKS_PER_PAGE = 10  # article links a listing page holds, until one is parsed
BAR_STEPS = 1000  # the bar's total: its position moves by tenths of a percent
BAR_COLUMNS = 80
BAR_FORMAT = "{desc} {percentage:3.0f}%|{bar}| {text}"
BAR_FORMAT_UNKNOWN = "{desc}: {text}"  # no share known yet (or no window start)


class Listing(NamedTuple):
    """One listing this run has met, as far as its walk has got."""

    covered: float  # share of the window's days walked: 1 once ended, 0 before the window
    articles: int  # article requests it asked
    pages: int  # its pages read (a response or a failure)
    above: int  # of those, read before it asked an article inside the window


@dataclass(frozen=True)
class Snapshot:
    """What a backfill has done so far: the estimator's inputs (tests replay recorded ones)."""

    elapsed: float  # seconds since the spider opened
    pages: int  # listing, sitemap and feed requests done (a response or a failure)
    pages_pending: int  # of those asked, not done yet
    requested: int  # article requests asked
    settled: int  # of those, done
    exported: int  # items exported
    entries: int = 0  # article links on the listing pages parsed
    parsed: int = 0  # listing pages parsed
    # Every listing this run has met; none when the window has no start (nothing tells how
    # much is left then).
    walks: tuple[Listing, ...] = ()
    oldest: date | None = None
    since: date | None = None
    until: date | None = None

    @property
    def work_done(self) -> int:
        return self.pages + self.settled


def expected_articles(snapshot: Snapshot) -> float | None:
    """The articles the whole backfill will ask, from what each listing has shown; None before
    any listing has reached the window (or when the window has no start)."""
    reached = [walk for walk in snapshot.walks if walk.covered > 0 and walk.articles]
    unreached = sum(1 for walk in snapshot.walks if walk.covered == 0)
    if snapshot.since is None or not reached or unreached > len(reached):
        return None  # too little known yet: most listings have not reached the window
    holds = [walk.articles / walk.covered for walk in reached]
    walks = sum(holds) + sum(_unreached(snapshot.walks, reached, holds))
    other = snapshot.requested - sum(walk.articles for walk in snapshot.walks)  # not from a walk
    per_page = snapshot.requested / max(snapshot.pages, 1)  # articles a listing page gave
    queued = snapshot.requested + snapshot.pages_pending * per_page
    return max(float(snapshot.requested), walks + other, queued)


def _unreached(
    walks: tuple[Listing, ...], reached: list[Listing], holds: list[float]
) -> list[float]:
    """What each listing not yet in the window will hold: as much as the others on average, or
    more when it has read more pages above the window already than theirs took per article in
    it. A denser listing needs more pages to get down to the window and holds more in it, in
    the same proportion: listings all start at their newest article."""
    above = sum(walk.above for walk in reached)
    per_page_above = sum(holds) / above if above else 0.0
    mean = sum(holds) / len(holds)
    return [max(mean, walk.pages * per_page_above) for walk in walks if walk.covered == 0]


def expected_work(snapshot: Snapshot) -> float | None:
    """Listing pages and articles the whole backfill will take: the articles expected, the
    listing pages done and queued, and the pages the articles still to list are on."""
    articles = expected_articles(snapshot)
    if articles is None:
        return None
    parsed, entries = snapshot.parsed, snapshot.entries
    links = entries / parsed if parsed and entries else LINKS_PER_PAGE
    pages_left = max(0.0, articles - snapshot.requested) / links
    return snapshot.pages + snapshot.pages_pending + pages_left + articles


@dataclass(frozen=True)
class Estimate:
    done: float | None  # the share shown: never decreases, 1.0 only once finished
    seconds_left: float | None


@dataclass
class Estimator:
    """Turns a backfill's snapshots, in order, into shares that only move forward."""

    shown: float = 0.0
    known: bool = False  # an estimate was ever given

    def update(self, snapshot: Snapshot, finished: bool = False) -> Estimate:
        if finished:
            self.shown, self.known = 1.0, True
            return Estimate(1.0, 0.0)
        total = expected_work(snapshot)
        if total is None:
            return Estimate(self.shown if self.known else None, None)
        self.known = True
        done = snapshot.work_done
        self.shown = max(self.shown, min(CAP, done / total) if total else 0.0)
        return Estimate(self.shown, _seconds_left(done, total, snapshot.elapsed))


def _seconds_left(done: int, total: float, elapsed: float) -> float | None:
    """The work left at the rate of work done so far."""
    if done <= 0 or elapsed <= 0:
        return None
    return max(0.0, total - done) / (done / elapsed)


def duration(seconds: float) -> str:
    if seconds >= 100 * 3600:
        return ">99h"
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s"


def _rate(snapshot: Snapshot) -> float:
    return snapshot.exported / snapshot.elapsed if snapshot.elapsed > 0 else 0.0


def log_line(snapshot: Snapshot, estimate: Estimate) -> str:
    """The progress line of a log (no terminal)."""
    window = f"{snapshot.since or '…'}..{snapshot.until}"
    text = (
        f"{snapshot.pages} listing pages, {snapshot.exported} articles"
        f" ({_rate(snapshot):.1f}/s), oldest {snapshot.oldest or '-'} of {window}"
    )
    if estimate.done is not None:
        text += f", {estimate.done:.0%} done"
    if estimate.seconds_left is not None and estimate.done != 1.0:
        text += f", about {duration(estimate.seconds_left)} left"
    return text


def bar_text(snapshot: Snapshot, estimate: Estimate) -> str:
    """What the bar shows after it: short enough for 80 columns with any counts."""
    text = f"{snapshot.exported} articles {_rate(snapshot):.1f}/s, oldest {snapshot.oldest or '-'}"
    if estimate.seconds_left is not None and estimate.done != 1.0:
        text += f", {duration(estimate.seconds_left)} left"
    return text


class Bar(tqdm):
    """A tqdm bar whose text after the bar is `text` (tqdm puts ", " before a postfix)."""

    text = ""

    @property
    def format_dict(self) -> dict[str, Any]:
        return {**super().format_dict, "text": self.text}


def bar_columns(stream: IO[str]) -> int:
    """80 columns, or fewer on a narrower terminal: a bar wider than the terminal wraps, and
    every redraw would leave a line behind (tqdm trims the line to `ncols`)."""
    try:
        width = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):  # not a terminal, or no file descriptor
        return BAR_COLUMNS
    return min(BAR_COLUMNS, width) if width > 0 else BAR_COLUMNS


def new_bar(stream: IO[str]) -> Bar:
    return Bar(
        total=BAR_STEPS,
        desc="backfill",
        file=stream,
        ncols=bar_columns(stream),
        bar_format=BAR_FORMAT_UNKNOWN,
        leave=True,
        mininterval=0,
    )


def show(bar: Bar, snapshot: Snapshot, estimate: Estimate) -> None:
    """Draw the bar; no share (nor a 0%) until there is an estimate."""
    bar.bar_format = BAR_FORMAT_UNKNOWN if estimate.done is None else BAR_FORMAT
    bar.n = round((estimate.done or 0.0) * BAR_STEPS)
    bar.text = bar_text(snapshot, estimate)
    bar.refresh()


# -- log lines above the bar --------------------------------------------------------------------
class BarSafeHandler(logging.Handler):
    """Stands in for a console handler while a bar is shown: the same level, filters and
    format, written through `tqdm.write` (which clears the bar, writes, and draws it again)."""

    def __init__(self, original: logging.StreamHandler):
        super().__init__(original.level)
        self.original = original
        self.setFormatter(original.formatter)
        for log_filter in original.filters:
            self.addFilter(log_filter)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=self.original.stream)
        except Exception:
            self.handleError(record)


def redirect_console(stream: IO[str], target: logging.Logger | None = None) -> Callable[[], None]:
    """Swap the handlers of TARGET (the root logger) that write to STREAM for bar-safe ones;
    returns what puts them back. Like tqdm's `logging_redirect_tqdm`, which loses the handler's
    level (Scrapy sets the level on its handler, not on the root logger: DEBUG lines would show)
    and merges every console handler into one."""
    target = target or logging.getLogger()
    swapped: list[BarSafeHandler] = []
    for index, handler in enumerate(target.handlers):
        if isinstance(handler, logging.StreamHandler) and handler.stream is stream:
            swapped.append(BarSafeHandler(handler))
            target.handlers[index] = swapped[-1]

    def restore() -> None:
        for index, handler in enumerate(target.handlers):
            if handler in swapped:
                target.handlers[index] = handler.original

    return restore


# -- the extension ------------------------------------------------------------------------------
@dataclass
class Counts:
    """Listing and article requests asked and done, from the engine's signals."""

    asked: Counter[str] = field(default_factory=Counter)
    done: Counter[str] = field(default_factory=Counter)
    # Per walk: article requests asked, listing pages asked and not done, listing pages done,
    # and listing pages done before its first article request (above the window).
    articles: Counter[str] = field(default_factory=Counter)
    pending: Counter[str] = field(default_factory=Counter)
    pages: Counter[str] = field(default_factory=Counter)
    above: dict[str, int] = field(default_factory=dict)

    def scheduled(self, request: Request) -> None:
        kind = request.meta.get(KIND)
        if kind is None or request.meta.get("redirect_urls") or request.meta.get("retry_times"):
            return  # not ours, or the same ask again (a redirect hop, a retry)
        self.asked[kind] += 1
        if not (walk := request.meta.get(WALK)):
            return
        if kind == "article":
            self.above.setdefault(walk, self.pages[walk])
            self.articles[walk] += 1
        else:
            self.pending[walk] += 1

    def settled(self, request: Request) -> None:
        if kind := request.meta.get(KIND):
            self.done[kind] += 1
            if kind == "listing" and (walk := request.meta.get(WALK)):
                self.pending[walk] -= 1
                self.pages[walk] += 1

    def listing(self, spider: Any, walk: str, window: tuple[date, date]) -> Listing:
        covered = walk_coverage(spider, walk, window, self.pending[walk])
        pages = self.pages[walk]
        return Listing(covered, self.articles[walk], pages, self.above.get(walk, pages))


def walk_coverage(spider: Any, walk: str, window: tuple[date, date], pending: int) -> float:
    """The share of the WINDOW's days a listing has covered: 1 once its walk ended (or for one
    page read at once, as a section archive or a sitemap), 0 while PENDING listing pages of it,
    and none in the window yet, are queued."""
    since, until = window
    oldest = spider.walk_oldest_day.get(walk)  # the oldest day this walk has reached
    if walk in spider.completed_walks or walk not in spider.walked:
        return 1.0
    if oldest is None:  # not in the window yet; or ended short of it (a missing listing)
        return 0.0 if pending > 0 else 1.0
    days = (until - since).days + 1
    return min(1.0, max(0.0, ((until - oldest).days + 1) / days))


class BackfillProgress:
    def __init__(self, crawler: Crawler, interval: float, terminal: bool):
        self.crawler = crawler
        self.interval = interval
        self.terminal = terminal
        self.started = time.monotonic()
        self.counts = Counts()
        self.estimator = Estimator()
        self.loop: LoopingCall | None = None
        self.bar: Bar | None = None
        self.restore_logging: Callable[[], None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackfillProgress:
        interval = setting_float(crawler.settings, "NEWSCRAWL_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("NEWSCRAWL_PROGRESS_INTERVAL is 0")
        extension = cls(crawler, interval, terminal=sys.stderr.isatty())
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.counts.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.counts.settled, signal=request_settled)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        if not getattr(spider, "backfill", False):
            return
        self.started = time.monotonic()
        if self.terminal:
            self.bar = new_bar(sys.stderr)
            self.restore_logging = redirect_console(sys.stderr)
        self.loop = LoopingCall(self.tick)
        self.loop.start(1.0 if self.terminal else self.interval, now=False)

    def snapshot(self) -> Snapshot:
        spider: Any = self.crawler.spider
        stats = self.crawler.stats
        since = spider.window.since
        today = spider.today(self.crawler.settings)  # in the site's zone
        until = spider.window.until or today
        walks: tuple[Listing, ...] = ()
        if since is not None:
            # No article is newer than today: an `until` after it (2026-12-31 for "this year")
            # would count the days still to come as covered by every listing at once.
            window = (since, min(until, today))
            names = set(spider.walked) | set(spider.walk_oldest_day) | set(self.counts.articles)
            walks = tuple(self.counts.listing(spider, name, window) for name in sorted(names))
        asked, done = self.counts.asked, self.counts.done
        return Snapshot(
            elapsed=time.monotonic() - self.started,
            pages=done["listing"],
            pages_pending=max(0, asked["listing"] - done["listing"]),
            requested=asked["article"],
            settled=done["article"],
            exported=stats.get_value(ITEM_SCRAPED_COUNT, 0),
            entries=stats.get_value(LISTING_ENTRIES, 0),
            parsed=stats.get_value(LISTING_PAGES, 0),
            walks=walks,
            oldest=spider.oldest_reached,
            since=since,
            until=until,
        )

    def tick(self) -> None:
        snapshot = self.snapshot()
        estimate = self.estimator.update(snapshot)
        if self.bar is not None:
            show(self.bar, snapshot, estimate)
        else:
            logger.info("progress: %s", log_line(snapshot, estimate))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if not getattr(spider, "backfill", False):
            return
        snapshot = self.snapshot()
        estimate = self.estimator.update(snapshot, finished=reason == "finished")
        estimate = Estimate(estimate.done, None)  # stopped: no time left to tell
        if self.bar is not None:
            show(self.bar, snapshot, estimate)
            self.bar.close()
        if self.restore_logging is not None:
            self.restore_logging()
        logger.info("progress at the end: %s", log_line(snapshot, estimate))
