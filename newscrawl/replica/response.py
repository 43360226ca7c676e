"""The answer the replica's router gives: status, body, type, extra headers, and what it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HTML = "text/html; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"

# How the server hands a response over (`Response.delivery`):
NORMAL = ""
RESET = "reset"  # headers with the full Content-Length, half the body, then the socket is shut
STALL = "stall"  # headers with Content-Length, then no body until the server stops (or 120 s)
TRUNCATE = "truncate"  # a gzip body cut in half, framed as complete; RESET for non-gzip clients
DELIVERIES = (NORMAL, RESET, STALL, TRUNCATE)


@dataclass
class Response:
    status: int
    body: str = ""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    # what was answered ("article", "listing", or "" for anything else): lets a fault pick its
    # targets
    kind: str = ""
    # the codec the body text is sent in (the Content-Type header is not changed by it)
    charset: str = "utf-8"
    # bytes sent as they are instead of `body` (no gzip by the server; set Content-Encoding in
    # `headers` when they are compressed)
    data: bytes | None = None
    delivery: str = NORMAL
    # what the page shows: the Article of an article page, (Listing, page) of a listing page
    subject: Any = None
