"""`scrapy crawl`, with spider arguments checked before start-up.

A spider that defines `validate_arguments(arguments)` gets its -a values checked first; a bad
value prints one line and exits with status 2 instead of a traceback and status 1.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newscrawl.spiders.arguments import ArgumentError


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                print(f"scrapy crawl: error: no spider named {args[0]!r}", file=sys.stderr)
                self.exitcode = 2
                return
            validate = getattr(spidercls, "validate_arguments", None)
            if validate is not None:
                try:
                    validate(opts.spargs)
                except (ArgumentError, TypeError) as error:
                    print(f"scrapy crawl {args[0]}: error: {error}", file=sys.stderr)
                    self.exitcode = 2
                    return
        super().run(args, opts)
