"""The Japan News (japannews.yomiuri.co.jp): URLs, selectors and page parsing.

Everything here is a pure function of (html, url) so that saved pages can be tested and
`newscrawl extract` gives what a crawl gives. Facts and how sure they are: docs/site-japannews.md
(copied from the shared site notes). Where a fact is only likely, each reader has a fallback chain:
the 2024 selectors first, then page metadata, then generic extraction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from newscrawl.paths import REAL_HOST
from newscrawl.sites import metadata
from newscrawl.text import clean_text, strip_markup, text_of

SITE = "japannews"
ORIGIN = "https://japannews.yomiuri.co.jp"
CANONICAL_HOST = REAL_HOST  # its state and data lie outside hosts/ (newscrawl.paths)
# For the `news` spider (newscrawl.sites.registry).
HOSTS = frozenset({CANONICAL_HOST})
TIME_ZONE = "Asia/Tokyo"
KEEP_OFFSET = False  # times are exported in Japan time, whatever offset the page wrote

# Menu of October 2024 (sure for that date). The crawl also discovers subsections from the
# section archive, so a subsection added later is walked too.
KNOWN_SUBSECTIONS: dict[str, tuple[str, ...]] = {
    "politics": (
        "politics-government",
        "defense-security",
        "election",
        "political-series",
        "g7-summit",
    ),
    "society": (
        "general-news",
        "crime-courts",
        "imperial-family",
        "obituaries",
        "social-series",
        "coronavirus",
        "noto-peninsula-earthquake",
    ),
    "business": ("economy", "companies", "market", "business-series", "yies"),
    "world": ("asia-pacific", "us-canada", "europe", "russia", "wider-world", "global"),
    "news-services": ("ap", "reuters", "afp-jiji"),
    "editorial": (
        "yomiuri-editorial",
        "political-pulse",
        "insights-world",
        "cultural-viewpoints",
        "outside-contributors",
    ),
}

# -- URLs ---------------------------------------------------------------------------------------
ARTICLE_PATH = re.compile(
    r"^/(?P<section>[a-z0-9-]+)/(?P<subsection>[a-z0-9-]+)/(?P<date>\d{8})-(?P<post_id>\d+)/?$"
)
CATEGORY_PATH = re.compile(r"^/(?P<section>[a-z0-9-]+)/(?P<subsection>[a-z0-9-]+)/?$")
NOT_SUBSECTIONS = frozenset({"page", "feed", "attachment", "amp", "embed"})
SHORTLINK_ID = re.compile(r"[?&]p=(\d+)")
POSTID_CLASS = re.compile(r"\bpostid-(\d+)\b")

# -- Selectors, grouped by purpose (2024 layout; exact class and id names) -------------------
ARTICLE_BLOCK = "//div[@id='p-article-block']"
HEADLINE = ["//div[contains(@class,'bloc_1')]//h1", "//main//h1", "//h1"]
BYLINE = ".//p[contains(concat(' ',normalize-space(@class),' '),' byline ')]"
POSTDATE = ".//p[contains(concat(' ',normalize-space(@class),' '),' postdate ')]"
BODY_BLOCKS = ("p", "h2", "h3", "h4", "li")
_BODY_BLOCKS = frozenset(BODY_BLOCKS)
NOT_BODY_CLASSES = frozenset({"byline", "postdate"})
# Photo captions: never story text, wherever the figure sits (even inside a paragraph).
CAPTION_TAGS = frozenset({"figure", "figcaption"})
CAPTION_CLASS = re.compile(r"caption")
TITLE_SUFFIX = re.compile(r"\s*[-|–—]\s*The Japan News\s*$")
# A page title that is only the site's name (or its tagline) names no article.
SITE_TITLE = re.compile(r"(?i)^the japan news(\s*[-|–—:].*)?$")
SET_TAGS = re.compile(r"""setTags["']\s*,\s*\[(?P<tags>[^\]]*)\]""")
LISTING_ITEMS = "//li[contains(concat(' ',normalize-space(@class),' '),' clearfix ')]"
# Page furniture that may hold article links of any section: never a source of listing items.
FURNITURE = (
    "ancestor::*[self::header or self::footer or self::nav or self::aside"
    " or contains(@class,'ranking') or contains(@class,'bloc_3')"
    " or contains(@class,'latestlist') or contains(@class,'popularlist')]"
)
NOT_IN_FIGURE = "[not(ancestor::figure)]"
FALLBACK_BYLINE_CLASSES = (
    "//body//*[contains(@class,'byline') or contains(@class,'author')]" + NOT_IN_FIGURE
)
# Short text elements with no child elements but links and line breaks.
FALLBACK_BYLINE_LINES = (
    "//body//*[self::p or self::span or self::div or self::address]"
    "[not(*[not(self::a or self::br)])]" + NOT_IN_FIGURE
)
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
_BYLINE = etree.XPath(BYLINE)
_POSTDATE = etree.XPath(POSTDATE)
_FALLBACK_BYLINE_CLASSES = etree.XPath(FALLBACK_BYLINE_CLASSES)
_FALLBACK_BYLINE_LINES = etree.XPath(FALLBACK_BYLINE_LINES)
_JST_TEXT = etree.XPath("//body//text()[contains(., 'JST')]")
_BODY_CLASS = etree.XPath("//body/@class")
_FIGCAPTIONS = etree.XPath("//figcaption")
_BLOCK_FIGURES = etree.XPath(".//figure[.//img]")
# Outside the 2024 article block only captioned photos count: thumbnails of lists have none.
_PAGE_FIGURES = etree.XPath(f".//figure[.//img][.//figcaption][not({FURNITURE})]")
_IMG = etree.XPath(".//img")
_FIGCAPTION = etree.XPath(".//figcaption")
_SPAN = etree.XPath("./span")
_SET_TAGS_SCRIPTS = etree.XPath("//script[contains(., 'setTags')]/text()")

# -- Text patterns ------------------------------------------------------------------------------
# "17:41 JST, October 13, 2024" (an en space after the comma on the real site).
DATE_LINE = re.compile(r"^\d{1,2}:\d{2}\s*JST,?\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}$")
DATE_IN_TEXT = re.compile(
    r"(?<![\d:])\d{1,2}:\d{2}\s*JST,?\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}(?!\d)"
)
LISTING_DATE = re.compile(
    r"^(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d+\s+(?:minute|hour|day)s?\s+ago)$"
)
BYLINE_TEXT = re.compile(
    r"^By\s+(?P<names>[^/]{2,200}?)\s*/\s*(?P<role>[^/]{0,80}"
    r"(?:Writers?|Correspondents?|Editors?|Reporters?|Staff|Shimbun|Columnists?)[^/]{0,40})$"
)
ORGANISATION_BYLINE = re.compile(r"^(?:By\s+)?(?:The\s+)?Yomiuri\s+Shimbun$", re.IGNORECASE)
NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
SLASH = re.compile(r"\s*/\s*")
# A byline part with one of these words is a role or an organisation, not a person.
ROLE_WORDS = re.compile(
    r"\b(?:Writers?|Correspondents?|Editors?|Reporters?|Columnists?|Photographers?|Staff"
    r"|Shimbun|Press|News|Bureau|Special to)\b"
)
ORGANISATIONS = frozenset(
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
PREMIUM_VALUES = frozenset(
    {"premium", "paid", "member", "members", "subscriber", "premium-article"}
)


@dataclass
class ListingEntry:
    url: str
    title: str | None = None
    date_raw: str | None = None


@dataclass
class ListingPage:
    entries: list[ListingEntry] = field(default_factory=list)
    subsections: set[tuple[str, str]] = field(default_factory=set)


# -- URL helpers --------------------------------------------------------------------------------
def article_path(url: str) -> re.Match[str] | None:
    """The article-URL match of a URL's path, or None (listings, attachments, other pages)."""
    return ARTICLE_PATH.match(urlsplit(url).path)


def article_key(url: str) -> int | None:
    """The post ID of an article URL; None for any other page."""
    match = article_path(url)
    return int(match["post_id"]) if match else None


def url_date(match: re.Match[str]) -> date:
    """The Japan date of publication that an article URL carries (/YYYYMMDD-ID/)."""
    text = match["date"]
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def canonical_url(url: str) -> str:
    """The https URL on the real host with a trailing slash, whatever host served the page."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{ORIGIN}{path}"


def site_url(url: str, page_url: str) -> str:
    """An asset URL made absolute; on the serving host it moves to the real site's origin."""
    absolute = urljoin(page_url, url)
    parts = urlsplit(absolute)
    if parts.netloc in {urlsplit(page_url).netloc, CANONICAL_HOST}:
        query = f"?{parts.query}" if parts.query else ""
        return f"{ORIGIN}{parts.path}{query}"
    return absolute


def listing_url(base_url: str, section: str, subsection: str | None = None, page: int = 1) -> str:
    path = f"/{section}/" + (f"{subsection}/" if subsection else "")
    if page > 1:
        path += f"page/{page}/"
    return base_url.rstrip("/") + path


# -- Listings -------------------------------------------------------------------------------
def parse_listing(page: str | bytes, url: str) -> ListingPage:
    """Article links (with their listing dates) and subsection links of a listing page.

    The next page is not read from the page: its markup is unknown, and WordPress always answers
    /page/N+1/ (the spider walks that until a 404 or a page with nothing new)."""
    tree = metadata.parse_html(page)
    result = ListingPage(entries=_listing_entries(tree, url))
    for href in tree.xpath("//a/@href"):
        path = urlsplit(urljoin(url, href)).path
        match = CATEGORY_PATH.match(path)
        if match and match["subsection"] not in NOT_SUBSECTIONS:
            result.subsections.add((match["section"], match["subsection"]))
    return result


def _listing_entries(tree: html.HtmlElement, url: str) -> list[ListingEntry]:
    entries = [
        entry for li in tree.xpath(LISTING_ITEMS) if (entry := _listing_item(li, url)) is not None
    ]
    if entries:
        return entries
    # Fallback when the item markup changed: every article link in the page's main content.
    scope = tree.xpath("//main") or [tree]
    seen: set[str] = set()
    for anchor in scope[0].xpath(f".//a[@href][not({FURNITURE})]"):
        link = urljoin(url, anchor.get("href"))
        if article_path(link) and link not in seen:
            seen.add(link)
            entries.append(ListingEntry(url=link, title=text_of(anchor) or None))
    return entries


def _listing_item(li: html.HtmlElement, url: str) -> ListingEntry | None:
    if li.xpath(FURNITURE):
        return None
    for href in li.xpath(".//a/@href"):
        link = urljoin(url, href)
        if article_path(link):
            title = li.xpath(".//h2")
            dates = [t for t in (text_of(p) for p in li.xpath(".//p")) if LISTING_DATE.match(t)]
            return ListingEntry(
                url=link,
                title=text_of(title[0]) if title else None,
                date_raw=dates[0] if dates else None,
            )
    return None


# -- Articles -------------------------------------------------------------------------------
def parse_article(page: str | bytes | html.HtmlElement, url: str) -> dict[str, Any]:
    """The article's fields as the pipelines expect them (times still raw, text not yet cleaned).

    Raises nothing on odd pages: what cannot be read is left empty for validation to judge.
    The page is parsed once; its meta, link and JSON-LD elements are found in one walk.
    """
    tree = metadata.parse_html(page)
    index = metadata.PageIndex(tree)
    ld = index.article_json_ld()
    url = _page_url(index, url)
    path = article_path(url)
    block = _article_block(tree)
    flags: list[str] = [] if block is not None else ["fallback_layout"]
    title = _title(tree, index, ld)
    byline = _byline(tree, block)
    postdate = _postdate(tree, block)
    body_blocks = _body_blocks(block) if block is not None else []
    if not body_blocks:
        flags.append("fallback_body")
        body_blocks = _fallback_body(tree, url, skip={title, byline, postdate})
    post_id = _post_id(tree, index, url, path)
    section, subsection = _sections(index, path)
    return {
        "id": f"{SITE}:{post_id}" if post_id else None,
        "site": SITE,
        "url": canonical_url(url),
        "section": section,
        "subsection": subsection,
        "title": title,
        "byline": byline,
        "authors": parse_authors(byline),
        "description": _description(index, ld),
        "body": "\n\n".join(body_blocks),
        "images": _images(tree, url, whole_page=True)
        if block is None
        else _images(block, url, False),
        "tags": _tags(tree, index),
        "access": _access(tree, index),
        "flags": flags,
        "time_candidates": {
            "published": _candidates(
                ("meta:article:published_time", index.meta_content("article:published_time")),
                ("json-ld:datePublished", metadata.ld_text(ld, "datePublished")),
                ("postdate", postdate),
            ),
            "modified": _candidates(
                ("meta:article:modified_time", index.meta_content("article:modified_time")),
                ("json-ld:dateModified", metadata.ld_text(ld, "dateModified")),
            ),
        },
    }


def _article_block(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The first div#p-article-block. libxml2 indexes ids as it parses (the first element of
    each id): a lookup, and the XPath walk only when that element is not a div."""
    found = _BLOCK_BY_ID(tree)
    if found and found[0].tag == "div":
        return found[0]
    return _first(_ARTICLE_BLOCK(tree))


def _first(elements: list[Any]) -> Any:
    return elements[0] if elements else None


def _candidates(*pairs: tuple[str, str | None]) -> list[tuple[str, str]]:
    return [(source, raw) for source, raw in pairs if raw]


def _page_url(index: metadata.PageIndex, url: str) -> str:
    """The canonical link when it is an article URL (the page may have been served elsewhere)."""
    canonical = index.link_href("canonical") or index.meta_content("og:url")
    if canonical and article_path(joined := urljoin(url, canonical)):
        return joined
    return url


def _post_id(
    tree: html.HtmlElement, index: metadata.PageIndex, url: str, path: re.Match[str] | None
) -> str | None:
    if path:
        return path["post_id"]
    shortlink = index.link_href("shortlink") or ""
    if match := SHORTLINK_ID.search(shortlink):
        return match[1]
    match = POSTID_CLASS.search(" ".join(_BODY_CLASS(tree)))
    return match[1] if match else None


def _sections(
    index: metadata.PageIndex, path: re.Match[str] | None
) -> tuple[str | None, str | None]:
    if path:
        return path["section"], path["subsection"]
    category = index.meta_content("cXenseParse:yoj-category")
    return None, category


def _title(tree: html.HtmlElement, index: metadata.PageIndex, ld: dict[str, Any]) -> str | None:
    for candidate in _title_candidates(tree, index, ld):
        title = TITLE_SUFFIX.sub("", candidate).strip()
        if title and not SITE_TITLE.match(title):
            return title
    return None


def _title_candidates(
    tree: html.HtmlElement, index: metadata.PageIndex, ld: dict[str, Any]
) -> Iterator[str]:
    """In order of trust, each read only when the ones before it give no title."""
    for h in _HEADLINES[0](tree)[:1]:
        yield text_of(h)
    yield strip_markup(index.meta_content("og:title"))
    yield strip_markup(metadata.ld_text(ld, "headline"))
    for xpath in _HEADLINES[1:]:
        for h in xpath(tree)[:1]:
            yield text_of(h)
    for t in _TITLE(tree)[:1]:
        yield text_of(t)


def _byline(tree: html.HtmlElement, block: html.HtmlElement | None) -> str | None:
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


def _without_date(text: str) -> str:
    """A byline that shares its element with the date line, without the date line."""
    return DATE_IN_TEXT.sub("", text).strip(" /") if "JST" in text else text


def _postdate(tree: html.HtmlElement, block: html.HtmlElement | None) -> str | None:
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


def _body_blocks(block: html.HtmlElement) -> list[str]:
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


def _fallback_body(tree: html.HtmlElement, url: str, skip: set[str | None]) -> list[str]:
    """Generic main text minus what the page's metadata already accounts for."""
    captions = {text_of(c) for c in _FIGCAPTIONS(tree)}
    blocks = []
    for text in metadata.generic_blocks(tree, url):
        if text in skip or text in captions or DATE_LINE.match(text):
            continue
        if BYLINE_TEXT.match(text) or ORGANISATION_BYLINE.match(text):
            continue
        blocks.append(text)
    return blocks


def _description(index: metadata.PageIndex, ld: dict[str, Any]) -> str | None:
    for raw in (
        index.meta_content("og:description"),
        index.meta_content("description"),
        metadata.ld_text(ld, "description"),
    ):
        if text := strip_markup(raw):
            return text
    return None


def _images(scope: html.HtmlElement, url: str, whole_page: bool) -> list[dict[str, str | None]]:
    figures = _PAGE_FIGURES if whole_page else _BLOCK_FIGURES
    images = []
    for figure in figures(scope):
        src = _image_source(_IMG(figure)[0], url)
        if src:
            caption, credit = _caption_and_credit(figure)
            images.append({"url": src, "caption": caption, "credit": credit})
    return images


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


def _tags(tree: html.HtmlElement, index: metadata.PageIndex) -> list[str]:
    tags = [clean_text(t) for t in index.meta_tags]
    tags += [text_of(a).lstrip("#").strip() for a in _TAG_LINKS(tree)]
    return list(dict.fromkeys(t for t in tags if t))


def _access(tree: html.HtmlElement, index: metadata.PageIndex) -> str | None:
    value = (index.meta_content("cXenseParse:yoj-articletype") or "").lower()
    if value == "free":
        return "free"
    if value in PREMIUM_VALUES:
        return "premium"
    for script in _SET_TAGS_SCRIPTS(tree):
        if match := SET_TAGS.search(script):
            names = {t.strip().strip("'\"").lower() for t in match["tags"].split(",")}
            if "free" in names:
                return "free"
            if names & PREMIUM_VALUES:
                return "premium"
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
    candidates = NAME_SEPARATORS.split(chunks[0])
    for chunk in chunks[1:]:
        if " and " in chunk:
            candidates += NAME_SEPARATORS.split(chunk.split(" and ", 1)[1])
    names = [clean_text(c) for c in candidates]
    return [n for n in names if n and not ROLE_WORDS.search(n) and n.lower() not in ORGANISATIONS]
