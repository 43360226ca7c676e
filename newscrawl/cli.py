"""The `newscrawl` console command: `extract` a saved page, serve the offline `replica`, list
past `runs`, write a `report` page."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn
from urllib.parse import urlsplit

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
    extract.add_argument("page", help="path of a saved HTML page ('-' reads standard input)")
    extract.add_argument(
        "--url", required=True, type=_http_url, help="the URL the page was fetched from"
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
    extract.set_defaults(run=_run_extract)

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
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value!r}")
    return value


def _run_extract(args: argparse.Namespace) -> int:
    from newscrawl.extract import run_extract

    return run_extract(args.page, args.url, site_name=args.site, tz=args.tz)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
