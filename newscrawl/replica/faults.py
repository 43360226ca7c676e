"""Fault modes of the replica (`newscrawl replica --faults NAME[,NAME...]`): ways the real site
can let a crawler down, switched on by name.

A fault is a small `Fault` subclass registered with `@register`. It may
- change what an article page shows (`article`): the router renders the returned Article,
- wrap the router (`respond`): replace or rewrite the answer to a request, or ask the server for
  a broken delivery (`Response.delivery`: a reset connection, a stalled or truncated body),
- amend the ground truth (`amend`): say what a correct crawl exports under the fault
  (`expected_export`, null times) and name itself in the record's `faults` list,
- start something next to the server (`attach`) and name it in the serving banner (`banner`).
Several faults stack: the first named is the outermost wrapper.

Which pages a fault hits is fixed by the corpus seed: every article has a point in [0, 1) (the
first 8 bytes of sha256("{seed}:article:{post ID}")) and every article-level fault owns a band of
that interval (`BANDS`). The bands do not overlap, so an article suffers at most one of them and
a crawler's retries are never eaten by two faults on one URL. Listing pages get a point of their
own ("{seed}:page:{path}") in the same bands, for the transient faults that also hit listings.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from newscrawl.replica import chrome, impostors, words
from newscrawl.replica.corpus import SECTION_BY_SLUG, SUB_CODE, SUBSECTIONS, Article, Block, Corpus
from newscrawl.replica.internal import InternalService
from newscrawl.replica.pages import (
    IMPOSSIBLE,
    MISSING,
    NAIVE,
    Site,
    section_listing,
    subsection_listing,
)
from newscrawl.replica.response import RESET, STALL, TRUNCATE, Response

Handler = Callable[[], Response]


@dataclass(frozen=True)
class Request:
    """What a fault sees of a request: the path (with query) and the site rendering for it."""

    target: str
    site: Site


class Fault:
    """A named fault; the defaults change nothing. `seed` is the corpus seed (for `amend`;
    `respond` and `article` read the seed of the corpus they serve)."""

    name: ClassVar[str]

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed

    def article(self, a: Article, seed: int) -> Article:
        """The article as its page shows it under the fault."""
        return a

    def respond(self, request: Request, inner: Handler) -> Response:
        """The answer to `request`; `inner()` is what the site would answer without this fault."""
        return inner()

    def amend(self, record: dict[str, Any]) -> None:
        """Adjust one manifest record (in place) to what a crawl should yield under the fault."""

    def prepare(self, corpus: Corpus) -> None:
        """Learn what `amend` needs of the whole corpus (before the manifest is written)."""

    def attach(self, server: Any) -> None:
        """Start what the fault needs next to a server (see `server.make_server`)."""

    def banner(self) -> str:
        """Words for the serving banner (after the fault names), "" for none."""
        return ""


FAULTS: dict[str, type[Fault]] = {}


def register(cls: type[Fault]) -> type[Fault]:
    FAULTS[cls.name] = cls
    return cls


class UnknownFault(ValueError):
    pass


def parse_faults(value: str, seed: int = 1) -> tuple[Fault, ...]:
    """'blank,outage' -> fault instances for corpus `seed`, in order; raises UnknownFault on a
    name not registered."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in FAULTS:
            raise UnknownFault(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
    return tuple(FAULTS[name](seed) for name in dict.fromkeys(names))  # a repeated name once


def wrap(faults: Iterable[Fault], request: Request, handler: Handler) -> Response:
    """Run `handler` inside every fault, the first fault outermost."""
    for fault in reversed(tuple(faults)):
        handler = _bind(fault, request, handler)
    return handler()


def _bind(fault: Fault, request: Request, inner: Handler) -> Handler:
    return lambda: fault.respond(request, inner)


def amend_records(
    records: Iterable[dict[str, Any]], faults: Iterable[Fault], corpus: Corpus | None = None
) -> Iterator[dict[str, Any]]:
    faults = tuple(faults)
    if corpus is not None:
        for fault in faults:
            fault.prepare(corpus)
    for record in records:
        record.setdefault("faults", [])
        for fault in faults:
            fault.amend(record)
        yield record


# ----- selection -----------------------------------------------------------------------------


def point(seed: int, salt: str, key: object) -> float:
    """A fixed pseudo-random point in [0, 1) for (seed, salt, key)."""
    digest = hashlib.sha256(f"{seed}:{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


# Share of articles per fault, laid end to end over [0, 1) in this order. throttle and stall
# cost a crawler seconds each: they stay rare.
SHARES: tuple[tuple[str, float], ...] = (
    ("flaky", 0.06),
    ("reset", 0.03),
    ("throttle", 0.03),
    ("truncate", 0.05),
    ("empty", 0.03),
    ("stall", 0.03),
    ("down", 0.04),
    ("bomb", 0.04),
    ("private", 0.04),
    ("charset", 0.10),  # of which only articles with non-ASCII cp1252 text
    ("separators", 0.06),
    ("baddates", 0.12),
    ("notitle", 0.05),
    # issue 13: requests that end without a page (redirects off the site or too long)
    ("offsite", 0.03),
    ("scheme", 0.02),
    ("chain", 0.03),
    # issue 13: pages on an article URL that are not the article
    ("interstitial", 0.03),
    ("wall", 0.03),
    ("soft404", 0.03),
    ("sectionpage", 0.02),
    # issue 13: UTF-8 pages under a Content-Type header naming another charset
    ("liar", 0.06),
)


def _bands() -> dict[str, tuple[float, float]]:
    bands, low = {}, 0.0
    for name, share in SHARES:
        bands[name] = (low, low + share)
        low += share
    return bands


BANDS: dict[str, tuple[float, float]] = _bands()


def in_band(name: str, seed: int, salt: str, key: object) -> bool:
    low, high = BANDS[name]
    return low <= point(seed, salt, key) < high


def _record_post_id(record: dict[str, Any]) -> int:
    return int(str(record["id"]).rsplit(":", 1)[1])


def _record_text(record: dict[str, Any]) -> str:
    return "\n".join((record["title"], record["byline"] or "", record["body"]))


def _article_text(a: Article) -> str:
    return "\n".join((a.title, a.byline or "", *(b.text for b in a.blocks)))


class _Picked(Fault):
    """A fault that hits the articles in its band (`BANDS[name]`)."""

    def picks(self, seed: int, post_id: int, text: str) -> bool:
        """Whether the article (post ID, visible text) is hit; `text` for faults that care."""
        return in_band(self.name, seed, "article", post_id)

    def picks_article(self, seed: int, a: Article) -> bool:
        return self.picks(seed, a.post_id, _article_text(a))

    def amend(self, record: dict[str, Any]) -> None:
        if self.picks(self.seed, _record_post_id(record), _record_text(record)):
            record["faults"].append(self.name)
            self.amend_hit(record)

    def amend_hit(self, record: dict[str, Any]) -> None:
        pass


def _picked_article(fault: _Picked, request: Request, response: Response) -> bool:
    if response.kind != "article" or not isinstance(response.subject, Article):
        return False
    return fault.picks_article(request.site.c.seed, response.subject)


# ----- whole-site faults ---------------------------------------------------------------------


class _NoExport(Fault):
    """A fault under which no article can be exported: the ground truth stays, the export is off."""

    def amend(self, record: dict[str, Any]) -> None:
        record["faults"].append(self.name)
        record["expected_export"] = False


@register
class Blank(_NoExport):
    """Every article URL answers 200 with the theme's chrome and no article in it."""

    name = "blank"

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if response.kind != "article":
            return response
        return Response(200, request.site.blank())


@register
class Outage(_NoExport):
    """Every request, robots.txt included, answers 503 with `Retry-After: 1`."""

    name = "outage"

    def respond(self, request: Request, inner: Handler) -> Response:
        return Response(503, OUTAGE_PAGE, headers={"Retry-After": "1"})


@register
class Robots5xx(_NoExport):
    """robots.txt answers 500: a polite crawler takes the whole site as off limits."""

    name = "robots5xx"

    def respond(self, request: Request, inner: Handler) -> Response:
        if urlsplit(request.target).path == "/robots.txt":
            return Response(500, ERROR_500_PAGE)
        return inner()


@register
class Redesign(Fault):
    """Every article page in the unknown (2026-style) layout; half of the articles that were in
    the 2024 theme keep their og/article meta and JSON-LD (seeded per article)."""

    name = "redesign"

    @staticmethod
    def keeps_meta(seed: int, post_id: int) -> bool:
        return point(seed, "redesign-meta", post_id) < 0.5

    def article(self, a: Article, seed: int) -> Article:
        if a.layout != "2024":
            return a
        return replace(a, layout="unknown", has_meta=self.keeps_meta(seed, a.post_id))

    def amend(self, record: dict[str, Any]) -> None:
        if record["layout"] != "2024":
            return
        record["faults"].append(self.name)
        record.update(layout="unknown", access=None)  # as corpus.manifest_record says
        if not self.keeps_meta(self.seed, _record_post_id(record)):
            record.update(modified=None, description=None)


# ----- transient faults: misbehave on the first request of a URL, then answer normally --------


class _Once(_Picked):
    """Hits its share of article pages and of listing pages, on the first request of each."""

    def __init__(self, seed: int = 1) -> None:
        super().__init__(seed)
        self._done: set[str] = set()
        self._lock = threading.Lock()  # the server is threaded

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if response.kind == "listing":
            hit = in_band(self.name, request.site.c.seed, "page", urlsplit(request.target).path)
        else:
            hit = _picked_article(self, request, response)
        if not hit:
            return response
        with self._lock:
            if request.target in self._done:
                return response
            self._done.add(request.target)
        return self.misbehave(response)

    def misbehave(self, response: Response) -> Response:
        raise NotImplementedError


@register
class Flaky(_Once):
    """500 once, then 200."""

    name = "flaky"

    def misbehave(self, response: Response) -> Response:
        return Response(500, ERROR_500_PAGE)


@register
class Throttle(_Once):
    """429 with `Retry-After: 2` once."""

    name = "throttle"

    def misbehave(self, response: Response) -> Response:
        return Response(429, TOO_MANY_PAGE, headers={"Retry-After": str(RETRY_AFTER)})


@register
class Reset(_Once):
    """Once: the status line and headers with the full Content-Length, half the body, then the
    connection is shut."""

    name = "reset"

    def misbehave(self, response: Response) -> Response:
        return replace(response, delivery=RESET)


@register
class Stall(_Once):
    """Once: the headers, then no body (until the server stops, at most `server.STALL_SECONDS`)."""

    name = "stall"

    def misbehave(self, response: Response) -> Response:
        return replace(response, delivery=STALL)


@register
class Truncate(_Once):
    """Once: a gzip body cut in half with a Content-Length that matches the cut (a `reset` for
    a client that does not take gzip)."""

    name = "truncate"

    def misbehave(self, response: Response) -> Response:
        return replace(response, delivery=TRUNCATE)


@register
class Empty(_Once):
    """Once: 200 with an empty body."""

    name = "empty"

    def misbehave(self, response: Response) -> Response:
        return Response(200, "")


# ----- article faults that stay ---------------------------------------------------------------


@register
class Down(_Picked):
    """Its articles answer 503 every time, without Retry-After."""

    name = "down"

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        return Response(503, OUTAGE_PAGE) if _picked_article(self, request, response) else response

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


BOMB_SIZE = 128 * 2**20  # what the bomb expands to
_BOMB_HEAD = b"<!DOCTYPE html>\n<html><head><title>The Japan News</title></head><body>\n"
_bomb: bytes | None = None
_bomb_lock = threading.Lock()


def bomb_body() -> bytes:
    """A gzip stream of BOMB_SIZE bytes (an HTML head, then spaces), about 128 KiB compressed;
    made once, in 1 MiB steps, and kept."""
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip wrapper
            parts = [packer.compress(_BOMB_HEAD)]
            chunk = b" " * 2**20
            left = BOMB_SIZE - len(_BOMB_HEAD)
            while left > 0:
                parts.append(packer.compress(chunk[: min(left, len(chunk))]))
                left -= len(chunk)
            parts.append(packer.flush())
            _bomb = b"".join(parts)
        return _bomb


@register
class Bomb(_Picked):
    """Its articles answer with a gzip body that expands to 128 MiB, whatever the client accepts."""

    name = "bomb"

    def attach(self, server: Any) -> None:
        bomb_body()  # made before the first request rather than during it

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not _picked_article(self, request, response):
            return response
        return Response(200, data=bomb_body(), headers={"Content-Encoding": "gzip"})

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


@register
class Private(_Picked):
    """Its articles redirect (302) to another loopback port: an internal service that the
    replica starts next to the server and that reports every request on stderr."""

    name = "private"
    PLACEHOLDER = "http://127.0.0.1:9"  # until attached to a server (router tests)

    def __init__(self, seed: int = 1) -> None:
        super().__init__(seed)
        self.internal = self.PLACEHOLDER
        self._service: InternalService | None = None

    def attach(self, server: Any) -> None:
        if self._service is None:
            self._service = InternalService()
            self.internal = self._service.origin
            server.closers.append(self._detach)

    def _detach(self) -> None:
        if self._service is not None:
            self._service.stop()
            self._service = None

    def banner(self) -> str:
        return f"internal: {self.internal}/" if self._service is not None else ""

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not _picked_article(self, request, response):
            return response
        location = self.internal + response.subject.path
        return Response(302, "", headers={"Location": location})

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


@register
class NoTitle(_Picked):
    """Its article pages carry no title: no h1, og:title or JSON-LD headline, and a <title>
    that is only the site name. (Listings still show the headline.)"""

    name = "notitle"

    def article(self, a: Article, seed: int) -> Article:
        return replace(a, untitled=True) if self.picks_article(seed, a) else a

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


BAD_DATE_VARIANTS = (IMPOSSIBLE, MISSING, NAIVE)


def bad_date_variant(seed: int, post_id: int) -> str:
    """How a `baddates` article misstates its times (seeded per article)."""
    return BAD_DATE_VARIANTS[int(point(seed, "baddates-variant", post_id) * 3)]


@register
class BadDates(_Picked):
    """Its articles misstate their times: "impossible" (every time on the page is February 30,
    25:61), "missing" (no time on the page at all) or "naive" (meta and JSON-LD times without
    an offset, in Japan time; the date line as it is). Listings keep their dates."""

    name = "baddates"

    def article(self, a: Article, seed: int) -> Article:
        if not self.picks_article(seed, a):
            return a
        return replace(a, time_fault=bad_date_variant(seed, a.post_id))

    def amend_hit(self, record: dict[str, Any]) -> None:
        if bad_date_variant(self.seed, _record_post_id(record)) != NAIVE:
            record.update(published=None, published_utc=None, modified=None)


@register
class Separators(_Picked):
    """U+2028 and U+2029 (each for a space between words), a NUL after a space and a <script>
    after a space between sentences, inside the story's paragraphs; the text is unchanged once
    whitespace is collapsed and the NUL and script are dropped."""

    name = "separators"

    def article(self, a: Article, seed: int) -> Article:
        if not self.picks_article(seed, a):
            return a
        return replace(a, blocks=separate(a.blocks))


SCRIPT = (
    '<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"event": "read"});</script>'
)
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_WORD_SPACE = re.compile(r"(?<=\w) (?=\w)")
_SENTENCE_SPACE = re.compile(r"(?<=[.!?”]) (?=[A-Z“])")


def _edit_text(markup: str, pattern: re.Pattern[str], put: str) -> str | None:
    """Replace the first match of `pattern` in the text (not in tags) of `markup` by `put`;
    None when there is no match."""
    parts = _TAG_SPLIT.split(markup)
    for k in range(0, len(parts), 2):  # even parts are text between tags
        if match := pattern.search(parts[k]):
            parts[k] = parts[k][: match.start()] + put + parts[k][match.end() :]
            return "".join(parts)
    return None


def separate(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks with the separators fault's characters and script put into the paragraphs
    (Block.text, the ground truth, stays)."""
    markup = [b.html for b in blocks]
    paragraphs = [k for k, b in enumerate(blocks) if b.tag == "p"]
    first, last, middle = paragraphs[0], paragraphs[-1], paragraphs[len(paragraphs) // 2]
    for k, put in ((first, "\u2028"), (last, "\u2029"), (middle, " \x00")):
        markup[k] = _edit_text(markup[k], _WORD_SPACE, put) or markup[k]
    script = " " + SCRIPT  # right after the space
    for k in paragraphs:  # between two sentences if some paragraph has two
        if (edited := _edit_text(markup[k], _SENTENCE_SPACE, script)) is not None:
            markup[k] = edited
            break
    else:
        markup[first] = _edit_text(markup[first], _WORD_SPACE, script) or markup[first]
    return tuple(replace(b, html=m) for b, m in zip(blocks, markup, strict=True))


@register
class Charset(_Picked):
    """Its article pages are sent in cp1252 with `<meta charset="windows-1252">` while the
    header still says UTF-8; only articles whose text holds non-ASCII cp1252 characters."""

    name = "charset"

    def picks(self, seed: int, post_id: int, text: str) -> bool:
        return super().picks(seed, post_id, text) and has_cp1252_text(text)

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not _picked_article(self, request, response):
            return response
        return replace(response, body=cp1252_page(response.body), charset="cp1252")


def has_cp1252_text(text: str) -> bool:
    """Whether `text` holds a non-ASCII character that cp1252 can write (’ “ ” — é ¥ ...)."""
    for ch in text:
        if ord(ch) > 127:
            try:
                ch.encode("cp1252")
            except UnicodeEncodeError:
                continue
            return True
    return False


_META_UTF8 = re.compile(r'<meta charset="utf-8">', re.IGNORECASE)
_SCRIPT_TEXT = re.compile(r"(<script\b[^>]*>)(.*?)(</script>)", re.DOTALL | re.IGNORECASE)


def cp1252_page(page: str) -> str:
    """The page declared as windows-1252, every character cp1252 cannot write escaped: as a
    numeric character reference in markup, as a \\u escape inside scripts (JSON-LD, JS)."""
    page = _META_UTF8.sub('<meta charset="windows-1252">', page, count=1)
    out, pos = [], 0
    for match in _SCRIPT_TEXT.finditer(page):
        out.append(_refs(page[pos : match.start(2)]))
        out.append(_js_escapes(match[2]))
        pos = match.end(2)
    out.append(_refs(page[pos:]))
    return "".join(out)


def _refs(text: str) -> str:
    return text.encode("cp1252", "xmlcharrefreplace").decode("cp1252")


def _js_escapes(text: str) -> str:
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            units = ch.encode("utf-16-be")
            out.extend(
                f"\\u{int.from_bytes(units[k : k + 2]):04x}" for k in range(0, len(units), 2)
            )
    return "".join(out)


# ----- redirects that end without a page (issue 13) ----------------------------------------

# A host name that can never be reached (.invalid is reserved, RFC 2606): a crawler that follows
# the redirect gets a DNS failure, never another machine.
OFFSITE_HOST = "japannews.example.invalid"
CHAIN_HOPS = 7  # more than a crawler's REDIRECT_MAX_TIMES (5 in newscrawl's settings)


class _Redirected(_Picked):
    """Its articles answer 302 to `location(...)`: a correct crawl refuses them, exports
    nothing, and lists each by its article URL."""

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not _picked_article(self, request, response):
            return response
        location = self.location(request, response.subject.path)
        if location is None:
            return response
        return Response(302, "", headers={"Location": location})

    def location(self, request: Request, path: str) -> str | None:
        raise NotImplementedError

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


@register
class Offsite(_Redirected):
    """Its articles redirect (302) to the same path on another host name, one that never
    resolves (`OFFSITE_HOST`, same port)."""

    name = "offsite"

    def location(self, request: Request, path: str) -> str | None:
        port = urlsplit(request.site.o).port
        return f"http://{OFFSITE_HOST}{f':{port}' if port else ''}{path}"


@register
class Scheme(_Redirected):
    """Its articles redirect (302) to a local file: `file:///etc/passwd`."""

    name = "scheme"

    def location(self, request: Request, path: str) -> str | None:
        return "file:///etc/passwd"


@register
class Chain(_Redirected):
    """Its articles redirect (302) through CHAIN_HOPS hops on the replica's own host
    (`<path>?hop=1` ... `?hop=7`) before the page answers: longer than a crawler follows."""

    name = "chain"

    def location(self, request: Request, path: str) -> str | None:
        value = parse_qs(urlsplit(request.target).query).get("hop", ["0"])[0]
        hop = int(value) if value.isdigit() else 0
        if hop >= CHAIN_HOPS:
            return None  # the real page, at last
        return f"{request.site.o}{path}?hop={hop + 1}"


BIG_LISTING = "/politics/politics-government/page/2/"


@register
class BigListing(Fault):
    """Page 2 of the Politics & Government listing answers with a gzip body that expands past
    any sane size limit (`bomb_body`): a crawler cannot read it, and its walk is incomplete.
    The manifest marks as not exportable (this run) the articles a politics crawl can reach
    only through that page or the pages after it; the run must exit non-zero and name the
    listing."""

    name = "biglisting"

    def __init__(self, seed: int = 1) -> None:
        super().__init__(seed)
        self.unreachable: frozenset[int] = frozenset()

    def attach(self, server: Any) -> None:
        bomb_body()

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if response.kind != "listing" or urlsplit(request.target).path != BIG_LISTING:
            return response
        return Response(200, data=bomb_body(), headers={"Content-Encoding": "gzip"})

    def prepare(self, corpus: Corpus) -> None:
        """The articles listed beyond page 1 of the listing, and on no page a politics crawl
        reads otherwise (the other subsections' listings, page 1 of /politics/)."""
        politics = SECTION_BY_SLUG["politics"]
        big = next(
            s for s in politics.subsections if BIG_LISTING.startswith(f"/politics/{s.slug}/")
        )
        listing = subsection_listing(corpus, big)
        beyond = set(listing.items[listing.per_page :])
        for sub in politics.subsections:
            if sub is not big:
                beyond -= set(subsection_listing(corpus, sub).items)
        archive = section_listing(corpus, politics)
        beyond -= set(archive.items[: archive.per_page])
        self.unreachable = frozenset(corpus.article(i).post_id for i in beyond)

    def amend(self, record: dict[str, Any]) -> None:
        if _record_post_id(record) in self.unreachable:
            record["faults"].append(self.name)
            record["expected_export"] = False


# ----- pages on an article URL that are not the article (issue 13) ---------------------------


class _Impostor(_Picked):
    """Its article URLs answer 200 with a page that is not the article, on every request: a
    correct crawl exports none of them, and must not record them as done (the next run fetches
    them again)."""

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not _picked_article(self, request, response):
            return response
        return Response(200, self.page(request.site, response.subject))

    def page(self, site: Site, a: Article) -> str:
        raise NotImplementedError

    def amend_hit(self, record: dict[str, Any]) -> None:
        record["expected_export"] = False


@register
class Interstitial(_Impostor):
    """A Cloudflare-style bot check ("Just a moment...", "Checking if the site connection is
    secure"): no site chrome, no article."""

    name = "interstitial"

    def page(self, site: Site, a: Article) -> str:
        return impostors.interstitial(site, a)


@register
class Wall(_Impostor):
    """A login wall in the site's chrome: the headline, the lead and a "Log in to read this
    article" form. Half of them (seeded per article) keep og:title, og:type article and
    article:published_time, as walls built on the article template do."""

    name = "wall"

    @staticmethod
    def keeps_meta(seed: int, post_id: int) -> bool:
        return point(seed, "wall-meta", post_id) < 0.5

    def page(self, site: Site, a: Article) -> str:
        return impostors.wall(site, a, self.keeps_meta(site.c.seed, a.post_id))


@register
class Soft404(_Impostor):
    """The theme's "Page not found" page, answered with 200."""

    name = "soft404"

    def page(self, site: Site, a: Article) -> str:
        return site.not_found()


@register
class SectionPage(_Impostor):
    """Page 1 of the article's section listing, on the article's URL."""

    name = "sectionpage"

    def page(self, site: Site, a: Article) -> str:
        return impostors.section_page(site, a)


# ----- UTF-8 pages under a lying charset header (issue 13) -----------------------------------

# What the lying header names, cycled by post ID: the charsets misconfigured servers really send.
LIAR_CHARSETS = ("Shift_JIS", "windows-1252", "ISO-8859-1", "GBK", "ISO-8859-2", "KOI8-R")
# The last paragraph added to half of the liar's articles: Japanese text, which a Shift_JIS or
# GBK reading turns into other CJK characters rather than into visible junk.
LIAR_JAPANESE = "The ministry’s notice read: 「政府は来年度予算案を閣議決定した。」"


def liar_charset(post_id: int) -> str:
    return LIAR_CHARSETS[post_id % len(LIAR_CHARSETS)]


def liar_japanese(seed: int, post_id: int) -> bool:
    return point(seed, "liar-japanese", post_id) < 0.5


@register
class Liar(_Picked):
    """Its article pages stay UTF-8 (`<meta charset="utf-8">`) but the Content-Type header
    names another charset (`liar_charset`); half of them (seeded per article) end with a
    Japanese paragraph (`LIAR_JAPANESE`). A correct crawl exports the article as it is."""

    name = "liar"

    def article(self, a: Article, seed: int) -> Article:
        if not (self.picks_article(seed, a) and liar_japanese(seed, a.post_id)):
            return a
        return replace(a, blocks=(*a.blocks, Block("p", LIAR_JAPANESE, LIAR_JAPANESE)))

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not _picked_article(self, request, response):
            return response
        charset = liar_charset(response.subject.post_id)
        return replace(response, content_type=f"text/html; charset={charset}")

    def amend_hit(self, record: dict[str, Any]) -> None:
        if liar_japanese(self.seed, _record_post_id(record)):
            record["body"] += "\n\n" + LIAR_JAPANESE


# ----- loops -------------------------------------------------------------------------------


GHOST_SHARE = 0.35  # share of listing pages with a ghost entry
_GHOST_PATH = re.compile(r"/[a-z0-9-]+/[a-z0-9-]+/\d{8}-(\d+)/")


def ghost_id(c: Corpus, index: int, sub_slug: str) -> int:
    """The post ID of the ghost entry placed next to article `index` in a listing of `sub_slug`:
    above every post ID of the corpus, and telling its subsection and date."""
    return c.last_post_id + 1 + index * len(SUBSECTIONS) + SUB_CODE[sub_slug]


def ghost_path(c: Corpus, post_id: int) -> str | None:
    """The article-like path of a ghost post ID, None when `post_id` is no ghost."""
    rest = post_id - c.last_post_id - 1
    if rest < 0:
        return None
    index, code = divmod(rest, len(SUBSECTIONS))
    if index >= c.visible:
        return None
    sub = SUBSECTIONS[code]
    return f"/{sub.section}/{sub.slug}/{c.published_at(index):%Y%m%d}-{post_id}/"


@register
class Loop(Fault):
    """Some listing pages hold a ghost entry whose URL redirects (301) to `/?p=<its ID>`, which
    redirects back: a permanent loop. The last page of every listing links "next" to page 1."""

    name = "loop"

    def respond(self, request: Request, inner: Handler) -> Response:
        parts, c, origin = urlsplit(request.target), request.site.c, request.site.o
        if parts.path == "/":
            value = parse_qs(parts.query).get("p", [""])[0]
            path = ghost_path(c, int(value)) if value.isdigit() else None
            if path is not None:
                return _moved(origin + path)
        elif (match := _GHOST_PATH.fullmatch(parts.path)) and ghost_path(
            c, int(match[1])
        ) == parts.path:
            return _moved(f"{origin}/?p={match[1]}")
        response = inner()
        if response.kind != "listing":
            return response
        listing, page = response.subject
        extra = None
        if point(c.seed, "loop", parts.path) < GHOST_SHARE:
            extra = self._ghost(request.site, listing, page, parts.path)
        body = request.site.listing(listing, page, extra, loop_back=True)
        return replace(response, body=body)

    @staticmethod
    def _ghost(site: Site, listing: Any, page: int, path: str) -> tuple[int, str] | None:
        start = (page - 1) * listing.per_page
        items = listing.items[start : start + listing.per_page]
        if not items:
            return None
        c = site.c
        k = int(point(c.seed, "loop-ghost", path) * len(items))
        neighbour = c.article(items[k])
        segments = listing.root.strip("/").split("/")
        sub_slug = segments[1] if len(segments) == 2 else neighbour.subsection.slug
        post_id = ghost_id(c, neighbour.index, sub_slug)
        sec = SUBSECTIONS[SUB_CODE[sub_slug]].section
        rng = random.Random(f"replica-ghost/{c.seed}/{post_id}")
        actor, topic = rng.choice(words.ACTORS[sec]), rng.choice(words.TOPICS[sec])
        verb = rng.choice(words.VERB_PHRASES[sec]).lower()
        title = f"{actor} Weighs Options on {topic}"
        excerpt = f"{actor} is expected to {verb} as the {topic.lower()} draws near."
        entry = chrome.list_entry(
            f"{site.o}{ghost_path(c, post_id)}",
            site.o + chrome.NOIMAGE,
            chrome.esc(title),
            chrome.esc(excerpt),
            chrome.long_date(neighbour.published),
        )
        return k, entry


def _moved(location: str) -> Response:
    return Response(301, "", headers={"Location": location})


# ----- pages ---------------------------------------------------------------------------------

RETRY_AFTER = 2  # seconds, in the throttle fault's 429

# nginx's own error pages, as a CDN or origin under maintenance serves them
OUTAGE_PAGE = (
    "<html>\n<head><title>503 Service Unavailable</title></head>\n<body>\n"
    "<center><h1>503 Service Unavailable</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
ERROR_500_PAGE = (
    "<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n"
    "<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
TOO_MANY_PAGE = (
    "<html>\n<head><title>429 Too Many Requests</title></head>\n<body>\n"
    "<center><h1>429 Too Many Requests</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)
