"""`newscrawl report OUT.html`: one self-contained HTML page of the run history and the exported
data, for a person to look at a week of runs rather than read it.

The page needs nothing but itself: inline CSS and inline SVG charts (newscrawl/charts.py), no
script, font, stylesheet or image from anywhere. Runs come from the run histories (as
`newscrawl runs` finds them); the data from the JSON lines feeds below the data folder, read
line by line and counted, never held.

A day is a UTC calendar day: for a run, the day it started; for an exported article, the day
it was fetched (`crawled_at`), so a day's bars are what that day's runs brought.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

# Coverage, time_step and time_tick too: the command's module is the report's public face.
from newscrawl.report_data import (
    Coverage,
    ReportError,
    Sources,
    count_items,
    data_files,
    runs_since,
    window_start,
)
from newscrawl.report_page import page, time_step, time_tick
from newscrawl.runs import DEFAULT_STATE_DIR, HistoryError, add_file_option, load

__all__ = [
    "Coverage",
    "ReportError",
    "build",
    "count_items",
    "data_files",
    "run",
    "time_step",
    "time_tick",
    "window_start",
]

PROG = "newscrawl report"
DEFAULT_DATA_DIR = "data"
DEFAULT_DAYS = 7


# -- the command --------------------------------------------------------------------------------
def build(
    state_dir: Path,
    data_dir: Path,
    host: str | None = None,
    job: str | None = None,
    days: int = DEFAULT_DAYS,
    files: Sequence[Path] = (),
    now: datetime | None = None,
) -> str:
    """The page, from the run histories below STATE_DIR (and FILES) and the feeds below
    DATA_DIR. A folder that does not exist holds nothing (the caller decides if that is an
    error)."""
    now = now or datetime.now(UTC)
    since = window_start(days, now.date())
    history_exists = state_dir.is_dir() or bool(files)
    all_runs = load(state_dir, files, host=host, job=job).runs if history_exists else []
    data = data_files(data_dir, host, job) if data_dir.is_dir() else []
    counts = count_items(data, since)
    sources = Sources(state_dir, data_dir, host, job, days, now)
    return page(sources, all_runs, runs_since(all_runs, since), counts)


def write_atomically(path: Path, text: str) -> None:
    """Replace PATH whole: a browser or a web server never sees half a page."""
    folder = path.parent
    if not folder.is_dir():
        raise ReportError(f"cannot write {path}: {folder} is not a folder")
    if path.is_dir():
        raise ReportError(f"cannot write {path}: it is a folder")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise ReportError(f"cannot write {path}: {error.strerror or error}") from None


def days_value(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"expected a number of days (0: all), got {value!r}")
    return days


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT.html", help="the page to write")
    parser.add_argument(
        "--state-dir",
        type=Path,
        help=f"the state root with the run histories (default: {DEFAULT_STATE_DIR})",
    )
    parser.add_argument(
        "--data-dir", type=Path, help=f"the exported JSON lines (default: {DEFAULT_DATA_DIR})"
    )
    add_file_option(parser)
    parser.add_argument(
        "--host",
        help="only this host's runs and data (data/hosts/<host>/; the real site's data lies "
        "outside hosts/)",
    )
    parser.add_argument("--job", help="only this backfill job's runs and data/jobs/<job>.jsonl")
    parser.add_argument(
        "--days",
        type=days_value,
        default=DEFAULT_DAYS,
        metavar="N",
        help=f"runs started and articles fetched in the last N UTC days, today included "
        f"(default: {DEFAULT_DAYS}; 0: everything)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        for given in (args.state_dir, args.data_dir):
            if given is not None and not given.is_dir():
                raise ReportError(f"{given} is not a folder")
        text = build(
            args.state_dir or Path(DEFAULT_STATE_DIR),
            args.data_dir or Path(DEFAULT_DATA_DIR),
            host=args.host,
            job=args.job,
            days=args.days,
            files=args.file,
        )
        write_atomically(args.out, text)
    except (ReportError, HistoryError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    print(args.out)
    return 0
