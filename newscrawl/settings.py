"""Scrapy settings of the newscrawl project. The README describes every NEWSCRAWL_* setting."""

# The NEWSCRAWL_* settings and their defaults live in newscrawl/defaults.py (one place).
from scrapy.settings import default_settings as scrapy_defaults

from newscrawl.defaults import *  # noqa: F403
from newscrawl.defaults import DATED_FEED
from newscrawl.items import ARTICLE_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` validates spider arguments before Scrapy starts (one-line errors, exit status 2).
COMMANDS_MODULE = "newscrawl.commands"

# "{contact}" becomes NEWSCRAWL_CONTACT: say how the site's operators can reach you.
USER_AGENT = "newscrawl/0.1 (+{contact})"
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
# Retries back off (NEWSCRAWL_RETRY_BACKOFF), a host down stops the run (NEWSCRAWL_BREAKER_ERRORS).

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
# The telnet console and the remote control are off (TELNETCONSOLE_ENABLED,
# REMOTE_CONTROL_ENABLED) and left out of Scrapy's base list, so never imported: a `None` in
# EXTENSIONS would still import them (Scrapy resolves every key there), and RemoteControl pulls in
# aiohttp, a large import, at every crawl's start.
EXTENSIONS_BASE = {
    path: order
    for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if path.rsplit(".", 1)[-1] not in {"TelnetConsole", "RemoteControl"}
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "newscrawl.extensions.throttle.AutoThrottle": 0,
    "newscrawl.extensions.state_keeper.StateKeeper": 10,
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
ADDONS = {"newscrawl.frontier.addon.FrontierAddon": 0}

ITEM_PIPELINES = {
    "newscrawl.pipelines.timestamps.TimestampsPipeline": 100,
    "newscrawl.pipelines.boilerplate.BoilerplatePipeline": 200,
    "newscrawl.pipelines.validation.ValidationPipeline": 300,
    "newscrawl.pipelines.dedup.DedupPipeline": 400,
    "newscrawl.pipelines.revisions.RevisionsPipeline": 500,
}

# JSON lines through Scrapy's feed exports. Scrapy merges `-o/-O` files with FEEDS: the dated
# file of the run is always written too (`-s FEEDS={}` turns it off), under NEWSCRAWL_DATA_DIR.
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
FEED_URI_PARAMS = "newscrawl.feed_files.uri_params"
FEEDS = {
    DATED_FEED: {
        "format": "jsonlines",
        "encoding": "utf-8",
        "store_empty": False,
    },
}

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
