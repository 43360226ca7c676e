"""`newscrawl runs`: past runs at a glance, from every run history the project wrote.

Each run appends one JSON line to a history file (newscrawl/extensions/summary.py; where:
newscrawl/paths.py): `runs.jsonl` of scheduled runs and named backfills, `backfills.jsonl` of
unnamed backfills, under the state root (`.newscrawl/`, `hosts/<host>/`, `jobs/<job>/`). This
module finds them all, reads them tolerantly (a line torn by a killed run is skipped and
counted) and prints one row per run, newest first.

Exit status: 0; 1 when the latest run of a listed crawl (one history file, host, job and
spider) was not healthy; 2 for a bad option, or when there is no run to show.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.paths import REAL_HOST

PROG = "newscrawl runs"
DEFAULT_STATE_DIR = ".newscrawl"
HISTORY_NAMES = ("runs.jsonl", "backfills.jsonl")
# The arguments shown as the crawl's host and job.
SHOWN_ELSEWHERE = ("base_url", "job")
# The name newscrawl.paths.host_folder gives a host's folder (`hosts/127.0.0.1_8765`).
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


class HistoryError(Exception):
    """No history can be read from where the user pointed: one line, exit status 2."""


@dataclass(frozen=True)
class Run:
    """One line of a run history, with the crawl it belongs to."""

    record: dict[str, Any]
    file: Path
    line: int
    host: str
    job: str | None

    @property
    def spider(self) -> str:
        return str(self.record.get("spider") or "?")

    @property
    def start(self) -> datetime | None:
        return parse_time(self.record.get("start"))

    @property
    def end(self) -> datetime | None:
        return parse_time(self.record.get("end"))

    @property
    def seconds(self) -> float | None:
        start, end = self.start, self.end
        return (end - start).total_seconds() if start and end else None

    @property
    def crawl(self) -> tuple[str, str, str, str]:
        """What makes runs comparable: the same history file, host, job and spider."""
        return (str(self.file), self.host, self.job or "", self.spider)

    @property
    def healthy(self) -> bool:
        # A run without a verdict (no RunHealth extension) cannot be called healthy.
        exit_status = self.record.get("exit_status")
        return exit_status == 0 or (exit_status is None and self.record.get("status") == "ok")

    @property
    def status(self) -> str:
        return str(self.record.get("status") or "unknown")

    def count(self, name: str) -> int:
        """A top-level count (`new`, `updated`, `exported`) or one of `errors`."""
        value = self.record.get(name)
        if value is None:
            value = (self.record.get("errors") or {}).get(name)
        return value if isinstance(value, int) else 0

    @property
    def failed(self) -> int:
        return self.count("failed_requests")

    @property
    def refused(self) -> int:
        return self.count("refused_requests")

    def arguments(self) -> dict[str, Any]:
        """The spider's non-null arguments, less those the crawl column shows."""
        given = self.record.get("arguments")
        if not isinstance(given, dict):
            return {}
        return {
            key: value
            for key, value in given.items()
            if value is not None and value != "" and key not in SHOWN_ELSEWHERE
        }

    def json_line(self) -> str:
        record = {**self.record, "host": self.host, "job": self.job, "file": str(self.file)}
        return json.dumps(record, ensure_ascii=False)


@dataclass
class History:
    """The runs found (newest first), the files read and their unreadable lines."""

    runs: list[Run]
    files: list[Path]
    skipped: dict[Path, int] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)  # of all runs read, before any filter


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def folder_name(host: str) -> str:
    return _UNSAFE.sub("_", host).strip(".").lower() or "_"


def history_files(state_dir: Path) -> list[Path]:
    """Every run history below STATE_DIR, sorted; symbolic links to folders are not followed."""
    found = [
        Path(folder) / name
        for folder, _, names in os.walk(state_dir)
        for name in names
        if name in HISTORY_NAMES
    ]
    return sorted(found)


def crawl_of(record: dict[str, Any], path: Path) -> tuple[str, str | None]:
    """The host and job of a run: from its arguments, else from where its history lies
    (`hosts/<host>/`, `jobs/<job>/`; a history set with `-s NEWSCRAWL_STATE=` has neither).
    A history in a host's folder (`hosts/<name>/runs.jsonl`, `hosts/<name>/jobs/<job>/`) that
    is not the arguments' host is a crawl of that name: the user put its state there with
    `-s NEWSCRAWL_STATE=`, as the quick start does for every replica run, each on another free
    port (scripts/offline-crawl.sh)."""
    arguments = record.get("arguments")
    arguments = arguments if isinstance(arguments, dict) else {}
    url = arguments.get("base_url") or arguments.get("url")
    host = urlsplit(url).netloc if isinstance(url, str) else ""
    job = arguments.get("job") if isinstance(arguments.get("job"), str) else None
    folders = path.parts[:-1]
    folder = host_folder_of(folders)
    if folder is not None and (not host or folder_name(host) != folder_name(folder)):
        host = folder
    elif not host and "hosts" in folders[:-1]:
        host = _after("hosts", folders)
    if job is None and "jobs" in folders[:-1]:
        job = _after("jobs", folders)
    return host or "?", job


def host_folder_of(folders: tuple[str, ...]) -> str | None:
    """NAME when FOLDERS end in a host's state folder as newscrawl.paths lays it out:
    `hosts/NAME` (scheduled runs, unnamed backfills) or `hosts/NAME/jobs/JOB` (a named one)."""
    if len(folders) >= 2 and folders[-2] == "hosts":
        return folders[-1]
    if len(folders) >= 4 and folders[-4] == "hosts" and folders[-2] == "jobs":
        return folders[-3]
    return None


def _after(name: str, folders: tuple[str, ...]) -> str:
    """The folder after the last NAME: the state root itself may lie below a `hosts/`."""
    return folders[len(folders) - folders[::-1].index(name)]


def read_history(path: Path) -> tuple[list[Run], int]:
    """The runs of one history file, and how many of its lines could not be read (a run killed
    while appending tears its line; the history stays usable)."""
    runs: list[Run] = []
    skipped = 0
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            for number, line in enumerate(file, 1):
                record = _record(line)
                if record is None:
                    skipped += line.strip() != ""
                    continue
                host, job = crawl_of(record, path)
                runs.append(Run(record, path, number, host, job))
    except OSError as error:
        raise HistoryError(f"cannot read {path}: {error.strerror or error}") from None
    return runs, skipped


def _record(line: str) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def load(
    state_dir: Path, files: Iterable[Path] = (), host: str | None = None, job: str | None = None
) -> History:
    """The runs of every history below STATE_DIR and of FILES, of HOST and JOB if given, newest
    first. Raises HistoryError when STATE_DIR is missing (and no FILES are given)."""
    files = list(files)
    if not files and not state_dir.is_dir():
        raise HistoryError(f"no run history: {state_dir} is not a folder")
    paths = sorted(set(history_files(state_dir) if state_dir.is_dir() else []) | set(files))
    runs: list[Run] = []
    skipped: dict[Path, int] = {}
    hosts: set[str] = set()
    for path in paths:
        found, torn = read_history(path)
        runs += [run for run in found if matches(run, host, job)]
        hosts |= {run.host for run in found}
        if torn:
            skipped[path] = torn
    return History(newest_first(runs), paths, skipped, hosts)


def matches(run: Run, host: str | None, job: str | None) -> bool:
    if host is not None and folder_name(host) != folder_name(run.host):
        return False
    return job is None or run.job == job


def newest_first(runs: Iterable[Run]) -> list[Run]:
    """By start time (a run without one last), later lines first among equals."""

    def key(run: Run) -> tuple[float, str, int]:
        start = run.start
        return (start.timestamp() if start else float("-inf"), str(run.file), run.line)

    return sorted(runs, key=key, reverse=True)


def latest_by_crawl(runs: Iterable[Run]) -> list[Run]:
    """The newest run of each crawl among RUNS (given newest first)."""
    latest: dict[tuple[str, str, str, str], Run] = {}
    for run in runs:
        latest.setdefault(run.crawl, run)
    return list(latest.values())


# -- the table ----------------------------------------------------------------------------------
COLUMNS = ("START (UTC)", "TOOK", "STATUS", "NEW", "UPD", "FAIL", "REF", "CRAWL")
NUMERIC = {"TOOK", "NEW", "UPD", "FAIL", "REF"}
MIN_CRAWL_WIDTH = 24  # below this the crawl column says nothing: rather a wider line


def duration(seconds: float | None) -> str:
    if seconds is None or seconds < 0:
        return "?"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def crawl_label(run: Run) -> str:
    """The host, and the job of a named backfill."""
    return f"{run.host} job={run.job}" if run.job else run.host


def run_label(run: Run) -> str:
    """The spider and its non-null arguments, less those of `crawl_label`."""
    words = [run.spider] + [f"{key}={value}" for key, value in run.arguments().items()]
    return " ".join(words)


def crawl_text(run: Run) -> str:
    """One column for the table: `japannews@127.0.0.1:8765 job=q1 section=politics ...`. The
    real site is the default crawl: it needs no @host, nor does a `news` crawl (its url)."""
    arguments = run.arguments()
    named = run.host == REAL_HOST or "url" in arguments or run.host == "?"
    words = [run.spider if named else f"{run.spider}@{run.host}"]
    words += [f"job={run.job}"] if run.job else []
    words += [f"{key}={value}" for key, value in arguments.items()]
    return " ".join(words)


def row(run: Run) -> tuple[str, ...]:
    start = run.start
    exit_status = run.record.get("exit_status")
    return (
        start.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if start else "?",
        duration(run.seconds),
        f"{run.status} {exit_status if exit_status is not None else '?'}",
        str(run.count("new")),
        str(run.count("updated")),
        str(run.failed),
        str(run.refused),
        crawl_text(run),
    )


def table(runs: list[Run], width: int = 80) -> list[str]:
    """The header and one line per run; the last column (spider, host, job and arguments) is
    cut to fit WIDTH, but never below MIN_CRAWL_WIDTH."""
    rows = [row(run) for run in runs]
    widths = [max(len(cells[i]) for cells in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    fixed = sum(widths[:-1]) + len(widths) - 1
    run_width = max(MIN_CRAWL_WIDTH, width - fixed)
    lines = []
    for cells in [COLUMNS, *rows]:
        parts = [
            cell.rjust(w) if COLUMNS[i] in NUMERIC else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells[:-1], widths, strict=False))
        ]
        lines.append(" ".join([*parts, cut(cells[-1], run_width)]).rstrip())
    return lines


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# -- the command --------------------------------------------------------------------------------
def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def add_file_option(parser: argparse.ArgumentParser) -> None:
    """`--file HISTORY`: a run history outside the state root (`newscrawl runs` and `report`)."""
    parser.add_argument(
        "--file",
        type=Path,
        action="append",
        default=[],
        metavar="HISTORY",
        help="also read this run history (a NEWSCRAWL_SUMMARY set elsewhere); repeatable",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "exit status: 0 when the latest run of each listed crawl was healthy, 1 when one was "
        "not, 2 for a bad option or no run to show"
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(DEFAULT_STATE_DIR),
        help="the state root to search for run histories (runs.jsonl, backfills.jsonl) of all "
        "hosts and jobs (default: .newscrawl)",
    )
    add_file_option(parser)
    parser.add_argument("--last", type=positive, metavar="N", help="only the N newest runs")
    parser.add_argument(
        "--host", help="only runs of this host (127.0.0.1:8765 or its folder name 127.0.0.1_8765)"
    )
    parser.add_argument("--job", help="only runs of this backfill job")
    parser.add_argument(
        "--json",
        action="store_true",
        help="JSON lines: each run's record as written, plus host, job and file",
    )


def run(args: argparse.Namespace) -> int:
    if not args.file and not args.state_dir.is_dir() and args.state_dir == Path(DEFAULT_STATE_DIR):
        return fail(
            f"no runs yet: no {DEFAULT_STATE_DIR} folder here (run this where the crawls run, "
            "or give --state-dir)"
        )
    try:
        history = load(args.state_dir, args.file, host=args.host, job=args.job)
    except HistoryError as error:
        return fail(str(error))
    if not history.runs:
        return fail(nothing_found(args, history))
    for path, torn in history.skipped.items():
        lines = "line" if torn == 1 else "lines"
        print(f"{PROG}: skipped {torn} unreadable {lines} in {path}", file=sys.stderr)
    runs = history.runs[: args.last] if args.last else history.runs
    if args.json:
        emit(each.json_line() for each in runs)
    else:
        emit(table(runs, shutil.get_terminal_size((80, 24)).columns))
    return 0 if all(each.healthy for each in latest_by_crawl(runs)) else 1


def emit(lines: Iterable[str]) -> None:
    """Print LINES; a reader that stops early (`| head`) is no error."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def nothing_found(args: argparse.Namespace, history: History) -> str:
    if not history.files:
        return f"no runs yet: no runs.jsonl or backfills.jsonl below {args.state_dir}"
    wanted = " and ".join(
        f"{name} {value}" for name, value in (("host", args.host), ("job", args.job)) if value
    )
    if wanted:
        known = ", ".join(sorted(history.hosts)) or "none"
        return f"no runs of {wanted} below {args.state_dir} (hosts with runs: {known})"
    return f"no runs yet: the run histories below {args.state_dir} are empty"


def fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2
