"""`scrapy crawl`, with spider arguments checked up front and an exit status that means something.

- A spider that defines `validate_arguments(arguments, settings)` gets its -a values read and
  checked while the command line is read, before Scrapy starts logging: a bad value prints one
  line to stderr and exits with status 2, instead of a traceback and status 1. What it read is
  handed to the spider Scrapy builds (`parsed=`): the arguments are read once per crawl.
- Before the first request, every local output and the crawl state are checked: a location
  that cannot be written is one line and exit status 2, a damaged state one line naming the file
  and what to do, and exit status 1 (newscrawl.preflight, newscrawl.state.sqlite).
- After the run, the verdict of the RunHealth extension becomes the exit status: 0 healthy,
  1 unhealthy, 3 another run holds the crawl state (the log's last line says why).
- `scrapy crawl SPIDER -h` prints Scrapy's help, then the spider's arguments (from the
  declaration that reads them: its `Arguments` model) and the exit statuses; `scrapy crawl -h`
  lists the arguments of every spider.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import textwrap
from typing import Any, NoReturn

from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.extensions.feedexport import FeedExporter
from scrapy.spiderloader import get_spider_loader

from newscrawl.defaults import setting_float, setting_text
from newscrawl.extensions.health import EXIT_OK, EXIT_STATE_LOCKED, EXIT_UNHEALTHY, RunHealth
from newscrawl.extensions.stderrlog import stderr_level
from newscrawl.extensions.summary import RunSummary
from newscrawl.paths import state_path
from newscrawl.preflight import OutputUnwritable, check_outputs
from newscrawl.spiders.arguments import ArgumentError, describe, is_runner_argument
from newscrawl.state import CrawlState, StateDamaged, StateLocked, StateUnwritable
from newscrawl.state.redis import connect
from newscrawl.state.sqlite import open_state

logger = logging.getLogger(__name__)

EXIT_BAD_COMMAND = 2
EXIT_STATUSES = (
    (EXIT_OK, "healthy, including a run that found nothing new"),
    (EXIT_UNHEALTHY, "unhealthy: the last line of the log says why (also: a damaged crawl state)"),
    (
        EXIT_BAD_COMMAND,
        "bad command line or location: an unknown spider, a bad or unknown -a argument, a"
        " window that cannot hold an article, an output, run summary or state folder that"
        " cannot be written; nothing was fetched",
    ),
    (EXIT_STATE_LOCKED, "another run holds the crawl state; nothing was fetched or written"),
)


class Command(ScrapyCrawlCommand):
    parsed: Any = None  # the spider's arguments, read once (validate_arguments)

    def long_desc(self) -> str:
        return (
            "Run a spider of the current project, by name. With a spider's name, -h lists its"
            " arguments too."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        self.parser = parser
        # argparse's own -h prints and exits while it parses, before the spider's name is
        # known. This -h only marks the request; `process_options`, which gets the names, prints
        # the help. It replaces argparse's because Scrapy builds the parser with
        # conflict_handler="resolve" (scrapy.cmdline.execute); without that, argparse's stays.
        if parser.conflict_handler != "resolve":
            return
        parser.add_argument(
            "-h",
            "--help",
            action="store_true",
            help="show this help, the spider's arguments and the exit statuses, and exit",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        if getattr(opts, "help", False):
            _print_help(self.help_text(args))
        super().process_options(args, opts)
        try:
            stderr_level(self.settings)
        except ValueError as error:
            _fail(f"scrapy crawl: error: {error}")
        if len(args) != 1:
            return  # Scrapy's own usage error follows
        try:
            spidercls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            _fail(f"scrapy crawl: error: no spider named {args[0]!r}")
        validate = getattr(spidercls, "validate_arguments", None)
        if validate is not None:
            try:
                self.parsed = validate(opts.spargs, self.settings)
            except ArgumentError as error:
                _fail(f"scrapy crawl {args[0]}: error: {error}")
        if opts.spargs.get("job") and opts.overwrite_output:
            # Each resumption would cut the -O file and write only what is left to do.
            _fail(
                f"scrapy crawl {args[0]}: error: a job writes its own file (data/jobs/NAME.jsonl)"
                " and resumes it; -O would keep only the last resumption: use -o, or nothing"
            )
        # Before Scrapy logs a line or opens a feed: one line on stderr, and the exit status.
        if not self._frontier_reachable(args[0]) or not self._lock_state(args[0], opts.spargs):
            raise SystemExit(self.exitcode)

    def help_text(self, args: list[str]) -> str:
        """Scrapy's help, then the arguments of the spider named in ARGS (of every spider when
        ARGS names none), then the exit statuses."""
        loader = get_spider_loader(self.settings)
        names = [name for name in args[:1] if name in loader.list()] or sorted(loader.list())
        parts = [self.parser.format_help().rstrip()]
        for name in names:
            model = getattr(loader.load(name), "Arguments", None)
            declared = model.declaration() if model is not None else ()
            if declared:
                parts.append(_heading(f"Arguments of {name} (-a NAME=VALUE)") + describe(declared))
        parts.append(_heading("Exit Statuses") + _statuses())
        return "\n\n".join(parts)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(args[0])
        crawler.signals.connect(_warn_if_feeds_unused, signal=signals.engine_started)
        if self.parsed is None:
            self.crawler_process.crawl(crawler, **opts.spargs)
        else:  # read once: the spider takes them as they are, with what Scrapyd adds (_job)
            runner = {k: v for k, v in opts.spargs.items() if is_runner_argument(k)}
            self.crawler_process.crawl(crawler, parsed=self.parsed, **runner)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        try:
            health = crawler.get_extension(RunHealth)
            summary = crawler.get_extension(RunSummary)
        except RuntimeError:  # the crawler never got as far as building its extensions
            return
        if summary is not None:
            summary.write()
        if health is not None:
            health.report()
            self.exitcode = health.judge().exit_status

    def _frontier_reachable(self, name: str) -> bool:
        """With NEWSCRAWL_FRONTIER set: the redis extra is installed and the server answers;
        else one line and exit status 1, before anything starts (no run summary is written)."""
        url = setting_text(self.settings, "NEWSCRAWL_FRONTIER").strip()
        if not url:
            return True
        try:
            connect(url).ping()
        except ImportError:
            problem = 'the redis extra is not installed: pip install "newscrawl[redis]"'
        except Exception as error:  # redis-py's ConnectionError, TimeoutError, bad URL...
            problem = f"cannot reach {url}: {error}"
        else:
            return True
        print(f"scrapy crawl {name}: error: shared frontier: {problem}", file=sys.stderr)
        self.exitcode = 1
        return False

    def _lock_state(self, name: str, arguments: dict[str, str]) -> bool:
        """Check the outputs, then take the crawl state's lock before Scrapy opens (and
        truncates) any feed; when another run holds it, say so in one line and exit 3 without
        starting. A worker of a shared frontier keeps its state in Redis, but still takes the
        local lock: it keeps two workers in one folder from writing the same dated file."""
        # The arguments as read (they tell the outputs and the state as the spider would);
        # a spider that does not read them up front is built for it.
        spider = self.parsed or get_spider_loader(self.settings).load(name)(**arguments)
        path = state_path(self.settings, spider)
        timeout = setting_float(self.settings, "NEWSCRAWL_STATE_LOCK_TIMEOUT")
        try:
            check_outputs(self.settings, spider)
            state = open_state(path, timeout) if path else None
        except (OutputUnwritable, StateUnwritable) as error:
            return self._refuse(name, error, EXIT_BAD_COMMAND)
        except StateDamaged as damaged:
            return self._refuse(name, damaged, 1)
        except StateLocked as locked:
            return self._refuse(name, locked, EXIT_STATE_LOCKED)
        return state is None or self._same_job(name, spider, state)

    def _refuse(self, name: str, error: Exception, status: int) -> bool:
        print(f"scrapy crawl {name}: error: {error}", file=sys.stderr)
        self.exitcode = status
        return False

    def _same_job(self, name: str, spider: Any, state: CrawlState) -> bool:
        """A job resumed with other arguments would mix two backfills in one output file."""
        job = getattr(spider, "job", None)
        if not job:
            return True
        shown = spider.shown() if spider is self.parsed else spider.arguments
        wanted = {k: v for k, v in shown.items() if k not in {"job", "max_pages"}}
        started = state.job_arguments(wanted)
        if started == wanted:
            return True
        print(
            f"scrapy crawl {name}: error: job {job!r} was started with {_pairs(started)};"
            " resume it with the same arguments, or give the new backfill another job name",
            file=sys.stderr,
        )
        self.exitcode = EXIT_BAD_COMMAND
        return False


def _warn_if_feeds_unused(sender: Crawler, **_: Any) -> None:
    """What Scrapy's own `crawl` warns of (its crawler factory is private: ours is public)."""
    if sender.settings.getdict("FEEDS") and sender.get_extension(FeedExporter) is None:
        logger.warning(
            "The FeedExporter extension is not enabled, so no item will be exported to the"
            " configured feeds (FEEDS, -o, -O)."
        )


def _pairs(arguments: dict[str, Any]) -> str:
    return " ".join(f"-a {k}={v}" for k, v in arguments.items() if v is not None)


def _print_help(text: str) -> NoReturn:
    """Print the help and exit 0; a reader that stops early (`-h | head`) is no error."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(0)


def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(EXIT_BAD_COMMAND)


def _statuses(width: int = 80) -> str:
    return "\n".join(
        textwrap.fill(meaning, width, initial_indent=f"  {status}  ", subsequent_indent="     ")
        for status, meaning in EXIT_STATUSES
    )


def _heading(title: str) -> str:
    """A heading as Scrapy's help writes them (scrapy.commands.ScrapyHelpFormatter)."""
    return f"{title}\n{'=' * len(title)}\n"
