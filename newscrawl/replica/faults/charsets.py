"""Faults of the charset: a cp1252 page under a UTF-8 header, a UTF-8 page under a header
that names another charset."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from newscrawl.replica.corpus import Article, Block
from newscrawl.replica.faults.framework import Handler, Request, register
from newscrawl.replica.faults.selection import PickedFault, picked_article, point, record_post_id
from newscrawl.replica.response import Response


@register
class Charset(PickedFault):
    """Its article pages are sent in cp1252 with `<meta charset="windows-1252">` while the
    header still says UTF-8; only articles whose text holds non-ASCII cp1252 characters."""

    name = "charset"

    def picks(self, seed: int, post_id: int, text: str) -> bool:
        return super().picks(seed, post_id, text) and has_cp1252_text(text)

    def respond(self, request: Request, inner: Handler) -> Response:
        response = inner()
        if not picked_article(self, request, response):
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
class Liar(PickedFault):
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
        if not picked_article(self, request, response):
            return response
        charset = liar_charset(response.subject.post_id)
        return replace(response, content_type=f"text/html; charset={charset}")

    def amend_hit(self, record: dict[str, Any]) -> None:
        if liar_japanese(self.seed, record_post_id(record)):
            record["body"] += "\n\n" + LIAR_JAPANESE
