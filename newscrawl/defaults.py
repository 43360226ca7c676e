"""The NEWSCRAWL_* settings and their defaults, in one place (the README describes each).

settings.py imports them all, so `scrapy crawl` sees them; a component reads one with
`setting_int(settings, "NEWSCRAWL_X")` (or `setting_float`, `setting_list`, `setting_text`), which
falls back to the default here when the crawler was built without the project settings (tests,
scripts): no component writes a default of its own. An unknown name is a KeyError, not a silent
default."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: `newscrawl replica` starts without Scrapy
    from scrapy.settings import BaseSettings

# "{contact}" in USER_AGENT becomes NEWSCRAWL_CONTACT: say how the site's operators can reach you.
NEWSCRAWL_CONTACT = "https://github.com/newscrawl/newscrawl"
# Retry N waits NEWSCRAWL_RETRY_BACKOFF * 2**(N-1) seconds, at most NEWSCRAWL_RETRY_BACKOFF_MAX.
NEWSCRAWL_RETRY_BACKOFF = 1.0
NEWSCRAWL_RETRY_BACKOFF_MAX = 30.0
# A host that answers this many errors in a row (5xx, 429, timeouts, resets) is down: the run
# stops (exit status 1) and the next one resumes. 0: never.
NEWSCRAWL_BREAKER_ERRORS = 10
# Hosts we run ourselves are never throttled (AutoThrottle).
NEWSCRAWL_UNTHROTTLED_HOSTS = ["127.0.0.1", "localhost", "::1"]
# Retry-After on 429/503 is honoured up to this many seconds.
NEWSCRAWL_RETRY_AFTER_MAX = 120
# Backfill progress: a live bar on a terminal, else a log line every this many seconds.
NEWSCRAWL_PROGRESS_INTERVAL = 60
# With the log in a file (LOG_FILE): the records at this level and above, and the run's verdict
# line, also go to stderr, one line each ("WARNING" in a crontab, see the README); empty: none.
NEWSCRAWL_STDERR_LEVEL = ""

# Scheduled runs: crawl state (empty: incremental mode off), run summary (default: runs.jsonl
# beside the state), revisit window and the tolerance for known articles on listing pages.
NEWSCRAWL_STATE = ".newscrawl/state.sqlite"
NEWSCRAWL_STATE_LOCK_TIMEOUT = 0
NEWSCRAWL_SUMMARY = None
NEWSCRAWL_REVISIT_HOURS = 48
NEWSCRAWL_KNOWN_TOLERANCE = 0
# Shared frontier (docs/redis-frontier.md): a Redis URL (redis://host:6379/0) makes this process
# one worker of a crawl shared with others (queue, duplicate filter and crawl state in Redis);
# empty: off, one machine, nothing from Redis is imported. NAME tells crawls of the same spider,
# host and job apart; a worker whose heartbeat is older than LEASE_TTL seconds is taken for dead
# and its requests go back to the queue.
NEWSCRAWL_FRONTIER = ""
NEWSCRAWL_FRONTIER_NAME = ""
NEWSCRAWL_FRONTIER_LEASE_TTL = 30
# With a frontier, one politeness budget per host for all its workers (Redis): a host sees the
# pace of one crawler whatever the number of workers. False: each worker's own, as on one machine.
NEWSCRAWL_FRONTIER_POLITENESS = True
# Backfills: a listing walk ends after this many pages in a row wholly older than `since`.
NEWSCRAWL_WINDOW_TOLERANCE_PAGES = 2
# The time a run considers "now" for the revisit window (ISO 8601; empty: the clock). For replays.
NEWSCRAWL_NOW = ""
# Health: beyond these shares the run is unhealthy (exit status 1).
NEWSCRAWL_MAX_DROPPED_SHARE = 0.1
NEWSCRAWL_MAX_MISSING_SHARE = 0.1
NEWSCRAWL_MAX_FAILED_SHARE = 0.0
# Requests refused for safety (another host, a private address, a body over DOWNLOAD_MAXSIZE),
# of all requests: beyond this share the run is unhealthy too.
NEWSCRAWL_MAX_REFUSED_SHARE = 0.25
# Article pages that were not articles (a bot check, a login wall, an error page or a listing on
# the article's URL; newscrawl/sites/pagekind.py), of the article pages fetched: beyond this
# share the run is unhealthy. An occasional wall or broken page (a few in a hundred) passes; a
# bot wall or a login wall over the whole site, or a template that broke, does not.
NEWSCRAWL_MAX_NOT_ARTICLE_SHARE = 0.1

# The dated file of each run is written under this folder (DATED_FEED below).
NEWSCRAWL_DATA_DIR = "data"
# A published time later than the crawl plus this many seconds is refused.
NEWSCRAWL_FUTURE_SKEW = 600
NEWSCRAWL_BOILERPLATE_FIELDS = ["body", "description"]

# The project's own feeds (FEEDS in settings.py): the dated file of each run; a backfill job
# writes JOB_FEED instead (see the spider's `run_feeds`).
DATED_FEED = "%(data_dir)s/%(name)s/%(run_date)s/%(name)s-%(run_time)s.jsonl"
JOB_FEED = "%(data_dir)s/jobs/%(job)s.jsonl"

DEFAULTS: dict[str, Any] = {
    name: value for name, value in dict(globals()).items() if name.startswith("NEWSCRAWL_")
}
__all__ = sorted(DEFAULTS)  # what settings.py imports: the settings, not the readers


def setting_int(settings: BaseSettings, name: str) -> int:
    return settings.getint(name, DEFAULTS[name])


def setting_float(settings: BaseSettings, name: str) -> float:
    return settings.getfloat(name, DEFAULTS[name])


def setting_bool(settings: BaseSettings, name: str) -> bool:
    return settings.getbool(name, DEFAULTS[name])


def setting_list(settings: BaseSettings, name: str) -> list[str]:
    return settings.getlist(name, DEFAULTS[name])


def setting_text(settings: BaseSettings, name: str) -> str:
    """A text setting as written ("" for None); callers strip it where spaces mean nothing."""
    return str(settings.get(name, DEFAULTS[name]) or "")
