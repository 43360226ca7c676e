"""Generic article extraction for any news site: title, times, authors, body, description.

Pure functions of (html, url) and the site's time zone. The page is parsed once and the tree
shared; `ld` is every JSON-LD object of the page at any depth (see `json_ld`). The body is read
last because trafilatura may prune the tree it is given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml import etree, html

from newscrawl.sites import links, metadata
from newscrawl.text import clean_text, strip_markup, text_of
from newscrawl.times import HAS_YEAR, MONTH_AND_DAY, parse_time, zone

# -- Time -------------------------------------------------------------------------------------
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
    """One raw time string, read by the project's one time parser (pipelines/timestamps: it
    gives the crawl's `published` too); None when it is not a date at all."""
    parsed = parse_time(raw, zone(tz))
    if parsed is None:
        return None
    if parsed.moment is None:
        return Time(date=parsed.day.isoformat() if parsed.day else None)
    value = parsed.moment.isoformat(timespec="seconds")
    return Time(value=value, zone_assumed=not parsed.zone_given)


# -- JSON-LD ------------------------------------------------------------------------------------
def json_ld(tree: html.HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page at any depth (@graph, lists, nested values)."""
    objects: list[dict[str, Any]] = []
    for script in _index(tree).json_ld_scripts:
        data = _loads_lenient(script.text or "")
        if data is not None:
            objects.extend(_walk(data))
    return objects


# What CMS templates and SEO plugins leave around or inside JSON-LD that JSON does not allow:
# HTML comments and CDATA markers wrapping the object, and trailing commas before } or ].
_LD_WRAPPERS = re.compile(
    r"<!--|-->|/\*\s*<!\[CDATA\[\s*\*/|/\*\s*\]\]>\s*\*/|//\s*<!\[CDATA\[|//\s*\]\]>"
)
_LD_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_LD_COMMENT_TEXT = re.compile(r"<!--.*?-->", re.S)


def _loads_lenient(text: str) -> Any:
    """TEXT as JSON; when it is not valid, once more without comment and CDATA wrappers and
    trailing commas (the repair only runs on text that failed, so valid JSON-LD costs nothing).
    None when it still is not JSON."""
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    repaired = _LD_COMMENT_TEXT.sub(_keep_json_in_comment, text)
    repaired = _LD_TRAILING_COMMA.sub(r"\1", _LD_WRAPPERS.sub(" ", repaired))
    try:
        return json.loads(repaired, strict=False)
    except ValueError:
        return None


def _keep_json_in_comment(match: re.Match[str]) -> str:
    """An HTML comment inside the script: its text when it holds the JSON (the whole object
    commented out for old browsers), else nothing (a note such as "<!-- schema by plugin -->")."""
    inner = match.group(0)[4:-3]
    return inner if "{" in inner else " "


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
    """An article object: NewsArticle and the other *Article types, BlogPosting, and a live
    blog (LiveBlogPosting: its own datePublished, not that of an update it lists, is the
    page's; the walk yields the page's object before those nested in it)."""
    types = _types(obj)
    return bool(metadata.ARTICLE_TYPES & types) or any(
        t.endswith(("Article", "Posting")) for t in types
    )


def ld_values(ld: list[dict[str, Any]], key: str) -> list[Any]:
    """KEY's values: article objects' first, then any other object's."""
    return [o[key] for o in _articles_first(ld) if o.get(key)]


_LAST_ORDER: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []


def _articles_first(ld: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """LD with the article objects first (kept for the last list: a page's fields read it one
    after another)."""
    if not _LAST_ORDER or _LAST_ORDER[0][0] is not ld:
        articles = [_is_article(o) for o in ld]
        ordered = [o for o, a in zip(ld, articles, strict=True) if a]
        ordered += [o for o, a in zip(ld, articles, strict=True) if not a]
        _LAST_ORDER[:] = [(ld, ordered)]
    return _LAST_ORDER[0][1]


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
    return _index(tree).meta_content(key)


def _index(tree: html.HtmlElement) -> metadata.PageIndex:
    root = tree.getroottree().getroot()
    if not _LAST_INDEX or _LAST_INDEX[0][0] is not root:
        _LAST_INDEX[:] = [(root, metadata.PageIndex(root))]
    return _LAST_INDEX[0][1]


def site_names(tree: html.HtmlElement, ld: list[dict[str, Any]]) -> set[str]:
    """The site's and publisher's names, lowercased: og:site_name, JSON-LD publisher/WebSite."""
    return set(_site_names(tree.getroottree().getroot(), ld))


_LAST_NAMES: list[tuple[html.HtmlElement, list[dict[str, Any]], frozenset[str]]] = []


def _site_names(root: html.HtmlElement, ld: list[dict[str, Any]]) -> frozenset[str]:
    """As site_names, kept for the last page (title, authors and body all ask)."""
    if _LAST_NAMES and _LAST_NAMES[0][0] is root and _LAST_NAMES[0][1] is ld:
        return _LAST_NAMES[0][2]
    names = {_meta(root, "og:site_name")}
    names.update(_name(v) for v in ld_values(ld, "publisher"))
    names.update(
        _name(o) for o in ld if _types(o) & {"WebSite", "Organization", "NewsMediaOrganization"}
    )
    found = frozenset(n.lower() for n in names if n)
    _LAST_NAMES[:] = [(root, ld, found)]
    return found


# -- Title --------------------------------------------------------------------------------------
TITLE_SEPARATOR = re.compile(r"\s+[-|–—·:]{1,2}\s+|\s*[|]\s*")
# Outlet names recognised in a title suffix even when the page does not name its site.
KNOWN_OUTLETS = re.compile(
    r"(?i)^(?:the japan news|reuters|bbc news|bbc|ap news|associated press|cnn|nhk world"
    r"|the guardian|the japan times|the mainichi|kyodo news|nikkei asia|al jazeera)$"
)


def title(tree: html.HtmlElement, ld: list[dict[str, Any]], url: str = "") -> Title:
    """og:title, JSON-LD headline, first h1, twitter:title, <title>: the first that is not only
    the site's name, its site-name suffix removed.

    An og:title that no other headline of the page repeats (JSON-LD headline, h1, <title>) is a
    social-media headline ("The cows that walk to work: ..."), not the one readers see: the h1
    is taken then."""
    names = site_names(tree, ld)
    h1 = _first_h1(tree)
    found: list[tuple[str, str]] = []
    for source, raw in _title_candidates(tree, ld, h1):
        text = strip_suffix(strip_markup(raw), names, url, h1)
        if text and text.lower() not in names and not _is_site_name(text, names, url):
            found.append((source, text))
            if found[0][0] != "meta:og:title" or not h1:
                break
    if not found:
        return Title(None, None)
    source, text = found[0]
    if source == "meta:og:title" and h1 and ("h1", h1) in found and _is_headline(h1):
        repeated = text.casefold()
        others = [t.casefold() for s, t in found[1:] if s != "meta:twitter:title"]
        if not any(t == repeated or t.startswith(repeated + " ") for t in others):
            return Title(h1, "h1")
    return Title(text, source)


# A section label in the article's h1 ("Opinion", "Live updates") is no headline.
HEADLINE_MIN_WORDS = 3


def _is_headline(text: str) -> bool:
    return len(text.split()) >= HEADLINE_MIN_WORDS


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
    labels = [label.replace("-", "") for label in host.split(".") if len(label) > 3]
    labels = [label for label in labels if label != "www"]
    if not squashed or len(part.split()) > 4:
        return False
    # "Daily Chronicle" on dailychronicle.example, and "Daily Chronicle Online" too: the host
    # names the site, the title suffix may add a word ("Online", "News", "Today").
    return any(squashed in label or (len(label) >= 8 and label in squashed) for label in labels)


# -- Published and modified -------------------------------------------------------------------
def published(tree: html.HtmlElement, ld: list[dict[str, Any]], tz: str = "UTC") -> Time:
    """The publication time; see `first_time` for the order of sources."""
    return first_time(_time_candidates(tree, ld, "datePublished", PUBLISHED_META, False), tz)


def modified(tree: html.HtmlElement, ld: list[dict[str, Any]], tz: str = "UTC") -> Time:
    return first_time(_time_candidates(tree, ld, "dateModified", MODIFIED_META, True), tz)


def first_time(candidates: Iterable[tuple[str, str]], tz: str) -> Time:
    """As the timestamps pipeline chooses: the first full time that names its zone; else the
    first whose zone was assumed; else the first date alone (value None)."""
    assumed: Time | None = None
    day_only: Time | None = None
    for source, raw in candidates:
        found = read_time(raw, tz)
        if found is None:
            continue
        found = Time(found.value, source, found.zone_assumed, found.date)
        if found.value and not found.zone_assumed:
            return found
        if found.value:
            assumed = assumed or found
        else:
            day_only = day_only or found
    return assumed or day_only or Time()


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
    yield from _app_state_times(tree, updated)
    if updated:
        yield from _visible_dates(tree, updated=True)
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
    yield from _visible_dates(tree, updated=False)


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


SHORT_TEXT = (
    "//body//*[self::p or self::span or self::div or self::time or self::small or self::li"
    " or self::address][not(*[not(self::a or self::br or self::span or self::strong)])]"
    "[string-length(normalize-space(.)) < 160]"
)
# Filters in XPath first: reading the text of every short element in Python is slow.
_DATE_LINES = etree.XPath(SHORT_TEXT + "[contains(., '19') or contains(., '20')]")
_LOWER = "translate(normalize-space(.), 'ABCDEINOPRSTUWY', 'abcdeinoprstuwy')"
# "By ...", "Written by ...", "Submitted by ... on <date>" (Drupal), "Posted by ..." (blogs); a
# <strong>/<b> too ("<strong>By Ann Lee</strong><span>Bay Post, Tokyo</span>").
_BY_LINES = etree.XPath(
    SHORT_TEXT.replace("or self::address]", "or self::address or self::strong or self::b]")
    + "[starts-with("
    + _LOWER
    + ", 'by') or starts-with("
    + _LOWER
    + ", 'written by') or starts-with("
    + _LOWER
    + ", 'submitted by') or starts-with("
    + _LOWER
    + ", 'posted by')]"
)


def _visible_dates(tree: html.HtmlElement, updated: bool) -> Iterator[tuple[str, str]]:
    """Short visible lines that name a date ("Published 14:08 JST, March 17, 2023")."""
    for text in _date_lines(tree.getroottree().getroot()):
        if text.lower().startswith(("updated", "last updated", "modified")) == updated:
            yield "visible", text


_LAST_DATE_LINES: list[tuple[html.HtmlElement, list[str]]] = []


def _date_lines(root: html.HtmlElement) -> list[str]:
    """The page's short lines that name a month, a day and a year, kept for the last page (the
    publication and the update time both read them)."""
    if _LAST_DATE_LINES and _LAST_DATE_LINES[0][0] is root:
        return _LAST_DATE_LINES[0][1]
    lines = []
    for element in _DATE_LINES(root):
        text = text_of(element)
        if not text or len(text.split()) > DATE_LINE_MAX_WORDS or not HAS_YEAR.search(text):
            continue
        if MONTH_AND_DAY.search(text):
            lines.append(text)
    _LAST_DATE_LINES[:] = [(root, lines)]
    return lines


# -- Authors ------------------------------------------------------------------------------------
NAME_SEPARATORS = re.compile(r"\s*[,;|/]\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
BY = re.compile(r"(?i)^(?:(?:written|submitted|posted)\s+)?by(?:[:\s]\s*|$)")
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
    ("rel=author", etree.XPath("//*[@rel='author']")),
    ("itemprop=author", etree.XPath("//*[@itemprop='author']")),
    # "byline", "story-byline", "byline__author", "Byline_root__0nA2e"
    ("byline", etree.XPath("//*[contains(translate(@class, 'B', 'b'), 'byline')]")),
)
# Words no person's name holds: an affiliation after the name ("GARETH MORGAN FOR THE DAILY
# CHRONICLE", "Ann Lee of the Bay Post") or a prompt ("Share on X").
NOT_NAME_WORDS = frozenset("for the of from at in on with to via share".split())
# A name found in the page's HTML has two words at least: a lone word there is a place, a desk or
# an outlet ("Dorset" after "By Ann Lee"), not a byline.
HTML_NAME_MIN_WORDS = 2
# Translated stories credit the reporter of the original at the end: "(Japanese original by
# Ryo Nakamura, Osaka City News Department)".
ORIGINAL_BY = re.compile(r"(?i)^\(\s*(?:[a-z]+\s+)?original\s+by\s+(.+?)\s*\)$")
_ORIGINAL_LINES = etree.XPath(
    "//body//p[starts-with(normalize-space(.), '(')][contains(., 'original by')]"
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
        groups = [_byline_parts(e) for e in _innermost(xpath(tree))]
        if found := _people(groups, names, latin, HTML_NAME_MIN_WORDS):
            return found, source
    meta = _meta(tree, "author")
    if meta and (found := _people([split_byline(meta)], names, latin, HTML_NAME_MIN_WORDS)):
        return found, "meta:author"
    for element in _innermost(_BY_LINES(tree)):
        text = text_of(element)
        if BY.match(text) and len(text.split()) <= BYLINE_MAX_WORDS:
            found = _people([_byline_parts(element)], names, latin, HTML_NAME_MIN_WORDS)
            if found:
                return found, "visible"
    for element in _ORIGINAL_LINES(tree):
        if credit := ORIGINAL_BY.match(text_of(element)):
            found = _people([split_byline(credit.group(1))], names, latin, HTML_NAME_MIN_WORDS)
            if found:
                return found, "original-by"
    return [], None


def _innermost(elements: list[html.HtmlElement]) -> list[html.HtmlElement]:
    """ELEMENTS without those that hold another of them: the byline itself, not the header
    line around it ("By Ann Lee · Oct 9, 2024 · 4 min read")."""
    outer = {id(a) for e in elements for a in e.iterancestors()}
    return [e for e in elements if id(e) not in outer]


# On a page in a Latin-script language, a name without a Latin letter is a CMS account
# ("読売 太郎"), not the byline.
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")
LATIN_LANGUAGES = frozenset("en fr de es it pt nl sv da no nb fi pl cs id ms tr ro hu".split())


def _latin_page(tree: html.HtmlElement) -> bool:
    lang = (tree.getroottree().getroot().get("lang") or "").lower()
    return lang[:2] in LATIN_LANGUAGES


def _byline_parts(element: html.HtmlElement) -> list[str]:
    """The names a byline element gives: its itemprop=name, else each of its text pieces split
    (a piece ends where markup does: "<a>Tan Wei Ling</a> <span>Senior Correspondent</span>")."""
    inner = element.xpath(".//*[@itemprop='name']")
    if inner:
        return split_byline(text_of(inner[0]))
    return [name for piece in element.itertext() for name in split_byline(piece)]


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
    words = name.split()
    if any(word.lower() in NOT_NAME_WORDS for word in words):
        return False
    return 1 <= len(words) <= 5 and len(name) <= 60


def _people(
    groups: list[list[str]], site: set[str], latin_page: bool, min_words: int = 1
) -> list[str]:
    people: list[str] = []
    for group in groups:
        people += [
            n
            for n in group
            if len(n.split()) >= min_words and is_person(n, site, latin_page) and n not in people
        ]
    return people


# -- Body ---------------------------------------------------------------------------------------
FURNITURE = re.compile(
    r"(?i)^(?:"
    # Link prompts and section labels: "Read more: ...", "Also Read | ...", "Related Topics".
    r"(?:read more|read also|also read|read next|see also|related(?: articles| stories"
    r"| coverage| content| news| posts| topics| links| reading)?|more on this(?: story)?"
    r"|explore more on these topics|recommended(?: stories| reading)?|most read|advertisement"
    r"|continue reading)"
    r"(?:\s*[:»›>|]\s*.{0,150})?[.…]?"
    # Newsletter prompts: "Sign up for ...", "Like this story? Get our weekly newsletter ...".
    r"|(?:[^.?!]{0,60}\?\s*)?(?:sign up|subscribe|get|join|receive)\b.{0,120}\bnewsletters?\b"
    r".{0,120}"
    r"|get (?:our|the) .{0,50}newsletter.{0,100}"
    r"|newsletter sign[- ]?up.{0,60}"
    r"|.{0,150}\b(?:straight|directly|delivered|sent) to your inbox\b.{0,150}"
    # Share, follow and tip prompts.
    r"|share (?:or comment on )?(?:this(?: article| story| page| post)?|on (?:facebook|twitter"
    r"|x|linkedin|whatsapp|email|reddit))(?:\s*[:|].{0,60})?"
    r"|(?:follow|join)\s.{0,80}(?:\bon (?:facebook|twitter|x|instagram|threads|bluesky|tiktok"
    r"|linkedin|whatsapp|telegram|google news)(?![\w-])|\b(?:whatsapp|telegram) channel\b)"
    r".{0,150}"
    r"|.{0,150}\band follow\s.{0,150}\bon (?:x|twitter|facebook|instagram|bluesky)(?![\w-])"
    r".{0,100}"
    r"|(?:got|have) an? (?:news )?(?:tip|story(?: idea)?|question)\?.{0,120}"
    r"|send (?:us )?your (?:story ideas?|news tips?|tips?)\b.{0,120}"
    # Photo credits: "Photo: Reuters", "Image source, X", "(AP Photo/Name)", "(Photo by X/AFP via
    # Getty Images)", "Photo/Illustration ..." (with the misspelling one English outlet uses).
    r"|(?:photo|image|picture|photograph|photo credit|image credit|credit)s?\s*:.{0,200}"
    r"|image (?:source|caption)\s*[:,].{0,200}"
    r"|photo/illu?s?tration\b.{0,250}"
    r"|\((?:[a-z]+ )?photos? by\b[^)]{0,120}\)"
    r"|\((?:[a-z]+ )?photo/[^)]{1,80}\)"
    r"|\(?(?:reuters|ap|afp|kyodo|jiji|ap photo|getty images)\)?"
    r"|[^.!?]{0,100}\b(?:getty images|ap photo|/reuters|/afp|/ap)\)?"
    # Wire sign-offs: "Reporting by A; Editing by B", and credits of a translated original.
    r"|(?:additional )?reporting by .{0,200}?(?:;|editing by|writing by).{0,200}"
    r"|(?:writing|editing) by [^.]{0,150}"
    r"|\((?:[a-z]+ )?original by .{1,150}\)"
    # Republishing notes, copyright lines and comment counts.
    r"|this (?:article|story|post|piece) (?:was |is )?(?:originally |first )?"
    r"(?:published|republished|appeared)\b.{0,250}"
    r"|(?:©|\(c\)|copyright ©?\s*\d{4}).{0,250}"
    r"|.{0,200}\ball rights reserved\b.{0,200}"
    r"|a version of this (?:article|story) appear(?:s|ed) in print\b.{0,300}"
    # Paywall prompts.
    r"|subscribe (?:now |today )?to (?:continue|keep) reading\b.{0,80}"
    r"|already a (?:subscriber|member)\?.{0,80}"
    r"|(?:get|enjoy) unlimited (?:digital )?access\b.{0,150}"
    # Social embeds as text: a post's signature "— Name (@handle) September 1, 2024", a
    # picture link, Instagram's frame.
    r"|.{0,350}(?:pic\.twitter\.com/\w+|[—–]\s*[^()]{1,60}\(@\w{1,30}\)\s*(?:[a-z]+\.? \d{1,2},"
    r" \d{4})?)"
    r"|view this post on instagram|a post shared by .{1,100}"
    # Update stamps without a date ("LIVE Updated 11:15pm", "Updated 2 hours ago").
    r"|(?:live\s+)?(?:updated|last updated)\s*:?\s*(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?"
    r"(?:\s+[a-z]{2,4})?|\d+ (?:minutes?|hours?|days?) ago)"
    r"|\d[\d,]*\s+comments?|comments?\s*\(\d[\d,]*\)|view \d[\d,]* comments|leave a comment"
    r"|add (?:a )?new comment"
    r")$"
)
# A heading that opens a list of links ("Related Topics", "More on this story"): the short lines
# after it are the links' titles, not story text.
LINK_LIST_HEADING = re.compile(
    r"(?i)^(?:related(?: articles| stories| coverage| content| news| posts| topics| links)?"
    r"|more on this story|explore more on these topics|read more|see also|recommended"
    r"(?: stories| reading)?)\s*:?$"
)
LINK_TITLE_MAX_WORDS = 14
SENTENCE_END = re.compile(r"[.!?…:;\"”’)]$")


def is_furniture(block: str) -> bool:
    """A line that is page furniture wherever it stands: link prompts ("Read more: ...",
    "Related"), newsletter, share, follow and tip prompts, photo credits, wire sign-offs,
    republishing notes, copyright lines and comment counts."""
    return len(block) <= 400 and bool(FURNITURE.match(block))


def body(
    tree: html.HtmlElement,
    url: str = "",
    title_text: str | None = None,
    site: set[str] | frozenset[str] = frozenset(),
    people: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """Story paragraphs: trafilatura's blocks without generic furniture, the headline (also as
    the document titles give it, site name included: share widgets repeat it), the byline and
    date lines, the site's name (a logo's text), a bio line of one of the PEOPLE who wrote it,
    and the link titles listed under a "Related" heading."""
    kept: list[str] = []
    in_link_list = False
    titles = _document_titles(tree)
    for block in main_blocks(tree, url, split_breaks=True):
        if block in titles:
            continue
        if in_link_list and _is_link_title(block):
            continue
        in_link_list = bool(LINK_LIST_HEADING.match(block))
        if in_link_list or is_furniture(block) or block == title_text or _is_meta_line(block):
            continue
        if block.lower() in site or _is_author_bio(block, people):
            continue
        kept.append(block)
    return kept


def _is_link_title(block: str) -> bool:
    return len(block.split()) <= LINK_TITLE_MAX_WORDS and not SENTENCE_END.search(block)


AUTHOR_BIO_MAX_WORDS = 40


def _is_author_bio(block: str, people: list[str] | tuple[str, ...]) -> bool:
    """ "Ann Lee, Lecturer in Ecology, University of the North" or "Ann Lee is a reporter ...":
    a short line that opens with the name of one who wrote the story (writers do not name
    themselves in their story's paragraphs)."""
    if len(block.split()) > AUTHOR_BIO_MAX_WORDS:
        return False
    return any(block.startswith((f"{name}, ", f"{name} is ")) for name in people)


_HEAD_TITLE = etree.XPath("/html/head/title")


def _document_titles(tree: html.HtmlElement) -> set[str]:
    """The page's <title> and og:title as written (before trafilatura prunes the tree)."""
    found = {clean_text(text_of(element)) for element in _HEAD_TITLE(tree)}
    og = _meta(tree, "og:title")
    return {t for t in (*found, clean_text(og) if og else "") if t}


def main_blocks(tree: html.HtmlElement, url: str = "", split_breaks: bool = False) -> list[str]:
    """What metadata.generic_blocks gives, from trafilatura's document tree rather than its XML
    text (no serialising and parsing again, no fingerprint: about a tenth less time).

    With SPLIT_BREAKS, a block is also cut where two line breaks in a row stand: the paragraphs
    of pages that separate them with <br><br> instead of <p> (older and hand-made CMSs)."""
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
    blocks = [
        element
        for element in document.body.iter(*BLOCK_TAGS)
        if element.getparent().tag not in BLOCK_TAGS
    ]
    if not split_breaks:
        texts = [clean_text("".join(element.itertext())) for element in blocks]
        return [text for text in texts if text]
    found = []
    for element in blocks:
        if element.find(".//lb") is None:
            found.append(clean_text("".join(element.itertext())))
        else:
            found += [clean_text(part) for part in _split_at_double_breaks(element)]
    return [text for text in found if text]


_BREAK = "\x00"
_DOUBLE_BREAK = re.compile(rf"{_BREAK}\s*{_BREAK}")


def _split_at_double_breaks(element: etree._Element) -> list[str]:
    parts: list[str] = []
    _text_with_breaks(element, parts)
    return [part.replace(_BREAK, " ") for part in _DOUBLE_BREAK.split("".join(parts))]


def _text_with_breaks(element: etree._Element, parts: list[str]) -> None:
    """As "".join(element.itertext()), with a mark for each trafilatura line break (<lb/>)."""
    parts.append(_BREAK if element.tag == "lb" else element.text or "")
    for child in element:
        _text_with_breaks(child, parts)
        parts.append(child.tail or "")


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
def parse_article(
    page: str | bytes | html.HtmlElement, url: str, tz: str = "UTC"
) -> dict[str, Any]:
    """The article of PAGE: "title", "published" (ISO 8601 with offset, or None when only a
    date is known: "published_date"), "published_zone_assumed" (the page named no zone and TZ
    was taken), "modified", "authors" (people only), "body" (paragraphs joined by a blank
    line), "description", "time_candidates" ({"published": [(source, raw), ...], "modified":
    [...]}, every raw candidate in trust order, as `_time_candidates` yields them) and
    "sources" (where each field was found), and "url" (the page's canonical URL on its host,
    see links.canonical)."""
    tree = metadata.parse_html(page)
    canonical_url = links.canonical(tree, url)
    ld = json_ld(tree)
    head = title(tree, ld, url)
    # Raw, in trust order, for the timestamps pipeline (which gives the crawl's `published`);
    # read once, and the found times read from them (as `published` and `modified` do).
    candidates = {
        "published": list(_time_candidates(tree, ld, "datePublished", PUBLISHED_META, False)),
        "modified": list(_time_candidates(tree, ld, "dateModified", MODIFIED_META, True)),
    }
    first = first_time(iter(candidates["published"]), tz)
    last = first_time(iter(candidates["modified"]), tz)
    people, authors_source = authors(tree, ld)
    description, description_source = _description(tree, ld)
    # last: trafilatura may prune the tree
    blocks = body(tree, url, head.value, site_names(tree, ld), people)
    return {
        "title": head.value,
        "published": first.value,
        "published_date": first.date if first.value is None else first.value[:10],
        "published_zone_assumed": first.zone_assumed,
        "modified": last.value,
        "authors": people,
        "body": "\n\n".join(blocks),
        "description": description,
        "time_candidates": candidates,
        "url": canonical_url,
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
