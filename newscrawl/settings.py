"""Scrapy settings of the newscrawl project. The README describes every NEWSCRAWL_* setting."""

from newscrawl.items import ARTICLE_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` validates spider arguments before Scrapy starts (one-line errors, exit status 2).
COMMANDS_MODULE = "newscrawl.commands"

# "{contact}" becomes NEWSCRAWL_CONTACT: say how the site's operators can reach you.
USER_AGENT = "newscrawl/0.1 (+{contact})"
NEWSCRAWL_CONTACT = "https://github.com/newscrawl/newscrawl"
ROBOTSTXT_OBEY = True

# Polite on the real site: two requests at a time, half a second apart. Any other host gets the
# half-second delay too (a delay makes a slot send one request at a time). Loopback hosts (the
# offline replica) get no delay, so tests and local runs stay fast.
# CONCURRENT_REQUESTS_PER_DOMAIN also sizes Scrapy's pool of kept-alive connections per host:
# at 2, a faster slot would open a new connection for most requests.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0.5
DOWNLOAD_SLOTS = {
    "japannews.yomiuri.co.jp": {"concurrency": 2, "delay": 0.5},
    "127.0.0.1": {"concurrency": 8, "delay": 0},
    "localhost": {"concurrency": 8, "delay": 0},
}
# A stalled response costs at most DOWNLOAD_TIMEOUT seconds per attempt (the site's pages take
# well under a second), then it is retried like any other failure.
DOWNLOAD_TIMEOUT = 15
RETRY_TIMES = 3
# Retry N waits NEWSCRAWL_RETRY_BACKOFF * 2**(N-1) seconds, at most NEWSCRAWL_RETRY_BACKOFF_MAX.
NEWSCRAWL_RETRY_BACKOFF = 1.0
NEWSCRAWL_RETRY_BACKOFF_MAX = 30.0
# A host that answers this many errors in a row (5xx, 429, timeouts, resets) is down: the run
# stops (exit status 1) and the next one resumes. 0: never.
NEWSCRAWL_BREAKER_ERRORS = 10

# Safe by default: a page is at most 16 MiB, after decompression too (a gzip bomb stops there);
# only http and https are fetched; no telnet console; a redirect chain ends after 5 hops (at once
# on a loop, see middlewares/hostguard).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control runs Python code sent to a local HTTP port (token-protected) and
# leaves job files with the token in the user's profile: off, like the telnet console.
REMOTE_CONTROL_ENABLED = False
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
# The spider requests each article and each listing page once by construction (see its
# `judged` and `walked`): Scrapy's duplicate filter would only keep a fingerprint per request.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"

# AutoThrottle backs off when the site slows down; hosts we run ourselves are never throttled.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
NEWSCRAWL_UNTHROTTLED_HOSTS = ["127.0.0.1", "localhost", "::1"]
# Retry-After on 429/503 is honoured up to this many seconds.
NEWSCRAWL_RETRY_AFTER_MAX = 120

DOWNLOADER_MIDDLEWARES = {
    # Only the site's own host: before robots.txt, so no other host's robots.txt is fetched.
    "newscrawl.middlewares.hostguard.HostGuardMiddleware": 40,
    # Scrapy's offsite filter drops a redirect to another host when it is scheduled, with no
    # errback: the article would vanish. The host guard refuses it instead, where the spider
    # counts and lists it.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    # robots.txt answering 5xx or unreachable: disallow everything (RFC 9309), not allow.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawl.middlewares.robotstxt.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "newscrawl.middlewares.useragent.UserAgentMiddleware": 500,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawl.middlewares.retry.RetryAfterMiddleware": 550,
    # Before the retries see them: NEWSCRAWL_BREAKER_ERRORS errors in a row stop the run.
    "newscrawl.middlewares.breaker.CircuitBreakerMiddleware": 560,
    # After decompression: a page whose bytes are not in its header's charset.
    "newscrawl.middlewares.charset.CharsetMiddleware": 580,
    # Decompression that retries bodies cut short or empty, and refuses bombs.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newscrawl.middlewares.bodies.BodyIntegrityMiddleware": 590,
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "newscrawl.extensions.throttle.AutoThrottle": 0,
    "newscrawl.extensions.state.StateExtension": 10,
    "newscrawl.extensions.health.RunHealth": 20,
    "newscrawl.extensions.summary.RunSummary": 30,
    "newscrawl.extensions.progress.BackfillProgress": 40,
    # Every article and listing request ends in the spider's callback or errback; one that does
    # not vanished, and the run says so (newscrawl/requests/vanished, unhealthy).
    "newscrawl.extensions.ledger.RequestLedger": 50,
    "newscrawl.extensions.stderrlog.StderrLog": 60,
}
# Last before the spider: a response that gets there settles its request in the ledger.
# CharsetFlag: items read from a page no charset reads cleanly carry `charset_damaged`.
SPIDER_MIDDLEWARES = {
    "newscrawl.middlewares.charsetflag.CharsetFlagMiddleware": 1000,
    "newscrawl.extensions.ledger.SettledMiddleware": 1100,
}
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
ADDONS = {"newscrawl.frontier.addon.FrontierAddon": 0}
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

ITEM_PIPELINES = {
    "newscrawl.pipelines.timestamps.TimestampsPipeline": 100,
    "newscrawl.pipelines.boilerplate.BoilerplatePipeline": 200,
    "newscrawl.pipelines.validation.ValidationPipeline": 300,
    "newscrawl.pipelines.dedup.DedupPipeline": 400,
    "newscrawl.pipelines.revisions.RevisionsPipeline": 500,
}

# JSON lines through Scrapy's feed exports. Scrapy merges `-o/-O` files with FEEDS: the dated
# file of the run is always written too (`-s FEEDS={}` turns it off).
NEWSCRAWL_DATA_DIR = "data"
FEED_EXPORTERS = {
    "jsonlines": "newscrawl.exporters.JsonLinesExporter",
    "jsonl": "newscrawl.exporters.JsonLinesExporter",
    "jl": "newscrawl.exporters.JsonLinesExporter",
}
FEED_EXPORT_ENCODING = "utf-8"
# Scrapy's semantics for every feed a user names: `-O FILE` holds exactly this run's items (empty
# when there are none). Only the project's own dated and job feeds skip an empty file
# (`store_empty` below): a scheduled run with nothing new leaves no empty file behind.
FEED_STORE_EMPTY = True
FEED_EXPORT_FIELDS = list(ARTICLE_FIELDS)
FEED_URI_PARAMS = "newscrawl.feeds.uri_params"
# The dated file of each run; a backfill job writes JOB_FEED instead (see the spider).
DATED_FEED = "%(data_dir)s/%(name)s/%(run_date)s/%(name)s-%(run_time)s.jsonl"
JOB_FEED = "%(data_dir)s/jobs/%(job)s.jsonl"
FEEDS = {
    DATED_FEED: {
        "format": "jsonlines",
        "encoding": "utf-8",
        "store_empty": False,
    },
}

# A published time later than the crawl plus this many seconds is refused.
NEWSCRAWL_FUTURE_SKEW = 600
NEWSCRAWL_BOILERPLATE_FIELDS = ["body", "description"]

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
