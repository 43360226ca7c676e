"""Links on any news site: which look like articles of a section, the next listing page, the
page's feeds, the date and identity an article URL carries.

The `news` spider routes with these when no site module knows the site better.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree, html

# Path segments of pages that are not articles: archives, people, search, the site's own pages.
NOT_ARTICLE_SEGMENTS = frozenset(
    "tag tags category categories topic topics author authors page search feed rss amp"
    " about contact privacy terms subscribe subscription login signup newsletter newsletters"
    " account help faq advertise careers sitemap video videos gallery galleries podcast"
    " podcasts live attachment embed print comments".split()
)
SLUG_WORD = re.compile(r"[a-z0-9]+", re.I)
LONG_NUMBER = re.compile(r"\d{5,}")
DATE_PATH = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
DATE_STAMP = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
PAGE_SEGMENT = re.compile(r"/page/(\d+)/?$")
PAGE_QUERY = re.compile(r"(?:^|&)(?:page|paged|p|pg)=(\d+)(?:&|$)")
TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ito|smid)$", re.I)
FEED_TYPES = ("application/rss+xml", "application/atom+xml")

_HREFS = etree.XPath("//a[@href]/@href")
_NEXT = etree.XPath(
    "//link[@rel='next']/@href | //a[contains(concat(' ',@rel,' '),' next ')]/@href"
)
_FEEDS = etree.XPath("//link[@rel='alternate'][@type][@href]")


def normalize(url: str) -> str:
    """The URL without its fragment and tracking parameters, host in lower case."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if not TRACKING.match(k)]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )


def url_key(url: str) -> int:
    """A stable number for an article without a post ID: from its host and path (scheme,
    query and fragment aside), 60 bits of SHA-256."""
    parts = urlsplit(normalize(url))
    digest = hashlib.sha256(f"{parts.netloc}{parts.path}".encode()).hexdigest()
    return int(digest[:15], 16)


def url_day(url: str) -> date | None:
    """The date an article URL carries (/2024/10/13/ or 20241013), when it is a real date."""
    path = urlsplit(url).path
    for found in (DATE_PATH.search(path), DATE_STAMP.search(path)):
        if found:
            try:
                return date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                continue
    return None


def article_like(url: str) -> bool:
    """Whether a URL looks like one article's page: its last segment is a long slug, a long
    number or an .html page, or its path carries a date; never an archive, tag, author, search
    or feed page, nor a listing page."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if not segments or NOT_ARTICLE_SEGMENTS.intersection(segments):
        return False
    if PAGE_SEGMENT.search(parts.path) or PAGE_QUERY.search(parts.query):
        return False
    last = segments[-1].removesuffix(".html").removesuffix(".htm")
    words = SLUG_WORD.findall(last)
    long_slug = len(words) >= 3 and len(last) >= 15
    return long_slug or bool(LONG_NUMBER.search(last)) or url_day(url) is not None


def in_section(url: str, section_url: str) -> bool:
    """Whether an article URL belongs to the section: on the section's host, and under the
    section's path or naming its last segment (/news/2024/10/13/japan/politics/... for the
    section /news/japan/politics/)."""
    article, section = urlsplit(url), urlsplit(section_url)
    if article.netloc.lower() != section.netloc.lower():
        return False
    section_path = section.path if section.path.endswith("/") else section.path + "/"
    if section_path == "/" or article.path.startswith(section_path):
        return article.path.rstrip("/") != section_path.rstrip("/")
    last = [s for s in section_path.split("/") if s][-1]
    return last in [s for s in article.path.split("/") if s][:-1]


def article_links(tree: html.HtmlElement, page_url: str, section_url: str) -> list[str]:
    """The article links of a listing page that belong to the section, once each, in order."""
    found: dict[str, None] = {}
    for href in _HREFS(tree):
        url = normalize(urljoin(page_url, href.strip()))
        web = url.startswith(("http://", "https://"))
        if web and article_like(url) and in_section(url, section_url):
            found.setdefault(url)
    return list(found)


def next_page(tree: html.HtmlElement, page_url: str, page: int) -> str | None:
    """The listing's next page: rel=next, else a link to page PAGE + 1 in the forms /page/N/
    and ?page=N (also paged=, p=, pg=); on the same host only."""
    host = urlsplit(page_url).netloc.lower()
    candidates = [urljoin(page_url, href.strip()) for href in _NEXT(tree)]
    for href in _HREFS(tree):
        url = urljoin(page_url, href.strip())
        parts = urlsplit(url)
        numbered = PAGE_SEGMENT.search(parts.path) or PAGE_QUERY.search(parts.query)
        if numbered and int(numbered[1]) == page + 1:
            candidates.append(url)
    for url in candidates:
        if urlsplit(url).netloc.lower() == host and normalize(url) != normalize(page_url):
            return normalize(url)
    return None


def feed_links(tree: html.HtmlElement, page_url: str) -> list[str]:
    """The RSS and Atom feeds the page declares (<link rel=alternate>), in order."""
    urls = [
        urljoin(page_url, element.get("href").strip())
        for element in _FEEDS(tree)
        if element.get("type", "").split(";")[0].strip().lower() in FEED_TYPES
    ]
    return list(dict.fromkeys(urls))


def canonical(tree: html.HtmlElement, page_url: str) -> str:
    """The page's <link rel=canonical> when it stays on the page's host, else the page URL."""
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        url = urljoin(page_url, href.strip())
        if urlsplit(url).netloc.lower() == urlsplit(page_url).netloc.lower():
            return normalize(url)
    return normalize(page_url)
