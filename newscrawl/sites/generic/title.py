"""The generic reader's title: the headline as the page shows it, without the site's name.

Measured on real pages (issue 16): the headline readers see is the article's h1 far more often
than an SEO og:title or <title> that words it differently, so the displayed h1 wins where it
is a headline; the metadata titles name the h1 to take among several, and give the title when
the page has no usable h1. Site names are cut from the metadata titles at their separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import html

from newscrawl.page import Page
from newscrawl.text import INVISIBLE_TAGS, clean_text, strip_markup, text_of

# Between a headline and a site name: " - ", " | ", " » ", " :: ", " • ", " // ", "a|b", the
# full-width bar (CJK pages) and the Hangul letter ㅣ that Korean sites use as one.
CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef"
TITLE_SEPARATOR = re.compile(
    r"\s+(?:[-|–—·•⋆›»~:/]{1,2}|::)\s+"
    r"|\s*[|｜ㅣ]\s*"
    rf"|(?<=[{CJK}])\s*[-–—_]\s*(?=\S)"
)
_EDGE = " -|–—·•⋆›»~:/｜ㅣ_"
# Outlet names recognised in a title suffix even when the page does not name its site.
KNOWN_OUTLETS = re.compile(
    r"(?i)^(?:the japan news|reuters|bbc news|bbc|ap news|associated press|cnn|nhk world"
    r"|the guardian|the japan times|the mainichi|kyodo news|nikkei asia|al jazeera)$"
)
# What WordPress's default themes put between the blog's name and the post's: "Blog » Blog
# Archive » Post".
ARCHIVE_LABEL = re.compile(r"(?i)^blog[- ]?archi(?:ve|v)$")
# A title part is the site's name when it is this share of the host's own name, or more
# ("guardian" of theguardian.com, not "ai" of mainichi.jp).
SITE_SHARE_OF_HOST = 0.6
# Second-level labels under a country's domain: www.dailychronicle.co.uk is "dailychronicle".
SECOND_LEVEL = frozenset({"co", "com", "org", "ac", "or", "ne", "go"})
# A section label in the article's h1 ("Opinion", "Live updates") is no headline.
HEADLINE_MIN_WORDS = 3
# h1s a reader does not see as the page's headline: screen-reader and skip-link headings (one
# whole class name: Tailwind's "overflow-hidden" and "md:hidden" are visible), and those of the
# navigation, footer and sidebars.
HIDDEN_CLASS = re.compile(
    r"(?i)(?:hidden|invisible|sr-only|screen-reader(?:-text|-only)?|visually-?hidden"
    r"|element-invisible|aural|accessib\w*|navskip|skip(?:-?link|-to-content)?|off-?screen)$"
)
FURNITURE_TAGS = frozenset({"nav", "footer", "aside"})
# A kicker ("Climate", "Live", "Nach Corona-Lockerungen") stands in one of these at the start of
# an h1; <em>, <a> and the like at its start are part of the headline.
KICKER_TAGS = frozenset({"span", "small", "div", "p", "strong"})
KICKER_MAX_WORDS = 8
_INVISIBLE_CHARS = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class Title:
    value: str | None
    source: str | None


def title(page: Page, url: str = "") -> Title:
    """The displayed headline (an h1 that is a headline) when there is one, else the first of
    og:title, JSON-LD headline, twitter:title and <title> that is not only the site's name,
    its site-name suffix removed; None only when the page has no title, h1 or h2 at all."""
    h1s = _h1s(page)
    names = _site_names(page, url, [text for text, _ in h1s])
    metadata = [(s, strip_suffix(raw, names, url)) for s, raw in _metadata_titles(page)]
    metadata = [(s, text) for s, text in metadata if text and not _is_site_name(text, names, url)]
    h1 = _displayed_h1(h1s, names, url, [text for _, text in metadata])
    if h1 and metadata:
        return _choose(h1, metadata[0])
    if h1:
        return Title(h1[0], "h1")
    if metadata:
        return Title(*reversed(metadata[0]))
    return _last_resort(page)


def _choose(h1: tuple[str, html.HtmlElement], metadata: tuple[str, str]) -> Title:
    """The h1 readers see, or the metadata title when the h1 is that title with more in it: a
    kicker, date or subtitle in an element of its own ("<h1><small>Tunisia</small> Big tasks
    for the new government</h1>"), or a site name after a separator."""
    (shown, element), (source, text) = h1, metadata
    meta = _plain(text)
    if meta != _plain(shown) and (
        meta in {_plain(part) for part in _parts(element)} or _begins(_plain(shown), meta)
    ):
        return Title(text, source)
    return Title(shown, "h1")


def _parts(element: html.HtmlElement) -> Iterator[str]:
    """ELEMENT's own leading text, and the text and tail of each element inside it."""
    yield element.text or ""
    for inner in element.iterdescendants():
        yield text_of(inner)
        yield inner.tail or ""


def _begins(text: str, head: str) -> bool:
    """TEXT is HEAD, a separator and more."""
    return text.startswith(head) and bool(TITLE_SEPARATOR.match(text[len(head) :]))


def _plain(text: str) -> str:
    """TEXT as compared with another title: soft hyphens ("Mes\xadsen\xadger") and zero-width
    characters left out, whitespace collapsed, case folded."""
    text = _INVISIBLE_CHARS.sub("", text)
    return " ".join(text.split()).casefold()


def _metadata_titles(page: Page) -> Iterator[tuple[str, str]]:
    if og := page.meta("og:title"):
        yield "meta:og:title", strip_markup(og)
    for value in page.ld_values("headline"):
        if isinstance(value, str):
            yield "json-ld:headline", strip_markup(value)
    if twitter := page.meta("twitter:title"):
        yield "meta:twitter:title", strip_markup(twitter)
    for element in page.tree.xpath("//title"):
        yield "title", text_of(element)


def _h1s(page: Page) -> list[tuple[str, html.HtmlElement]]:
    """Each h1 a reader sees and its text, those inside an <article> or <main> first."""
    inside, outside = [], []
    for h1 in page.tree.xpath("//h1"):
        if _is_hidden(h1) or not (text := _without_kicker(h1)):
            continue
        ancestors = {a.tag for a in h1.iterancestors()}
        if ancestors & {"article", "main"}:
            inside.append((text, h1))
        elif not ancestors & FURNITURE_TAGS:
            outside.append((text, h1))
    return inside + outside


def _without_kicker(h1: html.HtmlElement) -> str:
    """The h1's text without a kicker that opens it in an element of its own ("<h1><span
    class=kicker>Climate</span> Drilling until it gets hot</h1>"): the headline is the rest."""
    core = h1
    while not (core.text or "").strip() and len(kids := _visible_children(core)) == 1:
        if (kids[0].tail or "").strip():
            break
        core = kids[0]
    kids = _visible_children(core)
    if (core.text or "").strip() or len(kids) < 1 or not _is_kicker(kids[0]):
        return text_of(h1)
    rest = [(kids[0].tail or "")] + [
        text_of(k) + (k.tail or "") for k in kids[1:] if not _is_hidden(k)
    ]
    headline = clean_text(" ".join(rest)).lstrip(_EDGE)
    # "<span>Feud</span> of the couple escalates": a styled first word the sentence goes on from.
    if len(headline.split()) < 2 or headline[0].islower():
        return text_of(h1)
    return headline


def _visible_children(element: html.HtmlElement) -> list[html.HtmlElement]:
    return [k for k in element if isinstance(k.tag, str) and k.tag not in INVISIBLE_TAGS]


def _is_kicker(element: html.HtmlElement) -> bool:
    """A short label in a block or a styled span of its own, not inline emphasis."""
    if element.tag not in KICKER_TAGS or (element.tag == "span" and not element.get("class")):
        return False
    return 0 < len(text_of(element).split()) <= KICKER_MAX_WORDS


def _is_hidden(element: html.HtmlElement) -> bool:
    for node in (element, *element.iterancestors("header", "div", "section")):
        if any(HIDDEN_CLASS.match(name) for name in (node.get("class") or "").split()):
            return True
        if node is not element:
            break
    return False


def _displayed_h1(
    h1s: list[tuple[str, html.HtmlElement]], names: frozenset[str], url: str, metadata: list[str]
) -> tuple[str, html.HtmlElement] | None:
    """The h1 that the metadata titles name (equal to one, else beginning or ending one), else
    the first that reads as a headline; site names and section labels are no headlines."""
    candidates = [h for h in h1s if not _is_site_name(h[0], names, url)]
    headlines = [h for h in candidates if _is_headline(h[0])]
    plain = [_plain(m) for m in metadata]
    # A short h1 that begins a title is its headline ("Penny" in "Penny - Stardew Valley
    # Wiki"); one that ends it is a label ("Opinion" in "Fix the roads | Opinion").
    passes = ((str.__eq__, candidates), (_starts, candidates), (_overlaps, headlines))
    for matches, among in passes:
        for m in plain:
            if found := next((h for h in among if matches(_plain(h[0]), m)), None):
                return found
    # With no metadata title to read instead, a short h1 is the best title there is.
    return next(iter(headlines if metadata else candidates), None)


def _starts(h1: str, metadata: str) -> bool:
    """H1 begins METADATA, or METADATA begins H1, at a word boundary."""
    short, long = sorted((h1, metadata), key=len)
    return long.startswith(short + " ")


def _overlaps(h1: str, metadata: str) -> bool:
    """H1 equals METADATA, or one begins or ends the other at a word boundary."""
    short, long = sorted((h1, metadata), key=len)
    return short == long or long.startswith(short + " ") or long.endswith(" " + short)


def _is_headline(text: str) -> bool:
    return len(text.split()) >= HEADLINE_MIN_WORDS


def _site_names(page: Page, url: str, h1s: list[str]) -> frozenset[str]:
    """The page's site names, and an h1 that the <title> gives as the site's part."""
    names = set(page.site_names)
    headlines = {
        _plain(t)
        for t in (page.meta("og:title"), *page.ld_values("headline"))
        if isinstance(t, str)
    }
    for element in page.tree.xpath("//title"):
        document = text_of(element)
        if not _is_site_name(TITLE_SEPARATOR.split(document)[0], names, url):
            names.update(_h1_site_names(document, h1s, headlines))
    return frozenset(names)


def _h1_site_names(document: str, h1s: list[str], headlines: set[str]) -> set[str]:
    """The h1s that DOCUMENT (the <title>) gives as the site's part after the headline ("Post
    title | My Blog" with <h1>My Blog</h1>: the blog's name as the page's logo), unless
    og:title or a JSON-LD headline says it is the headline. A site's name is the shorter part
    ("News - Council votes on the budget" names no site "Council votes on the budget")."""
    found = set()
    for h1 in h1s:
        shown = _plain(h1)
        if shown in headlines:
            continue
        parts = TITLE_SEPARATOR.split(document)
        before = " ".join(parts[:-1]).split()
        if len(parts) > 1 and _plain(parts[-1]) == shown and len(h1.split()) <= len(before):
            found.add(h1.lower())
    return found


def _last_resort(page: Page) -> Title:
    """A page whose every title is its site's name: the first h2, else that name (an item
    without a title is dropped, and a page with a heading is not untitled)."""
    for source, xpath in (("h2", "//h2"), ("title", "//title"), ("h1", "//h1")):
        for element in page.tree.xpath(xpath):
            if text := text_of(element):
                return Title(text, source)
    return Title(None, None)


def strip_suffix(
    text: str, names: set[str] | frozenset[str], url: str = "", h1: str | None = None
) -> str:
    """TEXT without its trailing (or leading) site names after separators ("Post - Blog -
    Blog" gives "Post")."""
    if h1 and text != h1 and text.startswith(h1) and TITLE_SEPARATOR.match(text[len(h1) :]):
        return h1
    while (shorter := _strip_once(text, names, url)) != text:
        text = shorter
    return text


def _strip_once(text: str, names: set[str] | frozenset[str], url: str) -> str:
    parts = TITLE_SEPARATOR.split(text)
    if len(parts) < 2:
        return text
    last, first = parts[-1], parts[0]
    if _is_site_name(last, names, url):
        return text[: text.rfind(last)].rstrip(_EDGE)
    if _is_site_name(first, names, url):
        rest = text[len(first) :].lstrip(_EDGE)
        archive = TITLE_SEPARATOR.split(rest)[0]
        return rest[len(archive) :].lstrip(_EDGE) if ARCHIVE_LABEL.match(archive) else rest
    return text


def _is_site_name(part: str, names: set[str] | frozenset[str], url: str) -> bool:
    if part.lower() in names or KNOWN_OUTLETS.match(part):
        return True
    squashed = re.sub(r"[^a-z0-9]", "", part.lower()).removeprefix("the")
    if not squashed or len(part.split()) > 4:
        return False
    label = _host_label(url)
    # "Daily Chronicle" on dailychronicle.example, and "Daily Chronicle Online" too: the host
    # names the site, the title suffix may add a word ("Online", "News", "Today").
    if not label:
        return False
    extra = squashed[len(label) :]
    most = len(squashed) >= SITE_SHARE_OF_HOST * len(label) and (
        label.startswith(squashed) or label.endswith(squashed)
    )
    return most or (len(label) >= 8 and squashed.startswith(label) and extra.isalpha())


def _host_label(url: str) -> str:
    """The host's own name: "dailychronicle" for www.dailychronicle.co.uk."""
    labels = (urlsplit(url).hostname or "").split(".")
    if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        labels = labels[:-1]
    name = labels[-2] if len(labels) >= 2 else ""
    return name.replace("-", "") if len(name) > 3 else ""
