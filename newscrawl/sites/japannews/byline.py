"""The Japan News: the byline, the date line and the authors a byline names.

The site's byline reads "By A and B / Yomiuri Shimbun Staff Writers": its own roles and
organisations (JN_ROLE_WORDS, JN_ORGANISATIONS), not the generic reader's
(newscrawl.sites.generic.authors).
"""

from __future__ import annotations

import re

from lxml import etree, html

from newscrawl.text import clean_text, text_of

# -- Selectors (2024 layout; exact class names), and the fallbacks of an unknown layout --------
BYLINE = ".//p[contains(concat(' ',normalize-space(@class),' '),' byline ')]"
POSTDATE = ".//p[contains(concat(' ',normalize-space(@class),' '),' postdate ')]"
NOT_IN_FIGURE = "[not(ancestor::figure)]"
FALLBACK_BYLINE_CLASSES = (
    "//body//*[contains(@class,'byline') or contains(@class,'author')]" + NOT_IN_FIGURE
)
# Short text elements with no child elements but links and line breaks.
FALLBACK_BYLINE_LINES = (
    "//body//*[self::p or self::span or self::div or self::address]"
    "[not(*[not(self::a or self::br)])]" + NOT_IN_FIGURE
)

# Compiled once (an XPath string is compiled again on each tree.xpath call).
_BYLINE = etree.XPath(BYLINE)
_POSTDATE = etree.XPath(POSTDATE)
_FALLBACK_BYLINE_CLASSES = etree.XPath(FALLBACK_BYLINE_CLASSES)
_FALLBACK_BYLINE_LINES = etree.XPath(FALLBACK_BYLINE_LINES)
_JST_TEXT = etree.XPath("//body//text()[contains(., 'JST')]")

# -- Text patterns ------------------------------------------------------------------------------
# "17:41 JST, October 13, 2024" (an en space after the comma on the real site).
DATE_LINE = re.compile(r"^\d{1,2}:\d{2}\s*JST,?\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}$")
DATE_IN_TEXT = re.compile(
    r"(?<![\d:])\d{1,2}:\d{2}\s*JST,?\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}(?!\d)"
)
BYLINE_TEXT = re.compile(
    r"^By\s+(?P<names>[^/]{2,200}?)\s*/\s*(?P<role>[^/]{0,80}"
    r"(?:Writers?|Correspondents?|Editors?|Reporters?|Staff|Shimbun|Columnists?)[^/]{0,40})$"
)
ORGANISATION_BYLINE = re.compile(r"^(?:By\s+)?(?:The\s+)?Yomiuri\s+Shimbun$", re.IGNORECASE)
JN_NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
SLASH = re.compile(r"\s*/\s*")
# A byline part with one of these words is a role or an organisation, not a person.
JN_ROLE_WORDS = re.compile(
    r"\b(?:Writers?|Correspondents?|Editors?|Reporters?|Columnists?|Photographers?|Staff"
    r"|Shimbun|Press|News|Bureau|Special to)\b"
)
JN_ORGANISATIONS = frozenset(
    {
        "the yomiuri shimbun",
        "yomiuri shimbun",
        "jiji press",
        "kyodo news",
        "the associated press",
        "associated press",
        "reuters",
        "afp-jiji",
        "the washington post",
        "the japan news",
        "japan news",
    }
)


def byline(tree: html.HtmlElement, block: html.HtmlElement | None) -> str | None:
    """The byline of the 2024 article BLOCK; without one, the page's likeliest byline."""
    if block is not None:
        found = _BYLINE(block)
        return (text_of(found[0], line_break=" / ") or None) if found else None
    # Unknown layout: an element whose class says byline or author, then a line that reads like
    # a byline ("By ... / ... Staff Writer"), then the organisation alone. Photo credits are
    # often "The Yomiuri Shimbun" too: nothing inside a figure counts.
    for element in _FALLBACK_BYLINE_CLASSES(tree):
        text = _without_date(text_of(element, line_break=" / "))
        if text and len(text) < 200:
            return text
    lines = [_without_date(text_of(e)) for e in _FALLBACK_BYLINE_LINES(tree)]
    lines = [line for line in lines if len(line) < 200]
    for pattern in (BYLINE_TEXT, ORGANISATION_BYLINE):
        if found := next((line for line in lines if pattern.match(line)), None):
            return found
    return None


def is_byline(text: str) -> bool:
    """A line that reads like a byline, or the organisation alone."""
    return bool(BYLINE_TEXT.match(text) or ORGANISATION_BYLINE.match(text))


def _without_date(text: str) -> str:
    """A byline that shares its element with the date line, without the date line."""
    return DATE_IN_TEXT.sub("", text).strip(" /") if "JST" in text else text


def postdate(tree: html.HtmlElement, block: html.HtmlElement | None) -> str | None:
    """The date line ("17:41 JST, October 13, 2024") of the article BLOCK, else of the page."""
    if block is not None and (found := _POSTDATE(block)):
        return text_of(found[0]) or None
    # The line may be split across inline elements (<time><span>14:08 JST</span>, March...)
    # or share its element with the byline: look at the text node's container and two above it.
    for node in _JST_TEXT(tree):
        element = node.getparent()
        if node.is_tail:
            element = element.getparent()
        for _ in range(3):
            if element is None:
                break
            if match := DATE_IN_TEXT.search(text_of(element)):
                return match[0]
            element = element.getparent()
    return None


def parse_authors(byline: str | None) -> list[str]:
    """Names from a printed byline; organisations and roles are not authors.

    "By A and B / Yomiuri Shimbun Staff Writers", "By A, Yomiuri Shimbun Staff Writer",
    "By A / Yomiuri Shimbun Staff Writer and B / Japan News Staff Writer", "By A / Jiji Press".
    """
    if not byline or ORGANISATION_BYLINE.match(byline):
        return []
    text = clean_text(byline)
    if not text.startswith("By "):
        return []
    chunks = SLASH.split(text[3:])
    # Before the first slash: names. After it: a role, then maybe " and " another name.
    candidates = JN_NAME_SEPARATORS.split(chunks[0])
    for chunk in chunks[1:]:
        if " and " in chunk:
            candidates += JN_NAME_SEPARATORS.split(chunk.split(" and ", 1)[1])
    names = [clean_text(c) for c in candidates]
    return [
        n for n in names if n and not JN_ROLE_WORDS.search(n) and n.lower() not in JN_ORGANISATIONS
    ]
