"""The Japan News: its sections and its URLs (articles, listings, assets)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from newscrawl.paths import REAL_HOST

SITE = "japannews"
ORIGIN = "https://japannews.yomiuri.co.jp"
CANONICAL_HOST = REAL_HOST  # its state and data lie outside hosts/ (newscrawl.paths)
# For the `news` spider (newscrawl.sites.registry).
HOSTS = frozenset({CANONICAL_HOST})

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

ARTICLE_PATH = re.compile(
    r"^/(?P<section>[a-z0-9-]+)/(?P<subsection>[a-z0-9-]+)/(?P<date>\d{8})-(?P<post_id>\d+)/?$"
)
CATEGORY_PATH = re.compile(r"^/(?P<section>[a-z0-9-]+)/(?P<subsection>[a-z0-9-]+)/?$")
NOT_SUBSECTIONS = frozenset({"page", "feed", "attachment", "amp", "embed"})


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
