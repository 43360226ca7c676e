"""The page's main text as trafilatura finds it: its blocks (paragraphs, headings, list items,
quotes) in page order. The project's one trafilatura wrapper.

trafilatura copies a tree it is handed before it cleans it (core.bare_extraction), so the
page's tree is left as it was and the other readers may run before or after this one."""

from __future__ import annotations

import re

import trafilatura
from lxml import etree, html

from newscrawl.text import clean_text

# trafilatura's names for text blocks; a block inside a block is part of its parent.
BLOCK_TAGS = frozenset({"p", "head", "item", "quote"})


def main_body(tree: html.HtmlElement, url: str = "") -> etree._Element | None:
    """trafilatura's document body of TREE (read from its document tree rather than its XML
    text: no serialising and parsing again, no fingerprint); None when it finds no text."""
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
        return None
    return document.body


def blocks(body: etree._Element | None, split_breaks: bool = False) -> list[str]:
    """The text of each block of BODY (not one inside another), cleaned, the empty ones left
    out.

    With SPLIT_BREAKS, a block is also cut where two line breaks in a row stand: the paragraphs
    of pages that separate them with <br><br> instead of <p> (older and hand-made CMSs)."""
    if body is None:
        return []
    elements = [e for e in body.iter(*BLOCK_TAGS) if e.getparent().tag not in BLOCK_TAGS]
    if not split_breaks:
        texts = [clean_text("".join(element.itertext())) for element in elements]
        return [text for text in texts if text]
    found = []
    for element in elements:
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
