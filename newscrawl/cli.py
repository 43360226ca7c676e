"""The `newscrawl` console command: `extract` a saved page, serve the offline `replica`, list
past `runs`, write a `report` page."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from newscrawl import report, runs
from newscrawl.replica import cli as replica_cli


class OneLineParser(argparse.ArgumentParser):
    """A bad option, of any subcommand, gets one line on stderr (no usage block), status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} -h)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="newscrawl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    extract = commands.add_parser(
        "extract", help="print the item a crawl would export for a saved article page"
    )
    extract.add_argument(
        "page", nargs="?", help="path of a saved HTML page ('-' reads standard input)"
    )
    extract.add_argument(
        "--url", type=_http_url, help="the URL the page was fetched from (required with PAGE)"
    )
    extract.add_argument(
        "--batch",
        metavar="LIST",
        help='instead of PAGE and --url: a file of JSON lines {"page": PATH, "url": URL} '
        '(optional "site", "tz"; a relative PATH starts from the LIST\'s folder); one JSON line '
        "out per line in, in order: the item, or {url, error} ('-' reads standard input)",
    )
    extract.add_argument(
        "--site",
        help="the site module to read the page with ('generic': none); default: the one for "
        "the URL's host, if any (as `scrapy crawl news -a site=`)",
    )
    extract.add_argument(
        "--tz",
        help="the zone of times without offset (IANA name; default: the site module's, else "
        "UTC); for The Japan News, reads the page as the `news` spider does",
    )
    extract.set_defaults(run=_run_extract, usage_error=extract.error)

    replica = commands.add_parser("replica", help="serve the offline replica of The Japan News")
    replica_cli.add_arguments(replica)
    replica.set_defaults(run=replica_cli.run)

    runs_parser = commands.add_parser(
        "runs", help="list past runs from every run history, newest first"
    )
    runs.add_arguments(runs_parser)
    runs_parser.set_defaults(run=runs.run)

    report_parser = commands.add_parser(
        "report", help="write one self-contained HTML page of charts of the runs and the data"
    )
    report.add_arguments(report_parser)
    report_parser.set_defaults(run=report.run)
    return parser


def _http_url(value: str) -> str:
    from newscrawl.extract import http_url_problem  # one rule for --url and a LIST's urls

    if problem := http_url_problem(value):
        raise argparse.ArgumentTypeError(problem)
    return value


def _run_extract(args: argparse.Namespace) -> int:
    from newscrawl.extract import run_batch, run_extract

    if args.batch is not None:
        if args.page is not None or args.url is not None:
            args.usage_error("--batch takes the pages and their URLs from LIST: no PAGE or --url")
        return run_batch(args.batch, site_name=args.site, tz=args.tz)
    if args.page is None or args.url is None:
        args.usage_error("PAGE and --url are required (or --batch LIST)")
    return run_extract(args.page, args.url, site_name=args.site, tz=args.tz)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
