"""The Japan News: an article page read into the item's fields.

Where a fact is only likely, each reader has a fallback chain: the 2024 selectors first, then
the page's metadata (newscrawl.page: meta tags and the article's JSON-LD), then the generic
main text. Facts and how sure they are: docs/site-japannews.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from lxml import etree, html

from newscrawl.page import Page
from newscrawl.page.jsonld import ld_text
from newscrawl.sites.japannews.body import body_blocks, fallback_body, images
from newscrawl.sites.japannews.byline import byline, parse_authors, postdate
from newscrawl.sites.japannews.urls import SITE, article_path, canonical_url
from newscrawl.text import clean_text, strip_markup, text_of

# -- Selectors (2024 layout; exact class and id names) -----------------------------------------
ARTICLE_BLOCK = "//div[@id='p-article-block']"
HEADLINE = ["//div[contains(@class,'bloc_1')]//h1", "//main//h1", "//h1"]
# Tag links read "#Tag" (2026 snapshots); a link to a tag page inside the story is not a tag.
TAG_LINKS = (
    "//a[@rel='tag' or (contains(@href,'/tag/') and starts-with(normalize-space(.),'#'))]"
    # The "Hot word :" bar links site-wide topics, not this article's tags.
    "[not(parent::*[starts-with(normalize-space(.),'Hot word')])]"
    "[not(../parent::*[starts-with(normalize-space(.),'Hot word')])]"
)

# Compiled once (an XPath string is compiled again on each tree.xpath call).
_ARTICLE_BLOCK = etree.XPath(ARTICLE_BLOCK)
_BLOCK_BY_ID = etree.XPath("id('p-article-block')")
_HEADLINES = [etree.XPath(xpath) for xpath in HEADLINE]
_TITLE = etree.XPath("//title")
_TAG_LINKS = etree.XPath(TAG_LINKS)
_BODY_CLASS = etree.XPath("//body/@class")
_SET_TAGS_SCRIPTS = etree.XPath("//script[contains(., 'setTags')]/text()")

# -- Text patterns ------------------------------------------------------------------------------
SHORTLINK_ID = re.compile(r"[?&]p=(\d+)")
POSTID_CLASS = re.compile(r"\bpostid-(\d+)\b")
TITLE_SUFFIX = re.compile(r"\s*[-|–—]\s*The Japan News\s*$")
# A page title that is only the site's name (or its tagline) names no article.
SITE_TITLE = re.compile(r"(?i)^the japan news(\s*[-|–—:].*)?$")
SET_TAGS = re.compile(r"""setTags["']\s*,\s*\[(?P<tags>[^\]]*)\]""")
PREMIUM_VALUES = frozenset(
    {"premium", "paid", "member", "members", "subscriber", "premium-article"}
)


def parse_article(page: str | bytes | html.HtmlElement | Page, url: str) -> dict[str, Any]:
    """The article's fields as the pipelines expect them (times still raw, text not yet cleaned).

    PAGE is anything newscrawl.page.Page.of takes: a Page is read as it is, never parsed again.
    Raises nothing on odd pages: what cannot be read is left empty for validation to judge.
    """
    page = Page.of(page, url)
    tree = page.tree
    ld = page.article_ld
    url = _page_url(page, url)
    path = article_path(url)
    block = _article_block(tree)
    flags: list[str] = [] if block is not None else ["fallback_layout"]
    title = _title(page, ld)
    found_byline = byline(tree, block)
    date_line = postdate(tree, block)
    blocks = body_blocks(block) if block is not None else []
    if not blocks:
        flags.append("fallback_body")
        blocks = fallback_body(page, skip={title, found_byline, date_line})
    post_id = _post_id(page, path)
    section, subsection = _sections(page, path)
    return {
        "id": f"{SITE}:{post_id}" if post_id else None,
        "site": SITE,
        "url": canonical_url(url),
        "section": section,
        "subsection": subsection,
        "title": title,
        "byline": found_byline,
        "authors": parse_authors(found_byline),
        "description": _description(page, ld),
        "body": "\n\n".join(blocks),
        "images": images(tree, url, whole_page=True)
        if block is None
        else images(block, url, False),
        "tags": _tags(page),
        "access": _access(page),
        "flags": flags,
        "time_candidates": {
            "published": _candidates(
                ("meta:article:published_time", page.meta("article:published_time")),
                ("json-ld:datePublished", ld_text(ld, "datePublished")),
                ("postdate", date_line),
            ),
            "modified": _candidates(
                ("meta:article:modified_time", page.meta("article:modified_time")),
                ("json-ld:dateModified", ld_text(ld, "dateModified")),
            ),
        },
    }


def _article_block(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The first div#p-article-block. libxml2 indexes ids as it parses (the first element of
    each id): a lookup, and the XPath walk only when that element is not a div."""
    found = _BLOCK_BY_ID(tree)
    if found and found[0].tag == "div":
        return found[0]
    blocks = _ARTICLE_BLOCK(tree)
    return blocks[0] if blocks else None


def _candidates(*pairs: tuple[str, str | None]) -> list[tuple[str, str]]:
    return [(source, raw) for source, raw in pairs if raw]


def _page_url(page: Page, url: str) -> str:
    """The canonical link when it is an article URL (the page may have been served elsewhere)."""
    canonical = page.link("canonical") or page.meta("og:url")
    if canonical and article_path(joined := urljoin(url, canonical)):
        return joined
    return url


def _post_id(page: Page, path: re.Match[str] | None) -> str | None:
    if path:
        return path["post_id"]
    shortlink = page.link("shortlink") or ""
    if match := SHORTLINK_ID.search(shortlink):
        return match[1]
    match = POSTID_CLASS.search(" ".join(_BODY_CLASS(page.tree)))
    return match[1] if match else None


def _sections(page: Page, path: re.Match[str] | None) -> tuple[str | None, str | None]:
    if path:
        return path["section"], path["subsection"]
    return None, page.meta("cXenseParse:yoj-category")


def _title(page: Page, ld: dict[str, Any]) -> str | None:
    for candidate in _title_candidates(page, ld):
        title = TITLE_SUFFIX.sub("", candidate).strip()
        if title and not SITE_TITLE.match(title):
            return title
    return None


def _title_candidates(page: Page, ld: dict[str, Any]) -> Iterator[str]:
    """In order of trust, each read only when the ones before it give no title."""
    tree = page.tree
    for h in _HEADLINES[0](tree)[:1]:
        yield text_of(h)
    yield strip_markup(page.meta("og:title"))
    yield strip_markup(ld_text(ld, "headline"))
    for xpath in _HEADLINES[1:]:
        for h in xpath(tree)[:1]:
            yield text_of(h)
    for t in _TITLE(tree)[:1]:
        yield text_of(t)


def _description(page: Page, ld: dict[str, Any]) -> str | None:
    """The site's chain: og:description, the description meta, then the article's own JSON-LD
    description (not another object's, as the generic reader may take)."""
    for raw in (page.meta("og:description"), page.meta("description"), ld_text(ld, "description")):
        if text := strip_markup(raw):
            return text
    return None


def _tags(page: Page) -> list[str]:
    tags = [clean_text(t) for t in page.meta_tags]
    tags += [text_of(a).lstrip("#").strip() for a in _TAG_LINKS(page.tree)]
    return list(dict.fromkeys(t for t in tags if t))


def _access(page: Page) -> str | None:
    value = (page.meta("cXenseParse:yoj-articletype") or "").lower()
    if value == "free":
        return "free"
    if value in PREMIUM_VALUES:
        return "premium"
    for script in _SET_TAGS_SCRIPTS(page.tree):
        if match := SET_TAGS.search(script):
            names = {t.strip().strip("'\"").lower() for t in match["tags"].split(",")}
            if "free" in names:
                return "free"
            if names & PREMIUM_VALUES:
                return "premium"
    return None
