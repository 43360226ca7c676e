"""Text helpers shared by the page parsers and the pipelines."""

from __future__ import annotations

import html
import re

from lxml import etree

# C0 controls (other than whitespace) and DEL never belong in article text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_TAG = re.compile(r"<[^>]{0,500}>")

# Elements whose text is never visible article text.
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template"})


def clean_text(value: str | None) -> str:
    """Collapse whitespace, drop control characters and strip; None becomes ''.

    Whitespace is what Python's \\s matches (str.split() splits at exactly those characters): the
    en space U+2002, NBSP, U+2028/U+2029 and NEL all become one plain space."""
    if not value:
        return ""
    return " ".join(_CONTROLS.sub("", value).split())


def text_of(
    element: etree._Element, skip: frozenset[str] = frozenset(), line_break: str = " "
) -> str:
    """Visible text of an element: inline markup joined, <br> as LINE_BREAK, scripts and SKIP
    tags (with their text) left out."""
    tag = element.tag
    if not len(element) and isinstance(tag, str) and tag != "br":
        # No child elements (most paragraphs): the element's own text, when it is visible.
        return "" if tag in INVISIBLE_TAGS or tag in skip else clean_text(element.text)
    parts: list[str] = []
    _collect_text(element, parts, INVISIBLE_TAGS | skip, line_break)
    return clean_text("".join(parts))


def _collect_text(
    element: etree._Element, parts: list[str], skip: frozenset[str], line_break: str
) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        parts.append(line_break)
    elif tag and tag not in skip:
        parts.append(element.text or "")
        for child in element:
            _collect_text(child, parts, skip, line_break)
            parts.append(child.tail or "")


def strip_markup(value: str | None) -> str:
    """Plain text of a metadata value that may hold literal markup or entities (og:description)."""
    if not value:
        return ""
    text = _TAG.sub(" ", value)
    if _ENTITY.search(text):
        text = html.unescape(text)
    return clean_text(text)
