"""A tiny site that answers its one article with `429 Retry-After: 2` the first time.

Run as a script: prints "port N", then one line per request:
"<monotonic time> <status> <path> <User-Agent>". With the argument `truncated-robots`, its
robots.txt (which allows everything) comes as a gzip body cut in half, every time; with
`down`, the article answers `503 Retry-After: 1` every time.
"""

from __future__ import annotations

import gzip
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARTICLE = "/politics/election/20241013-216478/"
TEMPLATE = Path(__file__).parents[1] / "fixtures/japannews/article-2024-byline-photo.html"
PAGE = TEMPLATE.read_bytes().replace(b"/politics/defense-security/", b"/politics/election/")
LISTING = (
    f'<html><body><main><ul><li class="clearfix"><a href="{ARTICLE}"><h2>Story</h2>'
    "<p>October 13, 2024</p></a></li></ul></main></body></html>"
).encode()
RETRY_AFTER_SECONDS = 2


class Handler(BaseHTTPRequestHandler):
    article_requests = 0

    def do_GET(self) -> None:
        if self.path == "/robots.txt" and "truncated-robots" in sys.argv:
            body = gzip.compress(b"User-agent: *\nAllow: /\n" * 50, mtime=0)
            self.answer(200, body[: len(body) // 2], {"Content-Encoding": "gzip"})
        elif self.path == "/politics/election/":
            self.answer(200, LISTING)
        elif self.path == ARTICLE:
            Handler.article_requests += 1
            if "down" in sys.argv:
                self.answer(503, b"down", {"Retry-After": "1"})
            elif Handler.article_requests == 1:
                self.answer(429, b"slow down", {"Retry-After": str(RETRY_AFTER_SECONDS)})
            else:
                self.answer(200, PAGE)
        else:
            self.answer(404, b"not found")

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        agent = self.headers.get("User-Agent", "-")
        print(f"{time.monotonic():.3f} {status} {self.path} {agent}", flush=True)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"port {server.server_address[1]}", flush=True)
    sys.exit(server.serve_forever())
