"""`scrapy crawl`, with spider arguments checked before Scrapy starts.

A spider that defines `validate_arguments(arguments)` gets its -a values checked while the
command line is read, before the crawler process starts logging: a bad value prints one line to
stderr and exits with status 2, instead of a traceback and status 1.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from newscrawl.spiders.arguments import ArgumentError


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return  # Scrapy's own usage error follows
        try:
            spidercls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            _fail(f"scrapy crawl: error: no spider named {args[0]!r}")
        validate = getattr(spidercls, "validate_arguments", None)
        if validate is not None:
            try:
                validate(opts.spargs)
            except ArgumentError as error:
                _fail(f"scrapy crawl {args[0]}: error: {error}")


def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)
