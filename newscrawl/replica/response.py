"""The answer the replica's router gives: status, body, type, extra headers, and what it is."""

from __future__ import annotations

from dataclasses import dataclass, field

HTML = "text/html; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"


@dataclass
class Response:
    status: int
    body: str = ""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    # what was answered ("article", or "" for anything else): lets a fault pick its targets
    kind: str = ""
