"""The Japan News: the story's paragraphs and its photos.

The 2024 article block is read exactly; without it, trafilatura's main text of the page
(newscrawl.page: Page.main_blocks) minus what the page's other fields account for.
"""

from __future__ import annotations

import re

from lxml import etree, html

from newscrawl.page import Page
from newscrawl.sites.japannews.byline import DATE_LINE, is_byline
from newscrawl.sites.japannews.furniture import IN_CHROME
from newscrawl.sites.japannews.urls import site_url
from newscrawl.text import text_of

# Paragraphs, sub-headings and list items of the 2024 article block.
BODY_BLOCKS = ("p", "h2", "h3", "h4", "li")
_BODY_BLOCKS = frozenset(BODY_BLOCKS)
NOT_BODY_CLASSES = frozenset({"byline", "postdate"})
# Photo captions: never story text, wherever the figure sits (even inside a paragraph).
CAPTION_TAGS = frozenset({"figure", "figcaption"})
CAPTION_CLASS = re.compile(r"caption")

_FIGCAPTIONS = etree.XPath("//figcaption")
_BLOCK_FIGURES = etree.XPath(".//figure[.//img]")
# Outside the 2024 article block only captioned photos count: thumbnails of lists have none.
_PAGE_FIGURES = etree.XPath(f".//figure[.//img][.//figcaption][not({IN_CHROME})]")
_IMG = etree.XPath(".//img")
_FIGCAPTION = etree.XPath(".//figcaption")
_SPAN = etree.XPath("./span")


def body_blocks(block: html.HtmlElement) -> list[str]:
    """The text of each paragraph, heading and list item of the article block, in page order:
    not one inside another such block or a figure, nor a caption, byline or date line."""
    blocks: list[str] = []
    _collect_blocks(block, blocks)
    return blocks


def _collect_blocks(parent: html.HtmlElement, blocks: list[str]) -> None:
    # One walk that does not enter what cannot hold a body block: a body block (what lies inside
    # it is part of it), a figure or its caption, an element whose class says caption.
    for element in parent:
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        classes = element.get("class") or ""
        if tag in _BODY_BLOCKS:
            if classes and (
                CAPTION_CLASS.search(classes) or not NOT_BODY_CLASSES.isdisjoint(classes.split())
            ):
                continue
            if text := text_of(element, skip=CAPTION_TAGS):
                blocks.append(text)
        elif tag not in CAPTION_TAGS and not (classes and CAPTION_CLASS.search(classes)):
            _collect_blocks(element, blocks)


def fallback_body(page: Page, skip: set[str | None]) -> list[str]:
    """Generic main text minus what the page's metadata already accounts for: the SKIP lines
    (title, byline, date line), captions, date lines and bylines."""
    captions = {text_of(c) for c in _FIGCAPTIONS(page.tree)}
    blocks = []
    for text in page.main_blocks:
        if text in skip or text in captions or DATE_LINE.match(text) or is_byline(text):
            continue
        blocks.append(text)
    return blocks


def images(scope: html.HtmlElement, url: str, whole_page: bool) -> list[dict[str, str | None]]:
    """The photos of SCOPE (the article block, or the WHOLE_PAGE outside the chrome) with
    their captions and credits."""
    figures = _PAGE_FIGURES if whole_page else _BLOCK_FIGURES
    found = []
    for figure in figures(scope):
        src = _image_source(_IMG(figure)[0], url)
        if src:
            caption, credit = _caption_and_credit(figure)
            found.append({"url": src, "caption": caption, "credit": credit})
    return found


def _image_source(img: html.HtmlElement, page_url: str) -> str | None:
    """The real image of a possibly lazy-loaded <img>; placeholders (data: URIs) do not count."""
    srcset = (img.get("srcset") or img.get("data-srcset") or "").split(",")[0].split()
    for candidate in (img.get("data-src"), img.get("data-lazy-src"), *srcset[:1], img.get("src")):
        if candidate and candidate.strip():
            absolute = site_url(candidate.strip(), page_url)
            if absolute.startswith(("http://", "https://")):
                return absolute
    return None


def _caption_and_credit(figure: html.HtmlElement) -> tuple[str | None, str | None]:
    caption = _first(_FIGCAPTION(figure))
    if caption is None:
        return None, None
    credit = _first(_SPAN(caption))
    credit_text = text_of(credit) if credit is not None else ""
    full = text_of(caption)
    if credit_text and full.startswith(credit_text):
        full = full[len(credit_text) :].strip()
    return full or None, credit_text or None


def _first(elements: list[html.HtmlElement]) -> html.HtmlElement | None:
    return elements[0] if elements else None
