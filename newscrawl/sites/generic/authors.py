"""The generic reader's authors: people's names from JSON-LD, author links and bylines; roles,
organisations, e-mails and CMS user ids left out."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree, html

from newscrawl.page import Page
from newscrawl.page.jsonld import ld_name, ld_types
from newscrawl.page.time_candidates import SHORT_LINE_INLINE, SHORT_LINE_TAGS, short_text
from newscrawl.text import clean_text, text_of

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
ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})
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
_LOWER = "translate(normalize-space(.), 'ABCDEINOPRSTUWY', 'abcdeinoprstuwy')"
# "By ...", "Written by ...", "Submitted by ... on <date>" (Drupal), "Posted by ..." (blogs); a
# <strong>/<b> too ("<strong>By Ann Lee</strong><span>Bay Post, Tokyo</span>").
_BY_LINES = etree.XPath(
    short_text((*SHORT_LINE_TAGS, "strong", "b"), SHORT_LINE_INLINE)
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
# On a page in a Latin-script language, a name without a Latin letter is a CMS account
# ("読売 太郎"), not the byline.
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")
LATIN_LANGUAGES = frozenset("en fr de es it pt nl sv da no nb fi pl cs id ms tr ro hu".split())


def authors(page: Page) -> tuple[list[str], str | None]:
    """Person names and where they came from; organisations, roles and user ids left out."""
    tree, names = page.tree, page.site_names
    latin = _latin_page(page)
    ids = {o["@id"]: o for o in page.json_ld if isinstance(o.get("@id"), str) and o.get("name")}
    groups = [_ld_author_names(v, ids) for v in page.ld_values("author")[:1]]
    if found := _people(groups, names, latin):
        return found, "json-ld:author"
    for source, xpath in BYLINE_XPATHS[1:]:
        groups = [_byline_parts(e) for e in _innermost(xpath(tree))]
        if found := _people(groups, names, latin, HTML_NAME_MIN_WORDS):
            return found, source
    meta = page.meta("author")
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


def _latin_page(page: Page) -> bool:
    lang = (page.root.get("lang") or "").lower()
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
    if ld_types(value) & ORGANISATION_TYPES:
        return []
    name = ld_name(value)
    return split_byline(name) if name else []


def split_byline(text: str) -> list[str]:
    """Parts of a byline: "By A and B, Staff Writers" -> ["A", "B", "Staff Writers"]."""
    text = BY.sub("", clean_text(text))
    parts = NAME_SEPARATORS.split(text)
    return [BY.sub("", p).strip(" .:-–—") for p in parts if p and p.strip(" .:-–—")]


def is_person(
    name: str, site_names: set[str] | frozenset[str] = frozenset(), latin_page: bool = False
) -> bool:
    """A person's name: not a role, an organisation, an e-mail, a URL or a CMS user id."""
    lowered = name.lower()
    if latin_page and not LATIN_LETTER.search(name):
        return False
    if lowered in site_names or lowered in ORGANISATIONS:
        return False
    if lowered.removeprefix("the ") in site_names:
        return False
    if HANDLE.match(name) or NOT_NAME.search(name) or ROLE_WORDS.search(name):
        return False
    words = name.split()
    if any(word.lower() in NOT_NAME_WORDS for word in words):
        return False
    return 1 <= len(words) <= 5 and len(name) <= 60


def _people(
    groups: list[list[str]],
    site_names: frozenset[str],
    latin_page: bool,
    min_words: int = 1,
) -> list[str]:
    people: list[str] = []
    for group in groups:
        people += [
            n
            for n in group
            if len(n.split()) >= min_words
            and is_person(n, site_names, latin_page)
            and n not in people
        ]
    return people
