"""With the log in a file, stderr still gets what an operator must read: one line per record at
NEWSCRAWL_STDERR_LEVEL or above (warnings and errors), and the run's verdict line at any level.

Scrapy writes its log to one place: stderr, or LOG_FILE. A scheduled run sends its stderr to the
cron log; with `-s LOG_FILE=... -s NEWSCRAWL_STDERR_LEVEL=WARNING` a run with nothing new writes
one line there (the verdict, `newscrawl: healthy run: 0 new, 0 updated articles`), a run with
trouble its warnings and errors too, and the full log stays in the file. Without LOG_FILE the log
goes to stderr already: this extension does nothing then, nor when the setting is empty.
"""

from __future__ import annotations

import logging
import sys

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from newscrawl.defaults import setting_text
from newscrawl.extensions.health import VERDICT

FORMAT = "%(asctime)s %(levelname)s: %(message)s"


class LevelOrVerdict(logging.Filter):
    """Records at LEVEL or above, and the verdict line. A filter rather than the handler's
    level: the progress bar's handler swap keeps filters (see extensions/progress.py)."""

    def __init__(self, level: int):
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or bool(getattr(record, VERDICT, False))


class StderrHandler(logging.StreamHandler):
    """The handler this extension adds to the root logger (one per process)."""


def stderr_level(settings: BaseSettings) -> int | None:
    """NEWSCRAWL_STDERR_LEVEL as a log level number; None when empty. ValueError for a value
    that is no level name: the crawl command refuses it before start-up (exit status 2), since
    a crontab's typo would otherwise leave the cron log silent."""
    level = setting_text(settings, "NEWSCRAWL_STDERR_LEVEL").strip()
    if not level:
        return None
    number = logging.getLevelName(level.upper())
    if not isinstance(number, int):
        raise ValueError(
            f"NEWSCRAWL_STDERR_LEVEL: not a log level: {level!r}"
            " (DEBUG, INFO, WARNING, ERROR or CRITICAL; empty: none)"
        )
    return number


def stderr_handler(number: int, settings: BaseSettings) -> StderrHandler:
    handler = StderrHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, settings.get("LOG_DATEFORMAT")))
    handler.addFilter(LevelOrVerdict(number))
    return handler


def install(handler: StderrHandler) -> None:
    """HANDLER on the root logger, instead of any earlier one (a process may run crawlers in
    turn)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)


class StderrLog:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StderrLog:
        settings = crawler.settings
        number = stderr_level(settings)
        if number is None:
            raise NotConfigured  # no message: Scrapy would log one warning per run
        if not settings.get("LOG_FILE"):
            raise NotConfigured  # no LOG_FILE: the log goes to stderr already
        install(stderr_handler(number, settings))
        return cls()
