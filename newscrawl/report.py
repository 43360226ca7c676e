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
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from newscrawl import charts
from newscrawl.runs import (
    DEFAULT_STATE_DIR,
    REAL_HOST,
    HistoryError,
    Run,
    add_file_option,
    crawl_label,
    duration,
    folder_name,
    latest_by_crawl,
    load,
    parse_time,
    run_label,
)

PROG = "newscrawl report"
DEFAULT_DATA_DIR = "data"
DEFAULT_DAYS = 7
LONG_BODY = 500  # characters: a body shorter than this is likely a teaser or a broken extraction


class ReportError(Exception):
    """A source or the output cannot be used: one line, exit status 2."""


# -- the exported data --------------------------------------------------------------------------
@dataclass
class Coverage:
    """How many of a day's items have each field worth having."""

    items: int = 0
    authors: int = 0
    published: int = 0
    long_body: int = 0


@dataclass
class DataCounts:
    files: int = 0
    items: int = 0
    unreadable: int = 0  # lines that are no JSON object (a torn line of a killed run)
    undated: int = 0  # items without a readable crawled_at
    outside: int = 0  # items fetched before the window
    by_section: Counter[tuple[str, str]] = field(default_factory=Counter)  # (day, section)
    by_day: dict[str, Coverage] = field(default_factory=dict)


def data_files(data_dir: Path, host: str | None = None, job: str | None = None) -> list[Path]:
    """The JSON lines files below DATA_DIR, of HOST (`hosts/<host>/`; the real site's lie
    outside `hosts/`) and JOB (`jobs/<job>.jsonl`) if given."""
    found = []
    for folder, _, names in os.walk(data_dir):
        for name in names:
            path = Path(folder) / name
            if name.endswith(".jsonl") and _wanted(path.relative_to(data_dir).parts, host, job):
                found.append(path)
    return sorted(found)


def _wanted(parts: tuple[str, ...], host: str | None, job: str | None) -> bool:
    if host is not None:
        under_hosts = len(parts) > 2 and parts[0] == "hosts"
        if folder_name(host) == REAL_HOST:  # its data lies outside hosts/ (newscrawl/paths.py)
            if under_hosts:
                return False
        elif not (under_hosts and folder_name(parts[1]) == folder_name(host)):
            return False
    if job is not None:
        return len(parts) > 1 and parts[-2] == "jobs" and parts[-1] == f"{job}.jsonl"
    return True


def count_items(files: Iterable[Path], since: date | None = None) -> DataCounts:
    counts = DataCounts()
    for path in files:
        counts.files += 1
        try:
            with path.open(encoding="utf-8", errors="replace") as file:
                for line in file:  # one line at a time: a feed may be large
                    count_line(line, counts, since)
        except OSError as error:
            raise ReportError(f"cannot read {path}: {error.strerror or error}") from None
    return counts


def count_line(line: str, counts: DataCounts, since: date | None) -> None:
    if not line.strip():
        return
    try:
        item = json.loads(line)
    except ValueError:
        item = None
    if not isinstance(item, dict):
        counts.unreadable += 1
        return
    day = _day(item.get("crawled_at"))
    if day is None:
        counts.undated += 1
        return
    if since is not None and day < since.isoformat():
        counts.outside += 1
        return
    counts.items += 1
    counts.by_section[day, str(item.get("section") or "(none)")] += 1
    coverage = counts.by_day.setdefault(day, Coverage())
    coverage.items += 1
    coverage.authors += bool(item.get("authors"))
    coverage.published += item.get("published") is not None
    coverage.long_body += len(item.get("body") or "") > LONG_BODY


def _day(value: Any) -> str | None:
    moment = parse_time(value)
    return moment.astimezone(UTC).date().isoformat() if moment else None


# -- the window ---------------------------------------------------------------------------------
def window_start(days: int, today: date) -> date | None:
    """The first day of the last DAYS days up to TODAY; None (everything) for 0."""
    return today - timedelta(days=days - 1) if days > 0 else None


def day_axis(since: date | None, today: date, counts: DataCounts) -> list[str]:
    """Every day of the window (empty ones too, so a gap shows); without a window, the days
    from the first to the last with data."""
    if since is None:
        if not counts.by_day:
            return []
        first, last = min(counts.by_day), max(counts.by_day)
        since, today = date.fromisoformat(first), date.fromisoformat(last)
    return [(since + timedelta(days=i)).isoformat() for i in range((today - since).days + 1)]


def runs_since(runs: Iterable[Run], since: date | None) -> list[Run]:
    """The runs started in the window, oldest first (a chart reads left to right)."""
    kept = [
        r for r in runs if since is None or (r.start and r.start.astimezone(UTC).date() >= since)
    ]
    return sorted(kept, key=lambda r: (r.start or datetime.min.replace(tzinfo=UTC), r.line))


# -- the charts ---------------------------------------------------------------------------------
def when(run: Run, seconds: bool = False) -> str:
    start = run.start
    form = "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC"
    return start.astimezone(UTC).strftime(form) if start else "unknown start"


def run_labels(runs: Sequence[Run]) -> list[str]:
    """The x labels of runs: day and minute, with seconds when two runs would share one."""
    labels: list[str] = []
    for form in ("%m-%d %H:%M", "%m-%d %H:%M:%S"):
        labels = [r.start.astimezone(UTC).strftime(form) if r.start else "?" for r in runs]
        if len(set(labels)) == len(labels):
            break
    return labels


def crawl_colors(runs: Sequence[Run]) -> dict[tuple[str, str, str, str], str]:
    keys = list(dict.fromkeys(run.crawl for run in runs))
    return {key: charts.color(i) for i, key in enumerate(keys)}


def exported_chart(runs: Sequence[Run]) -> str:
    colors = crawl_colors(runs)
    columns = []
    for run, label in zip(runs, run_labels(runs), strict=True):
        title = (
            f"{when(run, seconds=True)} · {crawl_label(run)} · {run_label(run)}: "
            f"{run.count('exported')} exported ({run.count('new')} new, "
            f"{run.count('updated')} updated) · {run.status}"
        )
        segment = charts.Segment(run.count("exported"), "exported", colors[run.crawl], title)
        marked = "" if run.healthy else f"{when(run)}: {run.status} ({run.record.get('reason')})"
        columns.append(charts.Column(label, [segment], marked))
    return charts.bar_chart("exported", columns, "run (start, UTC)", "articles exported")


PROBLEMS = ((5, "failed"), (0, "refused"))  # (colour, Run attribute)


def problems_chart(runs: Sequence[Run]) -> str:
    labels = run_labels(runs)
    series = [
        charts.Series(
            name,
            charts.color(index),
            [getattr(run, name) for run in runs],
            [f"{when(run)} · {crawl_label(run)}: {getattr(run, name)} {name}" for run in runs],
        )
        for index, name in PROBLEMS
    ]
    return charts.line_chart(
        "problems", labels, series, "run (start, UTC)", "requests failed / refused"
    )


# Tick steps of a duration axis, in seconds: round seconds, minutes or hours.
TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200)


def time_step(top: float, ticks: int = 5) -> float:
    return next((s for s in TIME_STEPS if s * ticks >= top), 86400 * charts.nice_step(top / 86400))


def time_tick(seconds: float) -> str:
    whole = round(seconds)
    if whole and whole % 3600 == 0:
        return f"{whole // 3600}h"
    if whole and whole % 60 == 0:
        return f"{whole // 60}m"
    return f"{whole}s"


def duration_chart(runs: Sequence[Run]) -> str:
    seconds = [run.seconds for run in runs]
    titles = [f"{when(run)} · {crawl_label(run)}: took {duration(run.seconds)}" for run in runs]
    series = [charts.Series("seconds", charts.color(0), seconds, titles)]
    return charts.line_chart(
        "duration", run_labels(runs), series, "run (start, UTC)", "wall time",
        y_format=time_tick, y_step=time_step,
    )  # fmt: skip


def sections_chart(days: Sequence[str], counts: DataCounts) -> tuple[str, list[str]]:
    totals = Counter[str]()
    for (_, section), n in counts.by_section.items():
        totals[section] += n
    sections = sorted(totals, key=lambda s: (-totals[s], s))
    colors = {section: charts.color(i) for i, section in enumerate(sections)}
    columns = []
    for day in days:
        segments = [
            charts.Segment(n, section, colors[section], f"{day}: {n} {section}")
            for section in sections
            if (n := counts.by_section.get((day, section), 0))
        ]
        columns.append(charts.Column(day[5:], segments))
    svg = charts.bar_chart("sections", columns, "day fetched (UTC)", "articles")
    return svg, [charts.legend([(colors[s], f"{s} ({totals[s]:,})") for s in sections])]


COVERAGE = (
    ("authors", "with authors", 0),
    ("published", "with a published time", 2),
    ("long_body", f"with a body over {LONG_BODY} characters", 5),
)


def coverage_chart(days: Sequence[str], counts: DataCounts) -> tuple[str, list[str]]:
    series = []
    for name, label, index in COVERAGE:
        values: list[float | None] = []
        titles = []
        for day in days:
            coverage = counts.by_day.get(day)
            share = 100 * getattr(coverage, name) / coverage.items if coverage else None
            values.append(share)
            titles.append(
                f"{day}: {getattr(coverage, name)} of {coverage.items} {label} ({share:.0f}%)"
                if coverage
                else ""
            )
        series.append(charts.Series(name, charts.color(index), values, titles))
    svg = charts.line_chart(
        "coverage", [d[5:] for d in days], series, "day fetched (UTC)", "share of articles",
        y_format=lambda v: f"{v:.0f}%", y_max=100,
    )  # fmt: skip
    return svg, [charts.legend([(charts.color(i), label) for _, label, i in COVERAGE])]


# -- the page -----------------------------------------------------------------------------------
@dataclass
class Sources:
    state_dir: Path
    data_dir: Path
    host: str | None
    job: str | None
    days: int
    generated: datetime


def figure(
    name: str, heading: str, note: str, svg: str | None, empty: str, extra: Sequence[str] = ()
) -> str:
    """A chart with its heading; without data, an honest line instead of an empty frame."""
    body = svg if svg is not None else f'<p class="empty">{escape(empty)}</p>'
    return (
        f'<section class="figure" id="{name}"><h3>{escape(heading)}</h3>'
        f'<p class="note">{escape(note)}</p>{body}{"".join(extra)}</section>'
    )


def window_text(sources: Sources) -> str:
    if sources.days <= 0:
        return "all runs and all exported data"
    today = sources.generated.date()
    since = window_start(sources.days, today)
    return f"the last {sources.days} days: {since} to {today} (UTC)"


def wanted(sources: Sources) -> str:
    """' of host H and job J' when the report is of them, else ''."""
    named = [f"{k} {v}" for k, v in (("host", sources.host), ("job", sources.job)) if v]
    return f" of {' and '.join(named)}" if named else ""


def runs_empty(all_runs: Sequence[Run], sources: Sources) -> str:
    if not all_runs:
        if wanted(sources):
            return f"No runs{wanted(sources)} below {sources.state_dir}."
        return f"No runs yet: no run history below {sources.state_dir}."
    newest = max(all_runs, key=lambda r: r.start or datetime.min.replace(tzinfo=UTC))
    return f"No runs in {window_text(sources)}; the newest run started {when(newest)}."


def data_empty(counts: DataCounts, sources: Sources) -> str:
    if not counts.files:
        if wanted(sources):
            return f"No exported data{wanted(sources)} below {sources.data_dir}."
        return f"No exported data yet: no .jsonl file below {sources.data_dir}."
    return (
        f"No article fetched in {window_text(sources)} "
        f"({counts.outside:,} earlier ones in {counts.files:,} files)."
    )


def latest_table(runs: Sequence[Run]) -> str:
    """The latest run of each crawl, and how many of its runs the window holds."""
    newest_first = sorted(
        runs, key=lambda r: r.start or datetime.min.replace(tzinfo=UTC), reverse=True
    )
    total = Counter(run.crawl for run in runs)
    bad = Counter(run.crawl for run in runs if not run.healthy)
    rows = []
    for run in latest_by_crawl(newest_first):
        status = "ok" if run.healthy else "bad"
        reason = run.record.get("reason") or ""
        counted = f"{total[run.crawl]:,}"
        if bad[run.crawl]:
            counted += f" ({bad[run.crawl]:,} unhealthy)"
        rows.append(
            f"<tr><td>{escape(crawl_label(run))}</td><td>{escape(run_label(run))}</td>"
            f'<td class="nowrap">{escape(counted)}</td>'
            f'<td class="nowrap">{escape(when(run))}</td><td>{escape(duration(run.seconds))}</td>'
            f'<td class="num">{run.count("exported"):,}</td>'
            f'<td><span class="status {status}">{escape(run.status)}</span> '
            f"{escape(str(reason))}</td></tr>"
        )
    return (
        '<table class="latest"><thead><tr><th>crawl</th><th>spider and arguments</th>'
        "<th>runs</th><th>latest run</th><th>took</th><th>exported</th><th>status</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def page(sources: Sources, all_runs: Sequence[Run], runs: Sequence[Run], counts: DataCounts) -> str:
    since = window_start(sources.days, sources.generated.date())
    days = day_axis(since, sources.generated.date(), counts)
    no_runs = runs_empty(all_runs, sources)
    no_data = data_empty(counts, sources)
    has_runs, has_data = bool(runs), bool(counts.items)
    sections_svg, sections_legend = sections_chart(days, counts) if has_data else (None, [])
    coverage_svg, coverage_legend = coverage_chart(days, counts) if has_data else (None, [])
    unhealthy = sum(not r.healthy for r in runs)
    figures = [
        "<h2>Runs</h2>",
        latest_table(runs) if has_runs else "",
        figure(
            "exported", "Articles exported per run",
            "One bar per run, coloured by crawl; a red dot under a bar marks an unhealthy run.",
            exported_chart(runs) if has_runs else None, no_runs,
            [charts.legend(crawl_legend(runs))] if has_runs else [],
        ),
        figure(
            "problems", "Failures and refusals per run",
            "Requests that finally failed after retries, and requests refused for safety "
            "(another host, a private address, too large...).",
            problems_chart(runs) if has_runs else None, no_runs,
            [charts.legend([(charts.color(i), name) for i, name in PROBLEMS])]
            if has_runs else [],
        ),
        figure(
            "duration", "Run duration", "Wall time from start to end of each run.",
            duration_chart(runs) if has_runs else None, no_runs,
        ),
        "<h2>Exported data</h2>",
        figure(
            "sections", "Articles per day, by section",
            "Every exported line (new articles and revisions), by the UTC day it was fetched.",
            sections_svg, no_data, sections_legend,
        ),
        figure(
            "coverage", "Field coverage per day",
            "The share of each day's articles with authors, with a published time, and with a "
            f"body over {LONG_BODY} characters.",
            coverage_svg, no_data, coverage_legend,
        ),
    ]  # fmt: skip
    summary = (
        f"{len(runs):,} runs ({unhealthy:,} unhealthy) and {counts.items:,} exported articles "
        f"in {window_text(sources)}."
    )
    return PAGE.format(
        title="newscrawl report",
        generated=escape(sources.generated.strftime("%Y-%m-%d %H:%M UTC")),
        summary=escape(summary),
        sources=escape(sources_text(sources, counts)),
        figures="\n".join(figures),
        style=STYLE,
        policy=POLICY,
    )


def crawl_legend(runs: Sequence[Run]) -> list[tuple[str, str]]:
    colors = crawl_colors(runs)
    first = {run.crawl: run for run in reversed(runs)}
    return [(colors[key], f"{crawl_label(first[key])} · {first[key].spider}") for key in colors]


def sources_text(sources: Sources, counts: DataCounts) -> str:
    text = f"Run histories below {sources.state_dir}; data: {counts.files:,} files below "
    text += str(sources.data_dir)
    text += "".join(
        f"; {name} {value}" for name, value in (("host", sources.host), ("job", sources.job))
        if value
    )  # fmt: skip
    skipped = counts.unreadable + counts.undated
    if skipped:
        text += f"; {skipped:,} unreadable or undated lines skipped"
    return text + "."


STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
  background: #f6f7f9; margin: 0; }
main { max-width: 860px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 12px; border-bottom: 1px solid #d8dce2; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 0 0 2px; }
.meta, .note { color: #555; margin: 0 0 8px; font-size: 13px; }
.summary { font-size: 16px; margin: 8px 0; }
.figure { background: #fff; border: 1px solid #e1e4e8; border-radius: 6px; padding: 14px 16px;
  margin: 0 0 16px; }
svg.chart { display: block; width: 100%; height: auto; }
svg .grid { stroke: #eceef1; } svg .axis { stroke: #888; }
svg .tick { font-size: 11px; fill: #555; } svg .axis-title { font-size: 12px; fill: #333; }
svg .bar:hover, svg .point:hover { opacity: .75; }
.empty { color: #666; font-style: italic; padding: 28px 0; text-align: center; margin: 0; }
.legend { list-style: none; padding: 0; margin: 6px 0 0; font-size: 13px; color: #333; }
.legend li { display: inline-block; margin-right: 16px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px;
  margin-right: 5px; vertical-align: -1px; }
table.latest { width: 100%; border-collapse: collapse; background: #fff; font-size: 13px;
  margin-bottom: 16px; border: 1px solid #e1e4e8; }
.latest th, .latest td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eceef1;
  vertical-align: top; }
.latest td.num { text-align: right; } .latest td.nowrap { white-space: nowrap; }
.status { font-weight: 600; padding: 0 6px; border-radius: 3px; }
.status.ok { background: #e3f4ea; color: #1e7b45; }
.status.bad { background: #fbe5e3; color: #b03a2e; }
"""

# Nothing but the page itself may load: no script, no fetch, no font, no image but inline data.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p class="meta">Generated {generated}. {sources}</p>
<p class="summary">{summary}</p>
{figures}
</main>
</body>
</html>
"""


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
