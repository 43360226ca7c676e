"""The page's main text as trafilatura finds it: its blocks (paragraphs, headings, list items,
quotes) in page order. The project's one trafilatura wrapper.

trafilatura copies a tree it is handed before it cleans it (core.bare_extraction), so the
page's tree is left as it was and the other readers may run before or after this one."""

from __future__ import annotations

import re

from lxml import etree, html

from newscrawl.text import clean_text

# trafilatura's names for text blocks; a block inside a block is part of its parent. A table
# row is one block (its cells' text in order), and so is a code listing.
BLOCK_TAGS = frozenset({"p", "head", "item", "quote", "row", "code"})


def main_body(tree: html.HtmlElement, url: str = "") -> etree._Element | None:
    """trafilatura's document body of TREE (read from its document tree rather than its XML
    text: no serialising and parsing again, no fingerprint); None when it finds no text."""
    import trafilatura  # here: a crawl whose site module reads every page never loads it

    document = trafilatura.bare_extraction(
        tree,
        url=url or None,
        include_comments=False,
        # Tables are story text on real pages (benchmarks/score_generic.py: body F1 up on both
        # labelled sources). favor_recall scores about the same overall, but skips the
        # comparison with readability that rescues pages it cuts to a tenth.
        include_tables=True,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
    )
    if document is None or document.body is None:
        return None
    return document.body


def blocks(body: etree._Element | None, split_breaks: bool = False) -> list[str]:
    """The text of each block of BODY (not one inside another), cleaned, the empty ones left
    out. Text between blocks is a block of its own: trafilatura leaves a paragraph that
    follows a heading without a <p> as the heading's tail.

    With SPLIT_BREAKS, a block is also cut where two line breaks in a row stand: the paragraphs
    of pages that separate them with <br><br> instead of <p> (older and hand-made CMSs)."""
    if body is None:
        return []
    found = []
    for piece in _pieces(body):
        if isinstance(piece, str):
            found += _paragraphs(piece, split_breaks)
        else:  # a table row is one paragraph, whatever breaks its cells hold
            found += _paragraphs(_text(piece), split_breaks and piece.tag != "row")
    return [text for text in found if text]


def _text(block: etree._Element) -> str:
    """A block's text, with a space where a block, table cell or list inside it begins and
    ends ("WebIDE" in a heading and "Develop..." in the paragraph after it, or a table row's
    cells, must not run together as one word) and a mark for each line break (<lb/>)."""
    parts: list[str] = []
    _flat_text(block, parts)
    return "".join(parts)


_SPACED = BLOCK_TAGS | {"cell", "list"}


def _flat_text(element: etree._Element, parts: list[str]) -> None:
    parts.append(_BREAK if element.tag == "lb" else element.text or "")
    for child in element:
        spaced = child.tag in _SPACED
        parts.append(" " if spaced else "")
        _flat_text(child, parts)
        parts.append(" " if spaced else "")
        parts.append(child.tail or "")


def _paragraphs(text: str, split_breaks: bool) -> list[str]:
    """TEXT cleaned; with SPLIT_BREAKS, cut where two line breaks in a row stand."""
    parts = _DOUBLE_BREAK.split(text) if split_breaks else [text]
    return [clean_text(part.replace(_BREAK, " ")) for part in parts]


def _pieces(body: etree._Element) -> list[etree._Element | str]:
    """The blocks under BODY that are not inside another block, and the loose text between
    them (joined while no block comes between), in document order."""
    pieces: list[etree._Element | str] = []
    loose: list[str] = []
    _collect(body, pieces, loose)
    if loose:
        pieces.append("".join(loose))
    return pieces


def _collect(element: etree._Element, pieces: list, loose: list[str]) -> None:
    if element.text:
        loose.append(element.text)
    for child in element:
        if child.tag in BLOCK_TAGS:
            if loose:
                pieces.append("".join(loose))
                loose.clear()
            pieces.append(child)
        elif child.tag == "lb":
            loose.append(_BREAK)
        else:
            _collect(child, pieces, loose)
        if child.tail:
            loose.append(child.tail)


_BREAK = "\x00"
_DOUBLE_BREAK = re.compile(rf"{_BREAK}\s*{_BREAK}")
