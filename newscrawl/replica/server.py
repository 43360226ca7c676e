"""The replica's HTTP side: URL routing and a quiet `ThreadingHTTPServer` on 127.0.0.1."""

from __future__ import annotations

import gzip
import re
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from newscrawl.replica.corpus import SECTION_BY_SLUG, Corpus, Section, Subsection
from newscrawl.replica.faults import Fault, Request, wrap
from newscrawl.replica.feeds_and_sitemaps import (
    month_sitemap,
    news_sitemap,
    robots,
    rss,
    sitemap_index,
)
from newscrawl.replica.pages import (
    Listing,
    Site,
    latest_listing,
    section_listing,
    subsection_listing,
)
from newscrawl.replica.response import HTML, RESET, RSS, STALL, TEXT, TRUNCATE, XML, Response

__all__ = ["HTML", "RSS", "TEXT", "XML", "ReplicaServer", "Response", "Router", "make_server"]

STALL_SECONDS = 120.0  # a stalled body never comes before this (or before the server stops)

_ARTICLE = re.compile(r"(\d{8})-(\d+)")
_MONTH_SITEMAP = re.compile(r"/sitemap-pt-post-(\d{4})-(\d{2})\.xml")
_PAGE_NUMBER = re.compile(r"[1-9]\d{0,6}")
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9a-fA-F:]+\](:\d{1,5})?")


class Router:
    """Maps a request path to a Response; everything is computed from the corpus on demand."""

    def __init__(self, corpus: Corpus, faults: Sequence[Fault] = ()) -> None:
        self.corpus = corpus
        self.faults = tuple(faults)

    def handle(self, target: str, origin: str) -> Response:
        site = Site(self.corpus, origin)
        return wrap(self.faults, Request(target, site), lambda: self._handle(target, site))

    def _handle(self, target: str, site: Site) -> Response:
        parts = urlsplit(target)
        path, query = parts.path or "/", parse_qs(parts.query)
        if path == "/" and "p" in query:
            return self._shortlink(site, query["p"][0])
        response = self._route(site, path)
        # WordPress answers the slash-less form of a page with a permanent redirect
        slashed = response.status == 404 and _slashless_page(path)
        if slashed and self._route(site, path + "/").status in (200, 301):
            return self._redirect(site.origin + path + "/")
        return response

    # ----- dispatch -----------------------------------------------------------------------

    def _route(self, site: Site, path: str) -> Response:
        fixed = {
            "/": lambda: Response(200, site.home()),
            "/robots.txt": lambda: Response(200, robots(site.origin), TEXT),
            "/sitemap.xml": lambda: Response(200, sitemap_index(self.corpus, site.origin), XML),
            "/sitemap-news.xml": lambda: Response(200, news_sitemap(self.corpus, site.origin), XML),
            "/feed/": lambda: self._feed(site, "/feed/", "", self.corpus.latest()),
        }
        if path in fixed:
            return fixed[path]()
        month = _MONTH_SITEMAP.fullmatch(path)
        if month:
            body = month_sitemap(self.corpus, site.origin, int(month[1]), int(month[2]))
            return Response(200, body, XML) if body else self._not_found(site)
        if not path.endswith("/"):
            return self._not_found(site)
        segments = path.strip("/").split("/")
        if segments[0] == "latestnews":
            return self._listing(site, latest_listing(self.corpus), segments[1:])
        sec = SECTION_BY_SLUG.get(segments[0])
        if sec is None:
            return self._not_found(site)
        return self._in_section(site, sec, segments[1:])

    def _in_section(self, site: Site, sec: Section, rest: list[str]) -> Response:
        if rest == ["feed"]:
            items = self.corpus.section_latest(sec.slug)
            return self._feed(site, f"/{sec.slug}/feed/", sec.label, items)
        if not rest or rest[0] == "page":
            return self._listing(site, section_listing(self.corpus, sec), rest)
        sub = next((s for s in sec.subsections if s.slug == rest[0]), None)
        if sub is None:
            return self._not_found(site)
        rest = rest[1:]
        if rest == ["feed"]:
            items = self.corpus.subsection_latest(sub.slug)
            return self._feed(site, f"/{sec.slug}/{sub.slug}/feed/", sub.label, items)
        if not rest or rest[0] == "page":
            return self._listing(site, subsection_listing(self.corpus, sub), rest)
        return self._article(site, sub, rest)

    def _listing(self, site: Site, listing: Listing, rest: list[str]) -> Response:
        page = 1
        if rest:
            if len(rest) != 2 or rest[0] != "page" or not _PAGE_NUMBER.fullmatch(rest[1]):
                return self._not_found(site)
            page = int(rest[1])
            if page == 1:
                return self._redirect(site.origin + listing.root)
        body = site.listing(listing, page)
        if body is None:
            return self._not_found(site)
        return Response(200, body, kind="listing", subject=(listing, page))

    def _article(self, site: Site, sub: Subsection, rest: list[str]) -> Response:
        match = _ARTICLE.fullmatch(rest[0])
        index = self.corpus.index_of_post(int(match[2])) if match else None
        if match is None or index is None:
            return self._not_found(site)
        a = self.corpus.article(index)
        # only the canonical path answers: primary subsection and the right date
        if a.subsection != sub or a.date_slug != match[1]:
            return self._not_found(site)
        if len(rest) == 1:
            for fault in self.faults:  # faults that change what the page shows
                a = fault.article(a, self.corpus.seed)
            return Response(200, site.article(a), kind="article", subject=a)
        if len(rest) == 3 and rest[1] == "attachment":
            image = next((im for im in a.images if str(im.attachment_id) == rest[2]), None)
            if image is not None:
                return Response(200, site.attachment(a, image))
        return self._not_found(site)

    def _feed(self, site: Site, path: str, title: str, items: Sequence[int]) -> Response:
        return Response(200, rss(self.corpus, site.origin, path, title, items), RSS)

    def _shortlink(self, site: Site, value: str) -> Response:
        index = self.corpus.index_of_post(int(value)) if value.isdigit() else None
        if index is None:
            return self._not_found(site)
        return self._redirect(site.origin + self.corpus.article(index).path)

    @staticmethod
    def _redirect(location: str) -> Response:
        return Response(301, "", HTML, {"Location": location})

    @staticmethod
    def _not_found(site: Site) -> Response:
        return Response(404, site.not_found())


class ReplicaHandler(BaseHTTPRequestHandler):
    # Headers and body go out in two writes: with Nagle's algorithm on, every response would
    # wait ~40 ms for the client's delayed ACK (measured by benchmarks/crawl_throughput.py).
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    server_version = "nginx"
    sys_version = ""
    router: Any  # a Router (or another site's), set on the subclass built by serve_router
    verbose = False

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _origin(self) -> str:
        host = self.headers.get("Host", "")
        if not _HOST.fullmatch(host):  # never echo a malformed Host into links
            host = "{}:{}".format(*self.server.server_address[:2])
        return f"http://{host}"

    def _respond(self, send_body: bool) -> None:
        try:
            response = self.router.handle(self.path, self._origin())
        except Exception as exc:  # a bug in the replica must not kill the connection silently
            print(f"newscrawl replica: error on {self.path}: {exc!r}", file=sys.stderr)
            response = Response(500, "<h1>Internal Server Error</h1>\n")
        gzip_ok = _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        delivery = response.delivery
        if delivery == TRUNCATE and not gzip_ok:
            delivery = RESET  # a client that takes no gzip gets a body cut short instead
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        if response.data is not None:
            body = response.data
        else:
            body = response.body.encode(response.charset)
            if gzip_ok and body:
                body = gzip.compress(body, mtime=0)  # mtime 0: identical bytes every time
                self.send_header("Content-Encoding", "gzip")
            if delivery == TRUNCATE:
                body = body[: len(body) // 2]  # framed as complete: the gzip stream is not
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not send_body:
            return
        if delivery == RESET:
            self.wfile.write(body[: len(body) // 2])
            self._drop()
        elif delivery == STALL:
            self.wfile.flush()
            self.server.stopping.wait(STALL_SECONDS)  # type: ignore[attr-defined]
            self._drop()
        else:
            self.wfile.write(body)

    def _drop(self) -> None:
        """Close the connection now, whatever the client still expects."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per request: wall-clock time (UTC, milliseconds), method, path, status."""
        if self.verbose:
            stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            status = getattr(code, "value", code)
            # one write per line: print() writes the text and its newline apart, and the
            # server's threads would interleave them
            sys.stderr.write(f"{stamp} {self.command} {self.path} {status}\n")
            sys.stderr.flush()

    def log_message(self, format: str, *args: object) -> None:
        if self.verbose:
            super().log_message(format, *args)


def _slashless_page(path: str) -> bool:
    return not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]


def _accepts_gzip(header: str) -> bool:
    for token in header.split(","):
        name, _, params = token.strip().partition(";")
        if name.strip().lower() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class ReplicaServer(ThreadingHTTPServer):
    """The threaded server; `stopping` wakes stalled responses when it shuts down, and
    `closers` stop what faults started next to it (the internal service of `private`)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        # Before binding: a bind that fails (a busy port) calls server_close, which uses them.
        self.stopping = threading.Event()
        self.closers: list[Callable[[], None]] = []
        super().__init__(address, handler)

    def shutdown(self) -> None:
        self.stopping.set()
        super().shutdown()

    def server_close(self) -> None:
        self.stopping.set()
        super().server_close()
        while self.closers:
            self.closers.pop()()


def make_server(
    corpus: Corpus, port: int = 0, verbose: bool = False, faults: Sequence[Fault] = ()
) -> ReplicaServer:
    """A server bound to 127.0.0.1:port (0 = any free port), not yet serving."""
    return serve_router(Router(corpus, faults), port, verbose)


def serve_router(router: Any, port: int = 0, verbose: bool = False) -> ReplicaServer:
    """A server for ROUTER (`handle(target, origin) -> Response`, `faults`), not yet serving:
    the replica's, or another test site's (newscrawl.replica.japantimes)."""
    handler = type("BoundReplicaHandler", (ReplicaHandler,), {"router": router, "verbose": verbose})
    server = ReplicaServer(("127.0.0.1", port), handler)
    try:
        for fault in router.faults:
            fault.attach(server)
    except BaseException:
        server.server_close()
        raise
    return server
