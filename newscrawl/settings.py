"""Scrapy settings of the newscrawl project. The README describes every NEWSCRAWL_* setting."""

from newscrawl.items import ARTICLE_FIELDS

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
# Our `crawl` validates spider arguments before Scrapy starts (one-line errors, exit status 2).
COMMANDS_MODULE = "newscrawl.commands"

USER_AGENT = "newscrawl/0.1 (+https://github.com/newscrawl/newscrawl)"
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
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 3
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False

ITEM_PIPELINES = {
    "newscrawl.pipelines.timestamps.TimestampsPipeline": 100,
    "newscrawl.pipelines.boilerplate.BoilerplatePipeline": 200,
    "newscrawl.pipelines.validation.ValidationPipeline": 300,
    "newscrawl.pipelines.dedup.DedupPipeline": 400,
}

# JSON lines through Scrapy's feed exports. `-o/-O` on the command line replaces FEEDS.
NEWSCRAWL_DATA_DIR = "data"
FEED_EXPORTERS = {
    "jsonlines": "newscrawl.exporters.JsonLinesExporter",
    "jsonl": "newscrawl.exporters.JsonLinesExporter",
    "jl": "newscrawl.exporters.JsonLinesExporter",
}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(ARTICLE_FIELDS)
FEED_URI_PARAMS = "newscrawl.feeds.uri_params"
FEEDS = {
    "%(data_dir)s/%(name)s/%(run_date)s/%(name)s-%(run_time)s.jsonl": {
        "format": "jsonlines",
        "encoding": "utf-8",
    },
}

# A published time later than the crawl plus this many seconds is refused.
NEWSCRAWL_FUTURE_SKEW = 600
NEWSCRAWL_BOILERPLATE_FIELDS = ["body", "description"]

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
