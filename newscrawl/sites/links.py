"""Links on any news site: which look like articles of a section, the next listing page, the
page's feeds, the date and identity an article URL carries.

The `news` spider routes with these when no site module knows the site better.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from itertools import pairwise
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree, html
from w3lib.url import safe_url_string

# Path segments of pages that are not articles: archives, people, search, the site's own pages,
# and a CMS's files and API (wp-content/uploads/..., wp-json/...).
NOT_ARTICLE_SEGMENTS = frozenset(
    "tag tags category categories topic topics author authors page search feed rss amp"
    " about contact privacy terms subscribe subscription login signup newsletter newsletters"
    " account help faq advertise careers sitemap video videos gallery galleries podcast"
    " podcasts live attachment embed print comments"
    " wp-content wp-json wp-admin wp-includes uploads".split()
)
# Extensions of files that are not web pages. A deny list, not an allow list: pages end in
# .html, .htm, .php, .aspx, .shtml, .cms (Times of India), .ece (Hindu) and more.
FILE_EXTENSIONS = frozenset(
    "pdf jpg jpeg png gif webp svg bmp ico tif tiff avif heic mp3 mp4 m4a m4v mov avi wmv webm"
    " ogg oga ogv wav flac aac zip gz tgz rar 7z tar bz2 xml json css js mjs map txt csv doc"
    " docx xls xlsx ppt pptx epub woff woff2 ttf otf eot rss atom ics exe apk dmg".split()
)
# Words of a site's own pages (privacy policy, newsletter sign-up, contact, ...) and the filler
# words around them ("subscribe to our newsletter today").
SITE_PAGE_WORDS = frozenset(
    "privacy policy policies cookie cookies terms conditions service subscribe subscription"
    " subscriptions newsletter newsletters contact about advertise advertising careers faq"
    " help login signup sign register account accessibility sitemap copyright disclaimer"
    " legal notice website site use".split()
)
FILLER_WORDS = frozenset(
    "a an and the to of for in on at by with our your us we you my me it its this is are be"
    " here now today how what who why or up".split()
)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
SLUG_WORD = re.compile(r"[a-z0-9]+", re.I)
LONG_NUMBER = re.compile(r"\d{5,}")
DATE_PATH = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?=/|$)")
# The Guardian: /world/2024/oct/13/<slug>
DATE_PATH_MONTH_NAME = re.compile(rf"/((?:19|20)\d{{2}})/({_MONTH_NAME})/(\d{{1,2}})(?=/|$)", re.I)
# Reuters: /world/japan/<slug>-2024-10-13/ (a slug, or the whole segment, ending in a date)
DATE_SLUG_END = re.compile(r"(?:^|[-_])((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:\.\w+)?/?$")
DATE_STAMP = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
# A path segment that is a date part: a year, a month (number or name), a day.
_DATE_PART = rf"(?:19|20)\d{{2}}|\d{{1,2}}|{_MONTH_NAME}"
DATE_PART_SEGMENT = re.compile(rf"^(?:{_DATE_PART})$", re.I)
# A path segment that is a whole date (20241013, 2024-10-13) when it is a real one.
WHOLE_DATE_SEGMENT = re.compile(r"^(?:19|20)\d{2}(?:\d{4}|-\d{1,2}-\d{1,2})$")
# A first segment that only says "this is a section": /section/world/asia/ (NYT), whose
# articles are /2024/10/13/world/asia/<slug>.html.
SECTION_PREFIXES = frozenset(("section", "sections", "category", "categories"))
# A story's opaque id after /articles/, /article/, /story/, /stories/ (BBC c0k8ll5z4gno).
ID_PARENTS = frozenset(("article", "articles", "story", "stories"))
OPAQUE_ID = re.compile(r"^(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]{8,}$")
PAGE_SEGMENT = re.compile(r"/page/(\d+)/?$")
PAGE_QUERY = re.compile(r"(?:^|&)(?:page|paged|p|pg)=(\d+)(?:&|$)")
TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ito|smid)$", re.I)
FEED_TYPES = ("application/rss+xml", "application/atom+xml")

_HREFS = etree.XPath("//a[@href]/@href")
# rel is a set of space-separated, case-insensitive tokens: rel="Next", rel="next nofollow".
_REL_NEXT = (
    "contains(concat(' ', normalize-space(translate(@rel,"
    " 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')), ' '), ' next ')"
)
_NEXT = etree.XPath(f"//link[{_REL_NEXT}]/@href | //a[{_REL_NEXT}]/@href")
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


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[value.lower()]


def url_day(url: str) -> date | None:
    """The date an article URL carries, when it is a real date: /2024/10/13/, /2024/oct/13/
    (month names), a slug ending in -2024-10-13 (Reuters), or 20241013."""
    path = urlsplit(url).path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    found = [
        *DATE_PATH.finditer(path),
        *DATE_PATH_MONTH_NAME.finditer(path),
        *DATE_SLUG_END.finditer(last),
        *DATE_STAMP.finditer(path),
    ]
    for match in found:
        try:
            return date(int(match[1]), _month(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def _site_page_slug(words: list[str]) -> bool:
    """Whether a slug's words are mostly those of a site's own page. Conservative, so that no
    headline is lost: filler words and numbers aside, at least two words are site-page words
    and they are more than three quarters of the words left ('privacy-policy-and-cookies',
    'subscribe-to-our-newsletter-today'), so 'meta-fined-over-privacy-policy-breach' or
    'tiktok-privacy-policy' stay articles."""
    content = [w for w in words if w not in FILLER_WORDS and not w.isdigit()]
    site_page_words = sum(w in SITE_PAGE_WORDS for w in content)
    return site_page_words >= 2 and site_page_words * 4 > len(content) * 3


def _only_date(segment: str) -> bool:
    """Whether a path segment is only a date part (2024, 10, oct) or a real whole date
    (20241013, 2024-10-13; an 8-digit id that is no date stays an id)."""
    if DATE_PART_SEGMENT.match(segment):
        return True
    return bool(WHOLE_DATE_SEGMENT.match(segment)) and url_day(f"/{segment}") is not None


def article_like(url: str) -> bool:
    """Whether a URL looks like one article's page: its last segment is a long slug, a long
    number or an .html page, its path carries a date, or it has an opaque story id after
    /articles/ (BBC); never an archive, tag, author, search or feed page, a listing page, a
    date archive (/2024/10/13/), a file (.pdf, .jpg, ...), nor a site page (privacy policy)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.lower().split("/") if s]
    if not segments or NOT_ARTICLE_SEGMENTS.intersection(segments):
        return False
    if PAGE_SEGMENT.search(parts.path) or PAGE_QUERY.search(parts.query):
        return False
    _, dot, extension = segments[-1].rpartition(".")
    if dot and extension in FILE_EXTENSIONS:
        return False
    if _only_date(segments[-1]):  # a day, month or year archive
        return False
    last = segments[-1].removesuffix(".html").removesuffix(".htm")
    words = SLUG_WORD.findall(last)
    if _site_page_slug(words):
        return False
    long_slug = len(words) >= 3 and len(last) >= 15
    story_id = any(
        parent in ID_PARENTS and OPAQUE_ID.match(segment.removesuffix(".html"))
        for parent, segment in pairwise(segments)
    )
    return long_slug or story_id or bool(LONG_NUMBER.search(last)) or url_day(url) is not None


def _host(netloc: str) -> str:
    """The host for comparisons: lower case, www. and the bare domain the same."""
    host = netloc.lower()
    return host.removeprefix("www.")


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one host (www. or not)."""
    return _host(urlsplit(url).netloc) == _host(urlsplit(other).netloc)


def in_section(url: str, section_url: str) -> bool:
    """Whether an article URL belongs to the section: on the section's host (www. or not), and
    under the section's path, or with the section's path segments (a leading /section/ or
    /category/ aside) as one run among the article's (its slug and date parts aside):
    /news/2024/10/13/japan/politics/<slug>/ is in /news/japan/politics/,
    /news/2024/10/13/world/politics/<slug>/ is not."""
    article, section = urlsplit(url), urlsplit(section_url)
    if _host(article.netloc) != _host(section.netloc):
        return False
    section_path = section.path if section.path.endswith("/") else section.path + "/"
    if section_path == "/" or article.path.startswith(section_path):
        return article.path.rstrip("/") != section_path.rstrip("/")
    wanted = [s for s in section_path.split("/") if s]
    if len(wanted) > 1 and wanted[0] in SECTION_PREFIXES:  # /section/world/asia (NYT)
        wanted = wanted[1:]
    segments = [s for s in article.path.split("/") if s][:-1]
    segments = [s for s in segments if not DATE_PART_SEGMENT.match(s)]
    n = len(wanted)
    return any(segments[i : i + n] == wanted for i in range(len(segments) - n + 1))


def article_links(tree: html.HtmlElement, page_url: str, section_url: str) -> list[str]:
    """The article links of a listing page that belong to the section, once each, in order."""
    found: dict[str, None] = {}
    for href in _HREFS(tree):
        url = normalize(urljoin(page_url, href.strip()))
        web = url.startswith(("http://", "https://"))
        if web and article_like(url) and in_section(url, section_url):
            found.setdefault(url)
    return list(found)


def _listing_path(path: str) -> str:
    """A listing's path without its page part (/politics/page/2/ -> /politics)."""
    return PAGE_SEGMENT.sub("", path).rstrip("/")


def next_page(tree: html.HtmlElement, page_url: str, page: int) -> str | None:
    """The listing's next page: rel=next (any case, among other rel tokens), else a link to
    page PAGE + 1 in the forms /page/N/ and ?page=N (also paged=, p=, pg=) of this very listing
    (the same path once the page part is removed: no tag's, other section's or article's
    pages); on the same host only (www. or not)."""
    here = urlsplit(page_url)
    host, listing = _host(here.netloc), _listing_path(here.path)
    candidates = [urljoin(page_url, href.strip()) for href in _NEXT(tree)]
    for href in _HREFS(tree):
        url = urljoin(page_url, href.strip())
        parts = urlsplit(url)
        numbered = PAGE_SEGMENT.search(parts.path) or PAGE_QUERY.search(parts.query)
        if numbered and int(numbered[1]) == page + 1 and _listing_path(parts.path) == listing:
            candidates.append(url)
    for url in candidates:
        if _host(urlsplit(url).netloc) == host and normalize(url) != normalize(page_url):
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
    """The page's <link rel=canonical> when it stays on the page's host, else the page URL.
    The link is percent-encoded as Scrapy would request it: CMSs write spaces and non-ASCII
    letters into it as they are."""
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        url = safe_url_string(urljoin(page_url, href.strip()))
        if urlsplit(url).netloc.lower() == urlsplit(page_url).netloc.lower():
            return normalize(url)
    return normalize(page_url)
