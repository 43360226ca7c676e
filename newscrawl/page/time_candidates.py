"""Every raw publication and update time a page gives, in order of trust, not yet parsed (the
chooser, newscrawl.times.choose, reads them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree, html

from newscrawl.text import text_of
from newscrawl.times import HAS_TIME, HAS_YEAR, URL_SOURCE, names_a_date

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
    # Other spellings real pages use (Open Graph variants, Dublin Core, Cxense, scholarly
    # citation tags), read after the common ones.
    "article:published",
    "published_time",
    "og:publish_date",
    "cXenseParse:publishtime",
    "shareaholic:article_published_time",
    "prism.publicationDate",
    "citation_publication_date",
    "citation_online_date",
    "citation_date",
    "DC.created",
    "dcterms.created",
    "DCTERMS.created",
    "published",
    "publish-date",
    "published-date",
    "pub_date",
)
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "last-modified")

Candidates = list[tuple[str, str]]
UPDATED_DAY_SOURCE = "visible:updated"


def time_candidates(
    tree: html.HtmlElement,
    ld_values: Callable[[str], list[Any]],
    meta: Callable[[str], str | None],
    date_lines: list[str],
    url: str = "",
) -> dict[str, Candidates]:
    """{"published": [(source, raw), ...], "modified": [...]}: JSON-LD, meta tags, itemprop and
    RDFa, the framework state, <time> elements, visible date lines, the day the page's address
    names (URL, its og:url or canonical link) and a shown update's day, in that order."""
    rdfa = _RDFA(tree)
    published = list(_candidates(tree, ld_values, meta, date_lines, rdfa, updated=False))
    published += _url_days((url, meta("og:url"), *_CANONICAL(tree)))
    # Last of all, the day of a shown update ("Updated March 5, 2025"): a page that shows no
    # other date is dated by it (never its time of day: that is the update's).
    published += [
        (UPDATED_DAY_SOURCE, text)
        for _source, text in _visible_dates(date_lines, updated=True)
        if not HAS_TIME.search(text)
    ]
    return {
        "published": published,
        "modified": list(_candidates(tree, ld_values, meta, date_lines, rdfa, updated=True)),
    }


def _candidates(
    tree: html.HtmlElement,
    ld_values: Callable[[str], list[Any]],
    meta: Callable[[str], str | None],
    date_lines: list[str],
    rdfa: list[html.HtmlElement],
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
    terms = _RDFA_MODIFIED if updated else _RDFA_PUBLISHED
    for element in rdfa:
        if terms.intersection((element.get("property") or "").split()):
            yield "rdfa", element.get("content") or ""
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
# RDFa's Dublin Core and schema.org terms on any element (Drupal writes
# <span property="dc:date dc:created" content="2024-10-13T14:05:00+02:00">).
_RDFA = etree.XPath("//*[@property][@content][not(self::meta)]")
_RDFA_PUBLISHED = frozenset(
    {"dc:date", "dc:created", "dcterms:created", "dcterms:issued", "schema:datePublished"}
)
_RDFA_MODIFIED = frozenset({"dc:modified", "dcterms:modified", "schema:dateModified"})
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href")
# A permalink's day: /2019/10/22/, /2019-10-22-title (set when the story was first published).
_URL_DAY = re.compile(r"/((?:19|20)\d{2})([/-])(\d{1,2})\2(\d{1,2})(?=[/_.-]|$)")


def _url_days(urls: Iterable[str | None]) -> Candidates:
    """The day the first address that names one names, as ISO ("2019-10-22"): one candidate."""
    for url in urls:
        path = urlsplit(url or "").path
        found = _URL_DAY.search(path)
        if found and 1 <= int(found[3]) <= 12 and 1 <= int(found[4]) <= 31:
            return [(URL_SOURCE, f"{found[1]}-{int(found[3]):02d}-{int(found[4]):02d}")]
    return []


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


SHORT_LINE_TAGS = ("p", "span", "div", "time", "small", "li", "address")
SHORT_LINE_INLINE = ("a", "br", "span", "strong")


def short_text(tags: tuple[str, ...], inline: tuple[str, ...]) -> str:
    """XPath of the short lines of the body: elements of TAGS holding at most INLINE elements,
    under 160 characters."""
    return (
        "//body//*[" + " or ".join(f"self::{tag}" for tag in tags) + "]"
        "[not(*[not(" + " or ".join(f"self::{tag}" for tag in inline) + ")])]"
        "[string-length(normalize-space(.)) < 160]"
    )


# A date line's element: a short line's, <abbr> and the headings pages date under, with an icon
# or emphasis inside (<span class="date"><i class="icon"></i><a>5. November 2021</a></span>,
# <h3>21.01.2022</h3>).
DATE_TEXT = short_text(
    (*SHORT_LINE_TAGS, "abbr", "h2", "h3", "h4", "h5"),
    (*SHORT_LINE_INLINE, "i", "svg", "b", "em", "img"),
)
# Filters in XPath first: reading the text of every short element in Python is slow.
_DATE_LINES = etree.XPath(DATE_TEXT + "[contains(., '19') or contains(., '20')]")


def date_lines(root: html.HtmlElement) -> list[str]:
    """The page's short lines that name a month, a day and a year."""
    lines = []
    for element in _DATE_LINES(root):
        text = text_of(element)
        if not text or _words(text) > DATE_LINE_MAX_WORDS or not HAS_YEAR.search(text):
            continue
        if names_a_date(text):
            lines.append(text)
    return lines


_WORD = re.compile(r"\w")


def _words(text: str) -> int:
    """The words of TEXT; a separator ("-", "|", "·") is none."""
    return sum(1 for token in text.split() if _WORD.search(token))
