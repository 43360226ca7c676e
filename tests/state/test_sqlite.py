"""The crawl state's export journal: what a killed run leaves behind is settled exactly."""

from __future__ import annotations

import json

import pytest

from newscrawl.state import ExportRecord, StateLocked
from newscrawl.state.sqlite import SqliteCrawlState


def record(n: int, revision: int = 1) -> ExportRecord:
    return ExportRecord(
        id=f"japannews:{n}",
        url=f"https://japannews.yomiuri.co.jp/politics/election/20241013-{n}/",
        published="2024-10-13T17:41:00+09:00",
        content_hash=f"hash{n}-{revision}",
        revision=revision,
        seen_at="2024-10-14T00:00:00Z",
    )


def line(n: int) -> bytes:
    return (json.dumps({"id": f"japannews:{n}", "title": "x"}) + "\n").encode()


@pytest.fixture
def paths(tmp_path):
    return tmp_path / "state.sqlite", tmp_path / "out.jsonl"


def export(
    state: SqliteCrawlState, feed, n: int, *, finish: bool = True, data: bytes | None = None
):
    offset = feed.stat().st_size if feed.exists() else 0
    state.begin_export(str(feed), offset, record(n))
    with feed.open("ab") as file:
        file.write(line(n) if data is None else data)
    if finish:
        state.finish_export(str(feed), record(n))


def test_finished_export_is_known(paths):
    db, feed = paths
    state = SqliteCrawlState(db)
    export(state, feed, 1)
    known = state.known("japannews:1")
    assert known.revision == 1 and known.content_hash == "hash1-1"
    assert state.known("japannews:2") is None
    state.close()


def test_killed_after_the_write_completes_the_export(paths):
    db, feed = paths
    state = SqliteCrawlState(db)
    export(state, feed, 1)
    export(state, feed, 2, finish=False)  # killed after the line, before the state commit
    state.close()
    state = SqliteCrawlState(db)
    assert state.repaired == {"completed": 1, "cut": 0}
    assert state.known("japannews:2") is not None
    assert feed.read_bytes() == line(1) + line(2)
    state.close()


def test_killed_mid_line_cuts_the_torn_line(paths):
    db, feed = paths
    state = SqliteCrawlState(db)
    export(state, feed, 1)
    export(state, feed, 2, finish=False, data=line(2)[:7])  # torn
    state.close()
    state = SqliteCrawlState(db)
    assert state.repaired == {"completed": 0, "cut": 1}
    assert state.known("japannews:2") is None
    assert feed.read_bytes() == line(1)
    state.close()


def test_killed_before_the_write_leaves_the_file_alone(paths):
    db, feed = paths
    state = SqliteCrawlState(db)
    export(state, feed, 1)
    state.begin_export(str(feed), feed.stat().st_size, record(2))
    state.close()
    state = SqliteCrawlState(db)
    assert state.repaired == {"completed": 0, "cut": 1}
    assert feed.read_bytes() == line(1)
    assert state.count() == 1
    state.close()


def test_revision_never_goes_backwards(paths):
    db, feed = paths
    state = SqliteCrawlState(db)
    state.finish_export(str(feed), record(1, revision=3))
    state.finish_export(str(feed), record(1, revision=2))
    assert state.known("japannews:1").revision == 3
    state.close()


def test_second_user_of_the_state_is_refused(paths):
    db, _ = paths
    first = SqliteCrawlState(db)
    with pytest.raises(StateLocked, match="another run"):
        SqliteCrawlState(db)
    first.close()
    SqliteCrawlState(db).close()  # free again once the first has closed


# -- several feeds: claimed only when every feed of the run holds the line (issue 13, item 5) --
def two_feed_export(state: SqliteCrawlState, feeds, n: int, *, written: int) -> None:
    """Article N's line in the first WRITTEN of FEEDS (journaled as the exporter does)."""
    for feed in feeds[:written]:
        offset = feed.stat().st_size if feed.exists() else 0
        state.begin_export(str(feed), offset, record(n))
        with feed.open("ab") as file:
            file.write(line(n))
        state.line_written(str(feed), record(n).id)


def test_an_article_is_claimed_only_once_every_feed_of_the_run_wrote_it(tmp_path):
    feeds = [tmp_path / "out.jsonl", tmp_path / "dated.jsonl"]
    state = SqliteCrawlState(tmp_path / "state.sqlite")
    state.set_export_feed_count(2)
    two_feed_export(state, feeds, 1, written=2)
    assert state.claim(record(1), [str(f) for f in feeds], 2)
    two_feed_export(state, feeds, 2, written=1)  # the second feed failed (or never opened)
    assert not state.claim(record(2), [str(feeds[0])], 2)
    assert state.known("japannews:2") is None
    # the end of the run settles it: cut from the feed that has it, exported again next run
    assert state.settle_unclaimed() == {"completed": 0, "cut": 1}
    assert feeds[0].read_bytes() == line(1) and feeds[1].read_bytes() == line(1)
    assert state.count() == 1
    state.close()


def test_a_kill_between_two_feeds_claims_nothing_the_second_lacks(tmp_path):
    feeds = [tmp_path / "out.jsonl", tmp_path / "dated.jsonl"]
    state = SqliteCrawlState(tmp_path / "state.sqlite")
    state.set_export_feed_count(2)  # known from the settings before any feed opened
    two_feed_export(state, feeds, 1, written=1)  # killed before the second exporter existed
    state.close()
    state = SqliteCrawlState(tmp_path / "state.sqlite")
    assert state.repaired == {"completed": 0, "cut": 1}
    assert state.known("japannews:1") is None and feeds[0].read_bytes() == b""
    state.close()
