"""`newscrawl report`: the counts behind its charts, the page's data points, its empty states
and its refusal of bad paths (issue 14, item 4). The page in a real browser:
tests/e2e/test_report_browser.py."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from lxml import html

from newscrawl import report
from newscrawl.cli import main
from tests.runs_data import REPLICA, item, make_week, record, write_feed, write_history

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def day(offset: int, hour: int = 8) -> datetime:
    return (NOW - timedelta(days=offset)).replace(hour=hour, minute=0)


def points(page: str, chart: str, kind: str = "bar") -> list:
    tree = html.fromstring(page.encode())
    return tree.xpath(f'//svg[@data-chart="{chart}"]//*[@class="{kind}" or @class="point"]')


def test_counts_per_day_per_section_and_field_coverage(tmp_path):
    feed = write_feed(
        tmp_path / "data/japannews/2026-12-01/japannews-20261201T080000Z.jsonl",
        [
            item(day(1), "politics", 1),
            item(day(1), "politics", 2, authors=False, body_chars=500),  # 500 is not over 500
            item(day(1), "business", 3, published=False, body_chars=501),
            item(day(0, 0), "politics", 4, authors=False),  # just after midnight UTC
            item(day(9), "politics", 5),  # before a 7-day window
        ],
        torn=True,
    )
    with feed.open("a") as file:
        file.write("\n[1, 2]\n" + '{"id": "x", "crawled_at": "yesterday"}\n')
    counts = report.count_items([feed], since=report.window_start(7, NOW.date()))
    assert counts.by_section == Counter(
        {
            ("2026-12-01", "politics"): 2,
            ("2026-12-01", "business"): 1,
            ("2026-12-02", "politics"): 1,
        }
    )
    assert counts.by_day["2026-12-01"] == report.Coverage(
        items=3, authors=2, published=2, long_body=2
    )
    assert counts.by_day["2026-12-02"] == report.Coverage(1, 0, 1, 1)
    assert (counts.items, counts.outside, counts.unreadable, counts.undated) == (4, 1, 2, 1)
    assert report.count_items([feed], since=None).items == 5  # --days 0: everything


def test_data_files_of_a_host_or_a_job(tmp_path):
    data = tmp_path / "data"
    names = [
        "japannews/2026-12-01/japannews-1.jsonl",
        "jobs/q1.jsonl",
        "hosts/127.0.0.1_8765/japannews/2026-12-01/japannews-2.jsonl",
        "hosts/127.0.0.1_8765/jobs/q1.jsonl",
        "hosts/127.0.0.1_8765/japannews/2026-12-01/notes.txt",
    ]
    for name in names:
        write_feed(data / name, [])

    def found(**filters) -> list[str]:
        return [p.relative_to(data).as_posix() for p in report.data_files(data, **filters)]

    assert found() == sorted(names[:4])
    assert found(host="127.0.0.1:8765") == [names[2], names[3]]
    assert found(host="japannews.yomiuri.co.jp") == [names[0], names[1]]
    assert found(job="q1") == [names[3], names[1]]
    assert found(host="127.0.0.1_8765", job="q1") == [names[3]]
    # newscrawl.paths keeps a host's case in its folder name (base_url=http://LOCALHOST:8765)
    write_feed(data / "hosts/LOCALHOST_8765/jobs/q2.jsonl", [])
    assert (
        found(host="LOCALHOST:8765")
        == found(host="localhost:8765")
        == ["hosts/LOCALHOST_8765/jobs/q2.jsonl"]
    )


def test_each_chart_has_a_point_per_value(tmp_path):
    week = make_week(tmp_path, NOW)
    page = report.build(week.state, week.data, now=NOW)
    in_window = [r for _, r in week.runs]
    assert len(points(page, "exported")) == len(in_window) == 17
    values = [float(b.get("data-value")) for b in points(page, "exported")]
    assert sum(values) == sum(r["exported"] for r in in_window)
    assert len(points(page, "problems")) == 2 * len(in_window)
    assert len(points(page, "duration")) == len(in_window)
    marks = html.fromstring(page.encode()).xpath('//svg[@data-chart="exported"]//*[@class="mark"]')
    assert len(marks) == sum(r["exit_status"] != 0 for r in in_window) == 2
    pairs = Counter((i["crawled_at"][:10], i["section"]) for i in week.items)
    bars = points(page, "sections")
    assert len(bars) == len(pairs)
    assert sum(float(b.get("data-value")) for b in bars) == len(week.items)
    days = {i["crawled_at"][:10] for i in week.items}
    assert len(points(page, "coverage")) == 3 * len(days)
    # the run before the window is left out; --days 0 keeps it
    everything = report.build(week.state, week.data, days=0, now=NOW)
    assert len(points(everything, "exported")) == len(in_window) + week.old_runs


def test_bars_and_points_say_what_they_are(tmp_path):
    write_history(tmp_path / "state/runs.jsonl", [record(day(1), 75, 12, updated=2, failed=1,
                                                          healthy=False)])  # fmt: skip
    page = report.build(tmp_path / "state", tmp_path / "data", now=NOW)
    [bar] = points(page, "exported")
    assert bar.get("data-value") == "12"
    assert bar.findtext("title") == (
        "2026-12-01 08:00:00 UTC · japannews.yomiuri.co.jp · japannews section=politics "
        "discover=listings: 12 exported (10 new, 2 updated) · unhealthy"
    )
    failed, refused = points(page, "problems")
    assert (failed.get("data-series"), failed.get("data-value")) == ("failed", "1")
    assert refused.get("data-series") == "refused"
    [took] = points(page, "duration")
    assert took.findtext("title").endswith("took 1m15s")


def test_empty_states_are_honest(tmp_path):
    page = report.build(tmp_path / "no-state", tmp_path / "no-data", now=NOW)
    tree = html.fromstring(page.encode())
    assert tree.xpath("//svg") == []
    empty = [p.text_content() for p in tree.xpath('//p[@class="empty"]')]
    assert empty[:3] == [f"No runs yet: no run history below {tmp_path}/no-state."] * 3
    assert empty[3:] == [f"No exported data yet: no .jsonl file below {tmp_path}/no-data."] * 2
    tree = html.fromstring(report.build(tmp_path, tmp_path, host="nope", job="j", now=NOW))
    empty = [p.text_content() for p in tree.xpath('//p[@class="empty"]')]
    assert empty[0] == f"No runs of host nope and job j below {tmp_path}."
    assert empty[3] == f"No exported data of host nope and job j below {tmp_path}."
    # runs and data, all older than the window
    write_history(tmp_path / "state/runs.jsonl", [record(day(20))])
    write_feed(tmp_path / "data/jobs/j.jsonl", [item(day(20), "politics", 1)])
    tree = html.fromstring(report.build(tmp_path / "state", tmp_path / "data", now=NOW))
    empty = [p.text_content() for p in tree.xpath('//p[@class="empty"]')]
    assert empty[0] == (
        "No runs in the last 7 days: 2026-11-26 to 2026-12-02 (UTC); the newest run started "
        "2026-11-12 08:00 UTC."
    )
    assert empty[3] == (
        "No article fetched in the last 7 days: 2026-11-26 to 2026-12-02 (UTC) (1 earlier ones "
        "in 1 files)."
    )


def test_page_is_self_contained_and_escaped(tmp_path):
    line = record(day(1), base_url=REPLICA, section="<b>politics</b>")
    write_history(tmp_path / "state/hosts/127.0.0.1_8765/runs.jsonl", [line])
    page = report.build(tmp_path / "state", tmp_path / "data", now=NOW)
    tree = html.fromstring(page.encode())
    assert tree.xpath("//script | //link | //img | //iframe | //object") == []
    assert [e for e in tree.iter() if e.get("src") or e.get("href")] == []
    assert "<b>politics" not in page and "&lt;b&gt;politics" in page
    assert "default-src 'none'" in page  # and the browser is told to load nothing


def test_cli_writes_the_page_and_prints_its_path(tmp_path, capsys):
    week = make_week(tmp_path, datetime.now(UTC))
    out = tmp_path / "report.html"
    status = main(["report", str(out), "--state-dir", str(week.state), "--data-dir",
                   str(week.data), "--host", "127.0.0.1:8765"])  # fmt: skip
    assert status == 0
    assert capsys.readouterr().out == f"{out}\n"
    assert len(points(out.read_text("utf-8"), "exported")) == 3  # the replica's runs only
    assert list(tmp_path.glob(".report.html.*")) == []  # no temporary file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("{tmp}/r.html", "--state-dir", "{tmp}/nope"), "{tmp}/nope is not a folder"),
        (("{tmp}/r.html", "--data-dir", "{tmp}/nope"), "{tmp}/nope is not a folder"),
        (("{tmp}/no/r.html",), "cannot write {tmp}/no/r.html: {tmp}/no is not a folder"),
        (("{tmp}",), "cannot write {tmp}: it is a folder"),
        (("{tmp}/r.html", "--days", "-1"), "expected a number of days (0: all), got '-1'"),
    ],
)
def test_bad_paths_and_options_are_one_line_and_status_2(tmp_path, capsys, args, message):
    try:
        status = main(["report", *(a.format(tmp=tmp_path) for a in args)])
    except SystemExit as exit:
        status = exit.code
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.splitlines() == [err.strip()]
    assert err.startswith("newscrawl report: error: ")
    assert message.format(tmp=tmp_path) in err


def test_duration_ticks_are_round():
    assert [report.time_step(t) for t in (4, 45, 400, 1500, 5 * 3600)] == [1, 10, 120, 300, 3600]
    assert [report.time_tick(s) for s in (0, 30, 120, 7200)] == ["0s", "30s", "2m", "2h"]
