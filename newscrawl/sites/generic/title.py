"""The generic reader's title: the page's headline without its site-name suffix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from newscrawl.page import Page
from newscrawl.text import strip_markup, text_of

TITLE_SEPARATOR = re.compile(r"\s+[-|–—·:]{1,2}\s+|\s*[|]\s*")
# Outlet names recognised in a title suffix even when the page does not name its site.
KNOWN_OUTLETS = re.compile(
    r"(?i)^(?:the japan news|reuters|bbc news|bbc|ap news|associated press|cnn|nhk world"
    r"|the guardian|the japan times|the mainichi|kyodo news|nikkei asia|al jazeera)$"
)
# A section label in the article's h1 ("Opinion", "Live updates") is no headline.
HEADLINE_MIN_WORDS = 3


@dataclass(frozen=True)
class Title:
    value: str | None
    source: str | None


def title(page: Page, url: str = "") -> Title:
    """og:title, JSON-LD headline, first h1, twitter:title, <title>: the first that is not only
    the site's name, its site-name suffix removed.

    An og:title that no other headline of the page repeats (JSON-LD headline, h1, <title>) is a
    social-media headline ("The cows that walk to work: ..."), not the one readers see: the h1
    is taken then."""
    names = page.site_names
    h1 = _first_h1(page)
    found: list[tuple[str, str]] = []
    for source, raw in _title_candidates(page, h1):
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


def _is_headline(text: str) -> bool:
    return len(text.split()) >= HEADLINE_MIN_WORDS


def _first_h1(page: Page) -> str | None:
    for xpath in ("//article//h1", "//main//h1", "//h1"):
        for h1 in page.tree.xpath(xpath):
            if text := text_of(h1):
                return text
    return None


def _title_candidates(page: Page, h1: str | None) -> Iterator[tuple[str, str]]:
    if og := page.meta("og:title"):
        yield "meta:og:title", og
    for value in page.ld_values("headline"):
        if isinstance(value, str):
            yield "json-ld:headline", value
    if h1:
        yield "h1", h1
    if twitter := page.meta("twitter:title"):
        yield "meta:twitter:title", twitter
    for element in page.tree.xpath("//title"):
        yield "title", text_of(element)


def strip_suffix(
    text: str, names: set[str] | frozenset[str], url: str = "", h1: str | None = None
) -> str:
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


def _is_site_name(part: str, names: set[str] | frozenset[str], url: str) -> bool:
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
