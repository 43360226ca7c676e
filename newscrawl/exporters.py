"""JSON lines that survive every consumer: UTF-8 text, one object per `str.splitlines()` line."""

from __future__ import annotations

from typing import Any

from scrapy.exporters import JsonLinesItemExporter

# json.dumps(ensure_ascii=False) escapes C0 controls but leaves these raw, and str.splitlines()
# (and some JavaScript parsers) treat them as line ends.
LINE_SEPARATORS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_TRANSLATION = str.maketrans(LINE_SEPARATORS)


def escape_line_separators(data: str) -> str:
    """Escape line separators; they can only occur inside JSON strings, so this stays valid JSON."""
    return data.translate(_TRANSLATION)


class JsonLinesExporter(JsonLinesItemExporter):
    def __init__(self, file: Any, **kwargs: Any):
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("ensure_ascii", False)
        super().__init__(file, **kwargs)

    def export_item(self, item: Any) -> None:
        fields = dict(self.get_serialized_fields(item))
        data = escape_line_separators(self.encoder.encode(fields)) + "\n"
        self.file.write(data.encode(self.encoding or "utf-8"))
