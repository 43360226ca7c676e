from __future__ import annotations

import errno
import io
import json
import os

from newscrawl.exporters import JsonLinesExporter
from newscrawl.state.sqlite import SqliteCrawlState

NASTY = "a\u2028b\u2029c\x85d\x1ce\x0bf\x00g “quotes” 日本 é"


def test_one_line_per_item_for_every_line_splitter():
    buffer = io.BytesIO()
    exporter = JsonLinesExporter(buffer, fields_to_export=["title", "body"])
    exporter.start_exporting()
    exporter.export_item({"title": NASTY, "body": "x\ny\r\nz"})
    exporter.export_item({"title": "second", "body": "plain"})
    exporter.finish_exporting()
    text = buffer.getvalue().decode("utf-8")
    lines = text.splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0]) == {"title": NASTY, "body": "x\ny\r\nz"}
    # Ordinary non-ASCII text is written as UTF-8, not \\u escapes.
    assert "“quotes” 日本 é" in lines[0]
    assert list(json.loads(lines[1])) == ["title", "body"]


def test_a_failed_write_is_cut_off_and_the_feed_stops(tmp_path, monkeypatch):
    state = SqliteCrawlState(tmp_path / "state.sqlite")
    path = tmp_path / "out.jsonl"
    with path.open("ab") as file:
        exporter = JsonLinesExporter(file, state=state, fields_to_export=["id", "url", "revision"])
        exporter.export_item(item(1))
        real_write = os.write

        def disk_full(fd, data):
            real_write(fd, bytes(data[:5]))  # a torn start, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr("newscrawl.exporters.os.write", disk_full)
        exporter.export_item(item(2))
        monkeypatch.setattr("newscrawl.exporters.os.write", real_write)
        exporter.export_item(item(3))  # the feed has failed: nothing more is written to it
    lines = path.read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["japannews:1"]
    assert state.known("japannews:1") is not None
    assert state.known("japannews:2") is None and state.known("japannews:3") is None
    assert state.db.execute("SELECT count(*) FROM pending").fetchone()[0] == 0
    state.close()


def test_journal_keeps_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    state = SqliteCrawlState("state.sqlite")
    with open("out.jsonl", "ab") as file:
        exporter = JsonLinesExporter(file, state=state, fields_to_export=["id", "url"])
        assert exporter.feed == str(tmp_path.resolve() / "out.jsonl")
    state.close()


def item(n: int) -> dict:
    return {
        "id": f"japannews:{n}",
        "url": f"https://japannews.yomiuri.co.jp/politics/election/20241013-{n}/",
        "revision": 1,
    }
