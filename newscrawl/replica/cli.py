"""`newscrawl replica`: serve the offline imitation of The Japan News, or print its ground truth."""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sys
from collections.abc import Iterable
from datetime import datetime
from types import FrameType
from typing import Any

from newscrawl.replica import japantimes
from newscrawl.replica.corpus import Corpus, parse_now
from newscrawl.replica.faults import Fault, UnknownFault, amend_records, parse_faults
from newscrawl.replica.server import ReplicaServer, make_server, serve_router

PROG = "newscrawl replica"


SITES = ("japannews", "japantimes")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site",
        choices=SITES,
        default="japannews",
        help="which site to serve: the replica of The Japan News (default), or the second test "
        "site, a WordPress news site in The Japan Times' URL scheme (--articles, --seed, "
        "--manifest, --verbose; no --now or --faults)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port on 127.0.0.1 (0 = pick a free port; a port in use: one line, exit status 2)",
    )
    parser.add_argument(
        "--articles", type=int, default=1500, help="corpus size across all sections (>= 1)"
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument(
        "--now",
        metavar="ISO_TIME",
        help="hide articles published and revisions made after this time (no offset = Japan "
        "time; may lie past the newest article)",
    )
    parser.add_argument(
        "--faults",
        metavar="NAME[,NAME...]",
        default="",
        help="misbehave on purpose (a fixed, seeded share of pages; combinable): "
        "blank (article pages without an article), outage (503 everywhere), "
        "flaky (500 once), down (503 always for some articles), "
        "throttle (429 with Retry-After: 2 once), reset (connection dropped mid-body once), "
        "stall (headers, then no body, once), truncate (gzip body cut in half, once), "
        "empty (empty 200 once), bomb (gzip body expanding to 128 MiB), "
        "charset (cp1252 body under a UTF-8 header), loop (redirect loop entries in listings, "
        "last listing pages link back to page 1), private (articles redirecting to an internal "
        "service on another loopback port), robots5xx (robots.txt answers 500), "
        "crawldelay (robots.txt asks for Crawl-delay: 0.3), "
        "baddates (impossible, missing or zone-less times), notitle (articles without a title), "
        "separators (U+2028, U+2029, NUL and <script> inside paragraphs), "
        "offsite (articles redirecting to another host), scheme (articles redirecting to a "
        "file: URL), chain (articles redirecting through 7 hops), biglisting (a listing page "
        "expanding to 128 MiB), "
        "liar (UTF-8 articles under a Content-Type naming Shift_JIS, windows-1252, ISO-8859-1, "
        "GBK, ISO-8859-2 or KOI8-R), "
        "interstitial (articles answering a bot-check page), wall (articles behind a login "
        "wall), soft404 (articles answering a 'Page not found' page with 200), sectionpage "
        "(articles answering their section's listing), "
        "redesign (every article in the unknown layout)",
    )
    parser.add_argument(
        "--manifest", action="store_true", help="print the ground truth as JSON lines and exit"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")


def _fail(message: str) -> int:
    """One line on stderr, and exit status 2: a bad argument (a busy --port is one in effect)."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _cannot_listen(port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on 127.0.0.1 is in use (pick another with --port, or --port 0 for a"
            " free one)"
        )
    return f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}"


def run(args: argparse.Namespace) -> int:
    if args.articles < 1:
        return _fail(f"--articles must be at least 1, got {args.articles}")
    if args.site == "japantimes":
        return _run_second_site(args)
    now: datetime | None = None
    if args.now is not None:
        try:
            now = parse_now(args.now)
        except ValueError:
            return _fail(f"--now is not an ISO 8601 time: {args.now!r}")
    try:
        faults = parse_faults(args.faults, args.seed)
    except UnknownFault as exc:
        return _fail(str(exc))
    corpus = Corpus(articles=args.articles, seed=args.seed, now=now)
    if args.manifest:
        return _print_manifest(corpus, faults)
    return _serve(corpus, args.port, args.verbose, faults)


def _run_second_site(args: argparse.Namespace) -> int:
    if args.now is not None or args.faults:
        return _fail("--now and --faults are for --site japannews only")
    site = japantimes.Site(articles=args.articles, seed=args.seed)
    if args.manifest:
        return _write_lines(site.manifest())
    try:
        server = serve_router(japantimes.Router(site), args.port, args.verbose)
    except OSError as exc:
        return _fail(_cannot_listen(args.port, exc))
    return _serve_forever(server, f"({site.size} articles, seed {site.seed}) site: japantimes")


def _print_manifest(corpus: Corpus, faults: tuple[Fault, ...]) -> int:
    return _write_lines(amend_records(corpus.manifest_records(), faults, corpus))


def _write_lines(records: Iterable[dict[str, Any]]) -> int:
    out = sys.stdout.buffer
    try:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()
    except BrokenPipeError:  # `... --manifest | head` is fine: silence the exit-time flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # unwinds serve_forever() in the main thread


def _serve(corpus: Corpus, port: int, verbose: bool, faults: tuple[Fault, ...]) -> int:
    try:
        server = make_server(corpus, port, verbose, faults)
    except OSError as exc:
        return _fail(_cannot_listen(port, exc))
    about = f"({corpus.size} articles, seed {corpus.seed})"
    if faults:
        about += " faults: " + ",".join(f.name for f in faults)
        about += "".join(f" {extra}" for f in faults if (extra := f.banner()))
    return _serve_forever(server, about)


def _serve_forever(server: ReplicaServer, about: str) -> int:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    bound = server.server_address[1]
    # tests parse this line: anything new goes after the closing parenthesis
    print(f"{PROG}: serving http://127.0.0.1:{bound}/ {about}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
