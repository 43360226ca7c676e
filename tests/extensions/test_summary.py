"""The run summary line: appended whole, on a line of its own."""

from __future__ import annotations

import json
from types import SimpleNamespace

from newscrawl.extensions.summary import RunSummary
from newscrawl.runs import read_history


def test_a_line_after_a_torn_one_starts_a_line_of_its_own(tmp_path):
    """A run killed while appending leaves half a line without its newline: the next run's line
    must not be glued to it (both would be unreadable)."""
    path = tmp_path / "runs.jsonl"
    path.write_text('{"spider": "japannews"}\n{"spider": "japannews", "argu', encoding="utf-8")
    summary = RunSummary(SimpleNamespace(get_extension=lambda cls: None), path)
    summary.record = lambda verdict: {"spider": "japannews", "start": "2026-12-02T10:00:00Z"}
    summary.write()
    lines = path.read_text("utf-8").splitlines()
    assert json.loads(lines[-1])["start"] == "2026-12-02T10:00:00Z"
    runs, torn = read_history(path)
    assert (len(runs), torn) == (2, 1)
    # an intact history gets no blank line
    path.write_text('{"spider": "japannews"}\n', encoding="utf-8")
    again = RunSummary(SimpleNamespace(get_extension=lambda cls: None), path)
    again.record = summary.record
    again.write()
    assert path.read_text("utf-8").count("\n") == 2 and "\n\n" not in path.read_text("utf-8")
