"""Every stats key newscrawl writes or reads, by its full name, so `grep newscrawl/articles/gone`
finds the writers and the readers. A key with a variable last part is a prefix constant named
`..._PREFIX`, ending in "/" (or "_"), and the writer appends the part: `REQUESTS_FAILED_PREFIX +
kind`. Also the lists kept in the stats for the run summary (failed_urls, refused_urls, ...):
bounded, so a run that fails 100,000 requests keeps a readable summary; the counts say how many
in all."""

from __future__ import annotations

from scrapy.statscollectors import StatsCollector

MAX_LISTED = 100  # entries a stats list keeps (the first ones)

# -- Scrapy's own keys -----------------------------------------------------------------------
ITEM_SCRAPED_COUNT = "item_scraped_count"
START_TIME = "start_time"
FINISH_TIME = "finish_time"
FINISH_REASON = "finish_reason"
LOG_COUNT_ERROR = "log_count/ERROR"
FEEDEXPORT_FAILED_COUNT_PREFIX = "feedexport/failed_count/"  # + storage class name
SCHEDULER_ENQUEUED_REDIS = "scheduler/enqueued/redis"

# -- articles ------------------------------------------------------------------------------
ARTICLES_FETCHED = "newscrawl/articles/fetched"
ARTICLES_GONE = "newscrawl/articles/gone"
ARTICLES_LISTED_AGAIN = "newscrawl/articles/listed_again"
ARTICLES_NOT_ARTICLE = "newscrawl/articles/not_article"
ARTICLES_NOT_ARTICLE_PREFIX = "newscrawl/articles/not_article/"  # + why (sites/pagekind)
ARTICLES_NOT_ARTICLE_URLS = "newscrawl/articles/not_article_urls"  # a list
ARTICLES_REQUESTED = "newscrawl/articles/requested"
ARTICLES_REQUESTED_PREFIX = "newscrawl/articles/requested/"  # + freshness (new, revisit)
ARTICLES_SKIPPED_KNOWN = "newscrawl/articles/skipped_known"
ARTICLES_SKIPPED_OTHER_SECTION = "newscrawl/articles/skipped_other_section"
EXPORTED_WITHOUT_PUBLISHED = "newscrawl/exported/without_published"
URLS_FILE_SKIPPED_NOT_ARTICLE_URLS = "newscrawl/urls_file/skipped_not_article_urls"

# -- listings, targets and the backfill window -------------------------------------------------
LISTING_PAGES = "newscrawl/listing/pages"
LISTING_ENTRIES = "newscrawl/listing/entries"
LISTING_NOT_FOUND = "newscrawl/listing/not_found"
LISTING_UNREAD = "newscrawl/listing/unread"  # a list
LISTING_END_NO_NEW_ARTICLES = "newscrawl/listing/end/no_new_articles"
LISTING_END_OLDER_THAN_WINDOW = "newscrawl/listing/end/older_than_window"
LISTING_END_MAX_PAGES = "newscrawl/listing/end/max_pages"
LISTING_END_NOT_FOUND = "newscrawl/listing/end/not_found"
LISTING_END_LAST_PAGE = "newscrawl/listing/end/last_page"
TARGETS_NOT_FOUND = "newscrawl/targets/not_found"  # a list
DISCOVERY_INCOMPLETE = "newscrawl/discovery/incomplete"  # a list
WINDOW_SKIPPED_NEWER = "newscrawl/window/skipped_newer"
WINDOW_SKIPPED_OLDER = "newscrawl/window/skipped_older"
WINDOW_SKIPPED_SITEMAPS = "newscrawl/window/skipped_sitemaps"
WINDOW_SKIPPED_AFTER_FETCH_NEWER = "newscrawl/window/skipped_after_fetch_newer"
WINDOW_SKIPPED_AFTER_FETCH_OLDER = "newscrawl/window/skipped_after_fetch_older"
# By the window's answer for a listed date (Window.position): "newer" or "older".
WINDOW_SKIPPED = {"newer": WINDOW_SKIPPED_NEWER, "older": WINDOW_SKIPPED_OLDER}
WINDOW_SKIPPED_AFTER_FETCH = {
    "newer": WINDOW_SKIPPED_AFTER_FETCH_NEWER,
    "older": WINDOW_SKIPPED_AFTER_FETCH_OLDER,
}

# -- requests ------------------------------------------------------------------------------
REQUESTS_ASKED = "newscrawl/requests/asked"  # once a request: not a hop, not a retry
REQUESTS_KIND_PREFIX = "newscrawl/requests/kind/"  # + listing, article, other
REQUESTS_FAILED = "newscrawl/requests/failed"
REQUESTS_FAILED_PREFIX = "newscrawl/requests/failed/"  # + kind of failure
REQUESTS_FAILED_URLS = "newscrawl/requests/failed_urls"  # a list
REQUESTS_FORBIDDEN_BY_ROBOTS = "newscrawl/requests/forbidden_by_robots"
REQUESTS_REFUSED = "newscrawl/requests/refused"
REQUESTS_REFUSED_PREFIX = "newscrawl/requests/refused/"  # + reason (offsite, private, ...)
REQUESTS_REFUSED_URLS = "newscrawl/requests/refused_urls"  # a list
REQUESTS_VANISHED = "newscrawl/requests/vanished"
REQUESTS_VANISHED_URLS = "newscrawl/requests/vanished_urls"  # a list
RETRY_AFTER_HONOURED = "newscrawl/retry_after/honoured"
GUARD_REFUSED = "newscrawl/guard/refused"
GUARD_REFUSED_PREFIX = "newscrawl/guard/refused/"  # + reason
BODIES_TOO_LARGE = "newscrawl/bodies/too_large"
BODIES_TRUNCATED = "newscrawl/bodies/truncated"
BODIES_EMPTY = "newscrawl/bodies/empty"
BODIES_RETRIED = {"truncated": BODIES_TRUNCATED, "empty": BODIES_EMPTY}  # by what was wrong
BREAKER_TRIPPED = "newscrawl/breaker/tripped"  # the host
HOSTS_UNREACHABLE = "newscrawl/hosts/unreachable"  # a list
ROBOTSTXT_DISALLOW_ALL = "newscrawl/robotstxt/disallow_all"
CHARSET_REPAIRED = "newscrawl/charset/repaired"
CHARSET_DAMAGED = "newscrawl/charset/damaged"
CHARSET_DAMAGED_URLS = "newscrawl/charset/damaged_urls"  # a list

# -- items (pipelines) ---------------------------------------------------------------------
TIMESTAMPS_PREFIX = "newscrawl/timestamps/"  # + flag: published_missing, published_future, ...
TIMESTAMPS_UNPARSED_PREFIX = "newscrawl/timestamps/unparsed/"  # + source
TIMESTAMPS_REFUSED_PREFIX = "newscrawl/timestamps/refused/"  # + source
TIMESTAMPS_PUBLISHED_FROM_PREFIX = "newscrawl/timestamps/published_from/"  # + source
TIMESTAMPS_PUBLISHED_ZONE_ASSUMED = "newscrawl/timestamps/published_zone_assumed"
TIMESTAMPS_PUBLISHED_DATE_ONLY = "newscrawl/timestamps/published_date_only"
TIMESTAMPS_PUBLISHED_FUTURE = "newscrawl/timestamps/published_future"
TIMESTAMPS_PUBLISHED_MISSING = "newscrawl/timestamps/published_missing"
TIMESTAMPS_MODIFIED_INVALID = "newscrawl/timestamps/modified_invalid"
BOILERPLATE_ITEMS = "newscrawl/boilerplate/items"
BOILERPLATE_REMOVED = "newscrawl/boilerplate/removed"
BOILERPLATE_REMOVED_PREFIX = "newscrawl/boilerplate/removed/"  # + kind
VALIDATION_DROPPED = "newscrawl/validation/dropped"
VALIDATION_DROPPED_PREFIX = "newscrawl/validation/dropped/"  # + field
DEDUP_DROPPED = "newscrawl/dedup/dropped"
REVISIONS_NEW = "newscrawl/revisions/new"
REVISIONS_UPDATED = "newscrawl/revisions/updated"
REVISIONS_UNCHANGED = "newscrawl/revisions/unchanged"

# -- feeds, state, frontier, health -----------------------------------------------------------
FEED_CONFIGURED = "newscrawl/feed/configured"
FEED_LINES = "newscrawl/feed/lines"
FEED_UNCLAIMED = "newscrawl/feed/unclaimed"
FEED_WRITE_FAILED = "newscrawl/feed/write_failed"
STATE_ERROR = "newscrawl/state/error"
FRONTIER_SHARED = "newscrawl/frontier/shared"
FRONTIER_UNAVAILABLE = "newscrawl/frontier/unavailable"
FRONTIER_REQUEUED = "newscrawl/frontier/requeued"
# The shared per-host politeness budget (newscrawl/frontier/politeness.py).
POLITENESS_PERMITS = "newscrawl/frontier/politeness/permits"  # requests sent with a permit
POLITENESS_WAITS = "newscrawl/frontier/politeness/waits"  # ...of which waited for one
POLITENESS_WAIT_SECONDS = "newscrawl/frontier/politeness/wait_seconds"  # their waits, summed
POLITENESS_REDIS_CALLS = "newscrawl/frontier/politeness/redis_calls"  # scripts run
HEALTH = "newscrawl/health"  # the verdict's exit status


def append_listed(stats: StatsCollector, key: str, entry: str) -> None:
    """Append ENTRY to the stats list KEY (a full stats key), up to MAX_LISTED entries."""
    listed = stats.get_value(key) or []
    if len(listed) < MAX_LISTED:
        stats.set_value(key, [*listed, entry])
