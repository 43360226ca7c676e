"""Every raw publication and update time a page gives, in order of trust, not yet parsed (the
chooser, newscrawl.times.choose, reads them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree, html

from newscrawl.text import text_of
from newscrawl.times import HAS_YEAR, MONTH_AND_DAY

# A visible line that is a date: short, names a month and day and a year.
DATE_LINE_MAX_WORDS = 12

# Meta keys read for the publication time, in order (property or name).
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "DC.date.issued",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "last-modified")

Candidates = list[tuple[str, str]]


def time_candidates(
    tree: html.HtmlElement,
    ld_values: Callable[[str], list[Any]],
    meta: Callable[[str], str | None],
    date_lines: list[str],
) -> dict[str, Candidates]:
    """{"published": [(source, raw), ...], "modified": [...]}: JSON-LD, meta tags, itemprop,
    the framework state, <time> elements and visible date lines, in that order."""
    return {
        "published": list(_candidates(tree, ld_values, meta, date_lines, updated=False)),
        "modified": list(_candidates(tree, ld_values, meta, date_lines, updated=True)),
    }


def _candidates(
    tree: html.HtmlElement,
    ld_values: Callable[[str], list[Any]],
    meta: Callable[[str], str | None],
    date_lines: list[str],
    updated: bool,
) -> Iterator[tuple[str, str]]:
    ld_key = "dateModified" if updated else "datePublished"
    for value in ld_values(ld_key):
        if isinstance(value, str):
            yield f"json-ld:{ld_key}", value
    for key in MODIFIED_META if updated else PUBLISHED_META:
        if value := meta(key):
            yield f"meta:{key}", value
    for element in tree.xpath("//*[@itemprop=$key]", key=ld_key):
        value = element.get("content") or element.get("datetime") or text_of(element)
        yield f"itemprop:{ld_key}", value
    yield from _app_state_times(tree, updated)
    if updated:
        yield from _visible_dates(date_lines, updated=True)
        return
    # A <time> marked as the update time (WordPress themes print "updated" before "published")
    # is not the publication time; one marked "published" comes first.
    # Then those in the article or its header, then the others (one walk, ordered here).
    # ("entry-date published updated" is WordPress's mark of a post never updated: kept).
    times = [e for e in _TIMES(tree) if not _only_updated(e.get("class") or "")]
    published = [e for e in times if "published" in (e.get("class") or "")]
    inside = [e for e in times if any(a.tag in ("article", "header") for a in e.iterancestors())]
    for element in published + inside + times:
        yield "time[datetime]", element.get("datetime")
    yield from _visible_dates(date_lines, updated=False)


_UPDATED_CLASS = re.compile(r"(?i)updated|modified")
_TIMES = etree.XPath("//time[@datetime]")


def _only_updated(classes: str) -> bool:
    return bool(_UPDATED_CLASS.search(classes)) and "published" not in classes


# Pages rendered by JavaScript frameworks whose only machine-readable time is in the state the
# server hands the client: Next.js (<script id="__NEXT_DATA__">) and Arc XP (Fusion.globalContent).
_APP_STATE = etree.XPath(
    "//script[@id='__NEXT_DATA__'] | //script[contains(., 'Fusion.globalContent')]"
)
_STATE_PUBLISHED = re.compile(
    r'"(?:datePublished|publishedAt|published_at|publishDate|publishedDate|publicationDate'
    r'|firstPublishedAt|firstPublished|first_publish_date|display_date)"\s*:\s*"([^"]{8,40})"'
)
_STATE_MODIFIED = re.compile(
    r'"(?:dateModified|updatedAt|updated_at|lastModified|last_updated_date)"\s*:\s*"([^"]{8,40})"'
)


def _app_state_times(tree: html.HtmlElement, updated: bool) -> Iterator[tuple[str, str]]:
    """The first time under a publication (or update) key of the page's framework state; read
    with a pattern, not parsed (the state can be hundreds of kilobytes)."""
    pattern = _STATE_MODIFIED if updated else _STATE_PUBLISHED
    for script in _APP_STATE(tree):
        if found := pattern.search(script.text or ""):
            name = "__NEXT_DATA__" if script.get("id") == "__NEXT_DATA__" else "Fusion"
            yield f"script:{name}", found.group(1)


def _visible_dates(date_lines: list[str], updated: bool) -> Iterator[tuple[str, str]]:
    """Short visible lines that name a date ("Published 14:08 JST, March 17, 2023")."""
    for text in date_lines:
        if text.lower().startswith(("updated", "last updated", "modified")) == updated:
            yield "visible", text


SHORT_TEXT = (
    "//body//*[self::p or self::span or self::div or self::time or self::small or self::li"
    " or self::address][not(*[not(self::a or self::br or self::span or self::strong)])]"
    "[string-length(normalize-space(.)) < 160]"
)
# Filters in XPath first: reading the text of every short element in Python is slow.
_DATE_LINES = etree.XPath(SHORT_TEXT + "[contains(., '19') or contains(., '20')]")


def date_lines(root: html.HtmlElement) -> list[str]:
    """The page's short lines that name a month, a day and a year."""
    lines = []
    for element in _DATE_LINES(root):
        text = text_of(element)
        if not text or len(text.split()) > DATE_LINE_MAX_WORDS or not HAS_YEAR.search(text):
            continue
        if MONTH_AND_DAY.search(text):
            lines.append(text)
    return lines
