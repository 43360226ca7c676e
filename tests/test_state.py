"""The crawl state's export journal: what a killed run leaves behind is settled exactly."""

from __future__ import annotations

import json

import pytest

from newscrawl.state import CrawlState, ExportRecord, StateLocked


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


def export(state: CrawlState, feed, n: int, *, finish: bool = True, data: bytes | None = None):
    offset = feed.stat().st_size if feed.exists() else 0
    state.begin_export(str(feed), offset, record(n))
    with feed.open("ab") as file:
        file.write(line(n) if data is None else data)
    if finish:
        state.finish_export(str(feed), record(n))


def test_finished_export_is_known(paths):
    db, feed = paths
    state = CrawlState(db)
    export(state, feed, 1)
    known = state.known("japannews:1")
    assert known.revision == 1 and known.content_hash == "hash1-1"
    assert state.known("japannews:2") is None
    state.close()


def test_killed_after_the_write_completes_the_export(paths):
    db, feed = paths
    state = CrawlState(db)
    export(state, feed, 1)
    export(state, feed, 2, finish=False)  # killed after the line, before the state commit
    state.close()
    state = CrawlState(db)
    assert state.repaired == {"completed": 1, "cut": 0}
    assert state.known("japannews:2") is not None
    assert feed.read_bytes() == line(1) + line(2)
    state.close()


def test_killed_mid_line_cuts_the_torn_line(paths):
    db, feed = paths
    state = CrawlState(db)
    export(state, feed, 1)
    export(state, feed, 2, finish=False, data=line(2)[:7])  # torn
    state.close()
    state = CrawlState(db)
    assert state.repaired == {"completed": 0, "cut": 1}
    assert state.known("japannews:2") is None
    assert feed.read_bytes() == line(1)
    state.close()


def test_killed_before_the_write_leaves_the_file_alone(paths):
    db, feed = paths
    state = CrawlState(db)
    export(state, feed, 1)
    state.begin_export(str(feed), feed.stat().st_size, record(2))
    state.close()
    state = CrawlState(db)
    assert state.repaired == {"completed": 0, "cut": 1}
    assert feed.read_bytes() == line(1)
    assert state.count() == 1
    state.close()


def test_revision_never_goes_backwards(paths):
    db, feed = paths
    state = CrawlState(db)
    state.finish_export(str(feed), record(1, revision=3))
    state.finish_export(str(feed), record(1, revision=2))
    assert state.known("japannews:1").revision == 3
    state.close()


def test_second_user_of_the_state_is_refused(paths):
    db, _ = paths
    first = CrawlState(db)
    with pytest.raises(StateLocked, match="another run"):
        CrawlState(db)
    first.close()
    CrawlState(db).close()  # free again once the first has closed
