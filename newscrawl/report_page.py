"""The page `newscrawl report` writes: its SVG charts (drawn by newscrawl/charts.py), tables,
empty states and inline style, from the numbers of newscrawl/report_data.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from newscrawl import charts
from newscrawl.report_data import LONG_BODY, DataCounts, Sources, day_axis, window_start
from newscrawl.runs import Run, crawl_label, duration, latest_by_crawl, run_label


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
