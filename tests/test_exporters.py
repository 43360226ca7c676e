from __future__ import annotations

import io
import json

from newscrawl.exporters import JsonLinesExporter

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
