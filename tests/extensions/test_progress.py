"""Backfill progress: the estimate replayed from recorded backfills of the replica
(benchmarks/record_progress.py), the bar's width, and log lines above the bar."""

from __future__ import annotations

import fcntl
import io
import json
import logging
import os
import pty
import struct
import termios
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from tqdm.utils import disp_len

from newscrawl.extensions.progress import (
    BAR_COLUMNS,
    BackfillProgress,
    Estimate,
    Estimator,
    Listing,
    Snapshot,
    bar_columns,
    bar_text,
    expected_articles,
    expected_work,
    log_line,
    new_bar,
    redirect_console,
    show,
    walk_coverage,
)
from newscrawl.spiders.arguments import Window

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "progress"
RECORDINGS = sorted(FIXTURES.glob("*.json"))


def load(path: Path) -> tuple[list[Snapshot], Snapshot, str]:
    """The recorded ticks, the snapshot when the spider closed, and its finish reason."""
    fixture = json.loads(path.read_text("utf-8"))
    window = {"since": date.fromisoformat(fixture["since"])}
    window["until"] = date.fromisoformat(fixture["until"])

    def snapshot(row: list[Any]) -> Snapshot:
        values = dict(zip(fixture["fields"], row, strict=True))
        values["walks"] = tuple(Listing(*walk) for walk in values["walks"])
        values["oldest"] = values["oldest"] and date.fromisoformat(values["oldest"])
        return Snapshot(**values, **window)

    end = fixture["end"]
    return [snapshot(row) for row in fixture["ticks"]], snapshot(end["snapshot"]), end["reason"]


def replay(path: Path) -> tuple[list[Snapshot], list[Estimate], Snapshot, Estimate]:
    ticks, last, reason = load(path)
    estimator = Estimator()
    estimates = [estimator.update(tick) for tick in ticks]
    return ticks, estimates, last, estimator.update(last, finished=reason == "finished")


def test_there_are_recordings():
    assert RECORDINGS, f"no recorded backfill under {FIXTURES}"
    for path in RECORDINGS:
        assert path.stat().st_size < 200_000
        ticks, _, reason = load(path)
        assert len(ticks) >= 20 and reason == "finished"


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
def test_the_share_only_moves_forward_and_is_100_only_at_the_end(path):
    _, estimates, _, end = replay(path)
    shares = [e.done or 0.0 for e in estimates]
    assert shares == sorted(shares)
    assert all(share < 1.0 for share in shares)
    assert end.done == 1.0 and end.seconds_left == 0.0
    assert f"{shares[-1]:.0%}" != "100%"  # not shown as 100% either


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
def test_the_share_follows_the_work_done(path):
    """A share is shown within the first quarter of the run, and from then on it is within 10
    points of the share of all the run's requests that were done (not 2% at the end, nor 95%)."""
    ticks, estimates, last, _ = replay(path)
    first = next(i for i, estimate in enumerate(estimates) if estimate.done is not None)
    assert ticks[first].elapsed <= 0.25 * last.elapsed
    for tick, estimate in zip(ticks[first:], estimates[first:], strict=True):
        assert abs(estimate.done - tick.work_done / last.work_done) <= 0.1, tick


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
@pytest.mark.parametrize("way", [0.5, 0.9])
def test_time_left_is_within_a_factor_of_the_truth(path, way):
    ticks, estimates, last, _ = replay(path)
    index = next(i for i, tick in enumerate(ticks) if tick.elapsed >= way * last.elapsed)
    true_left = last.elapsed - ticks[index].elapsed
    estimated = estimates[index].seconds_left
    assert estimated is not None
    assert true_left / 2 <= estimated <= true_left * 2, (estimated, true_left)


def rendered_lines(output: str) -> list[str]:
    """Every state of a bar written to a stream: tqdm redraws it after a carriage return."""
    return [part for line in output.split("\n") for part in line.split("\r") if part]


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
def test_the_bar_fits_80_columns_and_shows_all_its_text(path):
    ticks, estimates, last, end = replay(path)
    stream = io.StringIO()
    bar = new_bar(stream)
    for tick, estimate in [*zip(ticks, estimates, strict=True), (last, end)]:
        show(bar, tick, estimate)
        assert bar_text(tick, estimate) in stream.getvalue().rsplit("\r", 1)[-1]
    bar.close()
    lines = rendered_lines(stream.getvalue())
    assert lines and all(disp_len(line) <= BAR_COLUMNS for line in lines)
    assert lines[-1].startswith("backfill 100%|") and f"{last.exported} articles" in lines[-1]


def test_the_bar_fits_80_columns_with_the_largest_counts():
    stream = io.StringIO()
    bar = new_bar(stream)
    huge = Snapshot(1.0, 10**6, 10, 10**6, 10, 10**7, oldest=date(2024, 12, 31))
    show(bar, huge, Estimate(0.5, 10**9))
    bar.close()
    line = rendered_lines(stream.getvalue())[-1]
    assert disp_len(line) <= BAR_COLUMNS and ">99h left" in line
    assert "10000000 articles 10000000.0/s, oldest 2024-12-31" in line


def test_a_log_record_goes_above_the_bar():
    stream = io.StringIO()
    target = logging.getLogger("test_progress.redirect")
    target.propagate = False
    target.setLevel(logging.DEBUG)
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    target.handlers = [handler]
    bar = new_bar(stream)
    show(bar, Snapshot(1.0, 5, 1, 20, 10, 10), Estimate(0.25, 30.0))
    restore = redirect_console(stream, target)
    try:
        target.info("a log line")
        target.debug("not at the handler's level")
    finally:
        restore()
    bar.close()
    assert target.handlers == [handler]
    lines = stream.getvalue().split("\n")
    logged = [i for i, line in enumerate(lines) if "a log line" in line]
    assert len(logged) == 1
    # The bar was wiped (blanks over it, back to column 0), the line written, the bar drawn
    # again below it: on a terminal the log line stands alone above the bar.
    *drawn, wiped, written = lines[logged[0]].split("\r")
    assert written == "INFO: a log line" and wiped.strip() == "" and len(wiped) == BAR_COLUMNS
    assert "backfill  25%|" in drawn[-1]
    assert "backfill  25%|" in lines[logged[0] + 1]
    assert "not at the handler's level" not in stream.getvalue()


def test_without_a_window_start_there_is_no_share_until_the_end():
    estimator = Estimator()
    open_window = Snapshot(2.0, 10, 1, 40, 20, 20, walks=(), until=date(2024, 3, 1))
    estimate = estimator.update(open_window)
    assert estimate == Estimate(None, None)
    assert "done" not in log_line(open_window, estimate)
    stream = io.StringIO()
    bar = new_bar(stream)
    show(bar, open_window, estimate)
    assert rendered_lines(stream.getvalue())[-1] == "backfill: 20 articles 10.0/s, oldest -"
    assert estimator.update(open_window, finished=True).done == 1.0


def test_an_estimate_that_grows_holds_the_share_instead_of_going_back():
    estimator = Estimator()
    walk = Listing(covered=0.5, articles=100, pages=15, above=5)
    first = Snapshot(10.0, 10, 1, 100, 50, 50, walks=(walk,), since=date(2024, 1, 1))
    grown = walk._replace(articles=400)
    later = replace(first, elapsed=11.0, requested=400, settled=60, walks=(grown,))
    shown = estimator.update(first).done
    assert estimator.update(later).done == shown
    # The time left comes from the work left at the rate of work done.
    work_left = expected_work(later) - later.work_done
    assert estimator.update(later).seconds_left == pytest.approx(work_left / (70 / 11.0))


def test_listings_not_in_the_window_yet_count_by_the_pages_they_read_above_it():
    reached = Listing(covered=1.0, articles=40, pages=6, above=2)  # 20 articles a page above
    late = Listing(covered=0.0, articles=0, pages=3, above=3)  # a denser listing: 3 pages above
    snapshot = Snapshot(5.0, 9, 0, 40, 40, 40, walks=(reached, late), since=date(2024, 1, 1))
    assert expected_articles(snapshot) == 40 + 3 * 20
    # Too little known while most listings are still above the window: no estimate.
    assert expected_articles(replace(snapshot, walks=(reached, late, late))) is None


def test_walk_coverage():
    spider = SimpleNamespace(
        completed_walks={"politics/election"},
        walked={"politics/election", "politics/g7-summit", "politics/defense-security"},
        walk_oldest_day={"politics/g7-summit": date(2024, 1, 22), "politics": date(2024, 1, 30)},
    )
    window = (date(2024, 1, 1), date(2024, 1, 31))
    assert walk_coverage(spider, "politics/election", window, pending=0) == 1.0
    assert walk_coverage(spider, "politics/g7-summit", window, pending=1) == 10 / 31
    assert walk_coverage(spider, "politics", window, pending=0) == 1.0  # one page, read
    assert walk_coverage(spider, "politics/defense-security", window, pending=1) == 0.0
    assert walk_coverage(spider, "politics/defense-security", window, pending=0) == 1.0


def test_an_until_after_today_counts_only_the_days_up_to_today(monkeypatch):
    """until=2027-12-31 on 2026-12-02: a listing that has walked from today down to 2026-11-25
    covers a week of the window's days that can hold articles, not the year still to come."""
    today = date(2026, 12, 2)
    spider = SimpleNamespace(
        window=Window(date(2026, 8, 1), date(2027, 12, 31)),
        today=lambda settings: today,
        walked={"politics"},
        walk_oldest_day={"politics": date(2026, 11, 25)},
        completed_walks=set(),
        oldest_reached=date(2026, 11, 25),
    )
    stats = SimpleNamespace(get_value=lambda key, default=None: default)
    crawler = SimpleNamespace(spider=spider, stats=stats, settings=None)
    progress = BackfillProgress(crawler, interval=60, terminal=False)
    [walk] = progress.snapshot().walks
    assert walk.covered == pytest.approx(8 / 124)  # 2026-11-25..12-02 of 08-01..12-02
    assert progress.snapshot().until == date(2027, 12, 31)  # the window as given, in the log


def test_the_bar_is_never_wider_than_a_narrow_terminal():
    """On a 60-column terminal an 80-column bar would wrap and leave a line at each redraw."""
    leader, follower = pty.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))
        with os.fdopen(os.dup(follower), "w") as stream:
            assert bar_columns(stream) == 60
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))
        with os.fdopen(os.dup(follower), "w") as stream:
            assert bar_columns(stream) == BAR_COLUMNS
    finally:
        os.close(leader)
        os.close(follower)
    assert bar_columns(io.StringIO()) == BAR_COLUMNS
