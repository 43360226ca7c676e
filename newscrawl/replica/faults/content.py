"""Faults in what an article page says: no title, bad times, odd characters and a script
inside the paragraphs."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from newscrawl.replica.corpus import Article, Block
from newscrawl.replica.faults.framework import register
from newscrawl.replica.faults.selection import PickedFault, point, record_post_id
from newscrawl.replica.pages import IMPOSSIBLE, MISSING, NAIVE


@register
class NoTitle(PickedFault):
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
class BadDates(PickedFault):
    """Its articles misstate their times: "impossible" (every time on the page is February 30,
    25:61), "missing" (no time on the page at all) or "naive" (meta and JSON-LD times without
    an offset, in Japan time; the date line as it is). Listings keep their dates."""

    name = "baddates"

    def article(self, a: Article, seed: int) -> Article:
        if not self.picks_article(seed, a):
            return a
        return replace(a, time_fault=bad_date_variant(seed, a.post_id))

    def amend_hit(self, record: dict[str, Any]) -> None:
        if bad_date_variant(self.seed, record_post_id(record)) != NAIVE:
            record.update(published=None, published_utc=None, modified=None)


@register
class Separators(PickedFault):
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
