"""Generic article extraction for any news site: title, times, authors, body, description.

Pure functions of (html, url) and the site's time zone. The page is parsed once and the tree
shared; `ld` is every JSON-LD object of the page at any depth (see `json_ld`). The body is read
last because trafilatura may prune the tree it is given.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import trafilatura
from dateutil import parser as dateutil_parser
from lxml import etree, html

from newscrawl.sites import metadata
from newscrawl.text import clean_text, strip_markup, text_of

# -- Time -------------------------------------------------------------------------------------
ZONES: dict[str, tzinfo] = {
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "JST": ZoneInfo("Asia/Tokyo"),
    "KST": ZoneInfo("Asia/Seoul"),
    "HKT": ZoneInfo("Asia/Hong_Kong"),
    "SGT": ZoneInfo("Asia/Singapore"),
    "IST": ZoneInfo("Asia/Kolkata"),
    "ET": ZoneInfo("America/New_York"),
    "EST": ZoneInfo("America/New_York"),
    "EDT": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "CST": ZoneInfo("America/Chicago"),
    "CDT": ZoneInfo("America/Chicago"),
    "PT": ZoneInfo("America/Los_Angeles"),
    "PST": ZoneInfo("America/Los_Angeles"),
    "PDT": ZoneInfo("America/Los_Angeles"),
    "BST": ZoneInfo("Europe/London"),
    "CET": ZoneInfo("Europe/Paris"),
    "CEST": ZoneInfo("Europe/Paris"),
    "AEST": ZoneInfo("Australia/Sydney"),
    "AEDT": ZoneInfo("Australia/Sydney"),
}
ISO_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}(?::?\d{2})?)?")
ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}|\d{8}T\d{4}")
HAS_TIME = re.compile(r"(?<![+\-\d])\d{1,2}[:.]\d{2}(?!\d{2})|\b\d{1,2}\s*[ap]\.?m\b", re.I)
HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
MONTH_AND_DAY = re.compile(
    rf"(?i)\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTH}|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}"
)
DATE_PREFIX = re.compile(
    r"(?i)^(?:published|posted|first published|updated|last updated|modified)\s*(?:on|at)?:?\s*"
)
MERIDIEM = re.compile(r"(?i)\b([ap])\.m\.")
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


@dataclass(frozen=True)
class Time:
    """A found time: VALUE is ISO 8601 with offset (seconds), or None when only DATE is known."""

    value: str | None = None
    source: str | None = None
    zone_assumed: bool = False
    date: str | None = None


def read_time(raw: str | None, tz: str = "UTC") -> Time | None:
    """One raw time string read; None when it is not a date at all."""
    text = MERIDIEM.sub(r"\1m", DATE_PREFIX.sub("", clean_text(raw)))
    if not text or not (HAS_YEAR.search(text) or ISO_DATE_TIME.match(text)):
        return None
    if ISO_DATE_ONLY.fullmatch(text):
        return Time(date=text[:10])
    value = _iso(text) if ISO_DATE_TIME.match(text) else None
    if value is None:
        value = _prose(text)
        if value is None:
            return None
        if not HAS_TIME.search(text):
            return Time(date=value.date().isoformat())
    assumed = value.tzinfo is None
    if assumed:
        value = value.replace(tzinfo=ZoneInfo(tz))
    return Time(value=value.replace(microsecond=0).isoformat(), zone_assumed=assumed)


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None


def _prose(text: str) -> datetime | None:
    if not MONTH_AND_DAY.search(text):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error", dateutil_parser.UnknownTimezoneWarning)
        try:
            return dateutil_parser.parse(text, tzinfos=ZONES, fuzzy=True)
        except (ValueError, ArithmeticError, TypeError, dateutil_parser.UnknownTimezoneWarning):
            return None


# -- JSON-LD ------------------------------------------------------------------------------------
def json_ld(tree: html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page at any depth (@graph, lists, nested values)."""
    objects: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        objects.extend(_walk(data))
    return objects


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _walk(entry)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk(value)


def _types(obj: dict[str, Any]) -> set[str]:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return {t for t in types if isinstance(t, str)}


def _is_article(obj: dict[str, Any]) -> bool:
    return bool(metadata.ARTICLE_TYPES & _types(obj)) or any(
        t.endswith("Article") for t in _types(obj)
    )


def ld_values(ld: list[dict[str, Any]], key: str) -> list[Any]:
    """KEY's values: article objects' first, then any other object's."""
    ordered = [o for o in ld if _is_article(o)] + [o for o in ld if not _is_article(o)]
    return [o[key] for o in ordered if o.get(key)]


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return None


_LAST_INDEX: list[tuple[html.HtmlElement, metadata.PageIndex]] = []


def _meta(tree: html.HtmlElement, key: str) -> str | None:
    """As metadata.meta_content, from one walk of the page's meta tags (kept for the last page:
    title, times, authors and description read the same page one after another)."""
    root = tree.getroottree().getroot()
    if not _LAST_INDEX or _LAST_INDEX[0][0] is not root:
        _LAST_INDEX[:] = [(root, metadata.PageIndex(root))]
    return _LAST_INDEX[0][1].meta_content(key)


def site_names(tree: html.HtmlElement, ld: list[dict[str, Any]]) -> set[str]:
    """The site's and publisher's names, lowercased: og:site_name, JSON-LD publisher/WebSite."""
    names = {_meta(tree, "og:site_name")}
    names.update(_name(v) for v in ld_values(ld, "publisher"))
    names.update(
        _name(o) for o in ld if _types(o) & {"WebSite", "Organization", "NewsMediaOrganization"}
    )
    return {n.lower() for n in names if n}


# -- Title --------------------------------------------------------------------------------------
TITLE_SEPARATOR = re.compile(r"\s+[-|–—·:]{1,2}\s+|\s*[|]\s*")
# Outlet names recognised in a title suffix even when the page does not name its site.
KNOWN_OUTLETS = re.compile(
    r"(?i)^(?:the japan news|reuters|bbc news|bbc|ap news|associated press|cnn|nhk world"
    r"|the guardian|the japan times|the mainichi|kyodo news|nikkei asia|al jazeera)$"
)


def title(tree: html.HtmlElement, ld: list[dict[str, Any]], url: str = "") -> Title:
    """og:title, JSON-LD headline, first h1, twitter:title, <title>: the first that is not only
    the site's name, its site-name suffix removed."""
    names = site_names(tree, ld)
    h1 = _first_h1(tree)
    for source, raw in _title_candidates(tree, ld, h1):
        text = strip_suffix(strip_markup(raw), names, url, h1)
        if text and text.lower() not in names and not KNOWN_OUTLETS.match(text):
            return Title(text, source)
    return Title(None, None)


@dataclass(frozen=True)
class Title:
    value: str | None
    source: str | None


def _first_h1(tree: html.HtmlElement) -> str | None:
    for xpath in ("//article//h1", "//main//h1", "//h1"):
        for h1 in tree.xpath(xpath):
            if text := text_of(h1):
                return text
    return None


def _title_candidates(
    tree: html.HtmlElement, ld: list[dict[str, Any]], h1: str | None
) -> Iterator[tuple[str, str]]:
    if og := _meta(tree, "og:title"):
        yield "meta:og:title", og
    for value in ld_values(ld, "headline"):
        if isinstance(value, str):
            yield "json-ld:headline", value
    if h1:
        yield "h1", h1
    if twitter := _meta(tree, "twitter:title"):
        yield "meta:twitter:title", twitter
    for element in tree.xpath("//title"):
        yield "title", text_of(element)


def strip_suffix(text: str, names: set[str], url: str = "", h1: str | None = None) -> str:
    """TEXT without a trailing (or leading) site name after a separator."""
    parts = TITLE_SEPARATOR.split(text)
    if len(parts) < 2:
        return text
    if h1 and text != h1 and text.startswith(h1) and TITLE_SEPARATOR.match(text[len(h1) :]):
        return h1
    last, first = parts[-1], parts[0]
    if _is_site_name(last, names, url):
        return text[: text.rfind(last)].rstrip(" -|–—·:")
    if _is_site_name(first, names, url):
        return text[len(first) :].lstrip(" -|–—·:")
    return text


def _is_site_name(part: str, names: set[str], url: str) -> bool:
    if part.lower() in names or KNOWN_OUTLETS.match(part):
        return True
    squashed = re.sub(r"[^a-z0-9]", "", part.lower()).removeprefix("the")
    host = urlsplit(url).hostname or ""
    labels = [label for label in host.split(".") if len(label) > 3 and label != "www"]
    short = len(part.split()) <= 4
    return short and bool(squashed) and any(squashed in label.replace("-", "") for label in labels)


# -- Published and modified -------------------------------------------------------------------
def published(tree: html.HtmlElement, ld: list[dict[str, Any]], tz: str = "UTC") -> Time:
    """The publication time; see `_first_time` for the order of sources."""
    return _first_time(_time_candidates(tree, ld, "datePublished", PUBLISHED_META, False), tz)


def modified(tree: html.HtmlElement, ld: list[dict[str, Any]], tz: str = "UTC") -> Time:
    return _first_time(_time_candidates(tree, ld, "dateModified", MODIFIED_META, True), tz)


def _first_time(candidates: Iterator[tuple[str, str]], tz: str) -> Time:
    """The first candidate with a full time; else the first date alone (value None).

    A time whose zone was assumed gives way to a later one that reads the same on the clock
    and names its offset."""
    best: Time | None = None
    for source, raw in candidates:
        found = read_time(raw, tz)
        if found is None:
            continue
        found = Time(found.value, source, found.zone_assumed, found.date)
        if best is None or (found.value and not best.value):
            best = found
        elif best.zone_assumed and not found.zone_assumed and _same_clock(best, found):
            return found
        if best.value and not best.zone_assumed:
            return best
    return best or Time()


def _same_clock(first: Time, second: Time) -> bool:
    return bool(first.value and second.value and first.value[:19] == second.value[:19])


def _time_candidates(
    tree: html.HtmlElement,
    ld: list[dict[str, Any]],
    ld_key: str,
    meta_keys: tuple[str, ...],
    updated: bool,
) -> Iterator[tuple[str, str]]:
    for value in ld_values(ld, ld_key):
        if isinstance(value, str):
            yield f"json-ld:{ld_key}", value
    for key in meta_keys:
        if value := _meta(tree, key):
            yield f"meta:{key}", value
    for element in tree.xpath("//*[@itemprop=$key]", key=ld_key):
        value = element.get("content") or element.get("datetime") or text_of(element)
        yield f"itemprop:{ld_key}", value
    if updated:
        yield from _visible_dates(tree, updated=True)
        return
    times = tree.xpath("//article//time[@datetime] | //header//time[@datetime]")
    for element in times + tree.xpath("//time[@datetime]"):
        yield "time[datetime]", element.get("datetime")
    yield from _visible_dates(tree, updated=False)


SHORT_TEXT = (
    "//body//*[self::p or self::span or self::div or self::time or self::small or self::li"
    " or self::address][not(*[not(self::a or self::br or self::span or self::strong)])]"
    "[string-length(normalize-space(.)) < 160]"
)
# Filters in XPath first: reading the text of every short element in Python is slow.
_DATE_LINES = etree.XPath(SHORT_TEXT + "[contains(., '19') or contains(., '20')]")
_BY_LINES = etree.XPath(
    SHORT_TEXT + "[starts-with(translate(normalize-space(.), 'BYWRITEN', 'bywriten'), 'by')"
    " or starts-with(translate(normalize-space(.), 'BYWRITEN', 'bywriten'), 'written by')]"
)


def _visible_dates(tree: html.HtmlElement, updated: bool) -> Iterator[tuple[str, str]]:
    """Short visible lines that name a date ("Published 14:08 JST, March 17, 2023")."""
    for element in _DATE_LINES(tree):
        text = text_of(element)
        if not text or len(text.split()) > DATE_LINE_MAX_WORDS or not HAS_YEAR.search(text):
            continue
        if text.lower().startswith(("updated", "last updated", "modified")) != updated:
            continue
        if MONTH_AND_DAY.search(text):
            yield "visible", text


# -- Authors ------------------------------------------------------------------------------------
NAME_SEPARATORS = re.compile(r"\s*[,;|/]\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
BY = re.compile(r"(?i)^(?:written\s+)?by[:\s]\s*")
ROLE_WORDS = re.compile(
    r"(?i)\b(?:writers?|correspondents?|editors?|reporters?|columnists?|photographers?|staff"
    r"|contributors?|bureau|desk|news|press|agency|wire|services?|newsroom)\b"
)
BYLINE_MAX_WORDS = 16
HANDLE = re.compile(r"^[a-z0-9_.-]+$")
NOT_NAME = re.compile(r"@|https?:|www\.|/|\d")
ORGANISATIONS = frozenset(
    {"reuters", "associated press", "the associated press", "afp", "kyodo", "jiji press"}
)
BYLINE_XPATHS = (
    ("json-ld:author", None),
    ("rel=author", "//*[@rel='author']"),
    ("itemprop=author", "//*[@itemprop='author']"),
    ("byline", "//*[contains(concat(' ',normalize-space(@class),' '),' byline ')]"),
)


def authors(tree: html.HtmlElement, ld: list[dict[str, Any]]) -> tuple[list[str], str | None]:
    """Person names and where they came from; organisations, roles and user ids left out."""
    names = site_names(tree, ld)
    latin = _latin_page(tree)
    ids = {o["@id"]: o for o in ld if isinstance(o.get("@id"), str) and o.get("name")}
    found = _people([_ld_author_names(v, ids) for v in ld_values(ld, "author")[:1]], names, latin)
    if found:
        return found, "json-ld:author"
    for source, xpath in BYLINE_XPATHS[1:]:
        texts = [_byline_text(e) for e in tree.xpath(xpath)]
        if found := _people([split_byline(t) for t in texts if t], names, latin):
            return found, source
    meta = _meta(tree, "author")
    if meta and (found := _people([split_byline(meta)], names, latin)):
        return found, "meta:author"
    lines = [text_of(e) for e in _BY_LINES(tree)]
    bylines = [t for t in lines if BY.match(t) and len(t.split()) <= BYLINE_MAX_WORDS]
    if found := _people([split_byline(t) for t in bylines[:1]], names, latin):
        return found, "visible"
    return [], None


# On a page in a Latin-script language, a name without a Latin letter is a CMS account
# ("読売 太郎"), not the byline.
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")
LATIN_LANGUAGES = frozenset("en fr de es it pt nl sv da no nb fi pl cs id ms tr ro hu".split())


def _latin_page(tree: html.HtmlElement) -> bool:
    lang = (tree.getroottree().getroot().get("lang") or "").lower()
    return lang[:2] in LATIN_LANGUAGES


def _byline_text(element: html.HtmlElement) -> str:
    inner = element.xpath(".//*[@itemprop='name']")
    return text_of(inner[0]) if inner else text_of(element)


def _ld_author_names(value: Any, ids: dict[str, dict[str, Any]]) -> list[str]:
    if isinstance(value, list):
        return [n for entry in value for n in _ld_author_names(entry, ids)]
    if isinstance(value, str):
        return split_byline(value)
    if not isinstance(value, dict):
        return []
    if "name" not in value and value.get("@id") in ids:
        value = ids[value["@id"]]
    if _types(value) & {"Organization", "NewsMediaOrganization", "Corporation"}:
        return []
    name = _name(value)
    return split_byline(name) if name else []


def split_byline(text: str) -> list[str]:
    """Parts of a byline: "By A and B, Staff Writers" -> ["A", "B", "Staff Writers"]."""
    text = BY.sub("", clean_text(text))
    parts = NAME_SEPARATORS.split(text)
    return [BY.sub("", p).strip(" .:-–—") for p in parts if p and p.strip(" .:-–—")]


def is_person(
    name: str, site: set[str] | frozenset[str] = frozenset(), latin_page: bool = False
) -> bool:
    """A person's name: not a role, an organisation, an e-mail, a URL or a CMS user id."""
    lowered = name.lower()
    if latin_page and not LATIN_LETTER.search(name):
        return False
    if lowered in site or lowered in ORGANISATIONS or lowered.removeprefix("the ") in site:
        return False
    if HANDLE.match(name) or NOT_NAME.search(name) or ROLE_WORDS.search(name):
        return False
    return 1 <= len(name.split()) <= 5 and len(name) <= 60


def _people(groups: list[list[str]], site: set[str], latin_page: bool) -> list[str]:
    people: list[str] = []
    for group in groups:
        people += [n for n in group if is_person(n, site, latin_page) and n not in people]
    return people


# -- Body ---------------------------------------------------------------------------------------
FURNITURE = re.compile(
    r"(?i)^(?:"
    r"(?:read more|see also|related(?: articles| stories| coverage| content| news)?|more on this"
    r"(?: story)?|recommended(?: stories)?|most read|advertisement|continue reading)"
    r"(?:\s*[:»›>|]\s*.{0,150})?[.…]?"
    r"|(?:sign up|subscribe)\b.{0,100}\bnewsletters?\b.{0,100}"
    r"|get (?:our|the) .{0,50}newsletter.{0,100}"
    r"|newsletter sign[- ]?up.{0,60}"
    r"|share (?:this(?: article| story| page| post)?|on (?:facebook|twitter|x|linkedin|whatsapp"
    r"|email|reddit))(?:\s*[:|].{0,60})?"
    r"|(?:photo|image|picture|photograph|photo credit|image credit)s?\s*:.{0,100}"
    r"|\(?(?:reuters|ap|afp|kyodo|jiji|ap photo|getty images)\)?"
    r"|[^.!?]{0,100}\b(?:getty images|ap photo|/reuters|/afp|/ap)\)?"
    r")$"
)


def is_furniture(block: str) -> bool:
    return len(block) <= 240 and bool(FURNITURE.match(block))


def body(tree: html.HtmlElement, url: str = "", title_text: str | None = None) -> list[str]:
    """Story paragraphs: trafilatura's blocks without generic furniture, the headline, the
    byline and date lines."""
    return [
        block
        for block in main_blocks(tree, url)
        if not is_furniture(block) and block != title_text and not _is_meta_line(block)
    ]


def main_blocks(tree: html.HtmlElement, url: str = "") -> list[str]:
    """What metadata.generic_blocks gives, from trafilatura's document tree rather than its XML
    text (no serialising and parsing again, no fingerprint: about a tenth less time)."""
    document = trafilatura.bare_extraction(
        tree,
        url=url or None,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
    )
    if document is None or document.body is None:
        return []
    texts = (
        clean_text("".join(element.itertext()))
        for element in document.body.iter(*BLOCK_TAGS)
        if element.getparent().tag not in BLOCK_TAGS
    )
    return [text for text in texts if text]


# trafilatura's names for text blocks; a block inside a block is part of its parent.
BLOCK_TAGS = frozenset({"p", "head", "item", "quote"})


def _is_meta_line(block: str) -> bool:
    words = block.split()
    if len(words) > DATE_LINE_MAX_WORDS or block.endswith("."):
        return False
    if BY.match(block):
        return True
    return bool(HAS_YEAR.search(block) and MONTH_AND_DAY.search(block) and len(words) <= 8)


# -- The article ----------------------------------------------------------------------------
def parse_article(page: str | bytes, url: str, tz: str = "UTC") -> dict[str, Any]:
    tree = metadata.parse_html(page)
    ld = json_ld(tree)
    head = title(tree, ld, url)
    first, last = published(tree, ld, tz), modified(tree, ld, tz)
    people, authors_source = authors(tree, ld)
    description, description_source = _description(tree, ld)
    blocks = body(tree, url, head.value)  # last: trafilatura may prune the tree
    return {
        "title": head.value,
        "published": first.value,
        "published_date": first.date if first.value is None else first.value[:10],
        "published_zone_assumed": first.zone_assumed,
        "modified": last.value,
        "authors": people,
        "body": "\n\n".join(blocks),
        "description": description,
        "sources": {
            "title": head.source,
            "published": first.source,
            "modified": last.source,
            "authors": authors_source,
            "body": "trafilatura" if blocks else None,
            "description": description_source,
        },
    }


def _description(tree: html.HtmlElement, ld: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    for source, value in (
        ("meta:og:description", _meta(tree, "og:description")),
        ("meta:description", _meta(tree, "description")),
        ("json-ld:description", next(iter(ld_values(ld, "description")), None)),
    ):
        if isinstance(value, str) and (text := strip_markup(value)):
            return text, source
    return None, None
