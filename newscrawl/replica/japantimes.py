"""A second local test site, built unlike the Japan News replica: a WordPress news site laid out
in The Japan Times' public URL scheme, for the `news` spider.

    newscrawl replica --site japantimes [--articles 120] [--manifest]

How it differs from the replica of The Japan News: dated article URLs without post IDs
(/news/2024/10/13/japan/politics/<slug>/), one listing per section at /news/<section>/ paged with
?page=N links and no rel=next, a Yoast-style JSON-LD @graph whose author is an @id reference,
section feeds declared with <link rel=alternate>, a sitemap index named in robots.txt with
lastmod, site furniture inside the article body (related links, a newsletter prompt, share
buttons, photo credits), and a share of pages whose only time is a zone-less <time>. Its markup
is invented: the real site's is not known to this project.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from newscrawl.replica import corpus, words
from newscrawl.replica.response import RSS, TEXT, XML, Response

TOKYO = ZoneInfo("Asia/Tokyo")
NEWEST = datetime(2024, 10, 13, 18, 0, tzinfo=TOKYO)
PER_PAGE = 10
FEED_ITEMS = 10
SITEMAP_SIZE = 50
# (path under /news/, words section for prose)
SECTIONS = (
    ("japan/politics", "politics"),
    ("japan/society", "society"),
    ("business/economy", "business"),
)
NAIVE_TIME_SHARE = 5  # every 5th article gives only a zone-less <time> (all sections)
STAFF_ROLES = ("Staff writer", "Staff writer", "Contributing writer")


@dataclass(frozen=True)
class Story:
    number: int
    section: str  # "japan/politics"
    published: datetime
    title: str
    slug: str
    author: str
    role: str
    paragraphs: tuple[str, ...]
    naive_time: bool

    @property
    def path(self) -> str:
        day = self.published.strftime("%Y/%m/%d")
        return f"/news/{day}/{self.section}/{self.slug}/"


class Site:
    """The whole site, computed from the seed."""

    def __init__(self, articles: int = 120, seed: int = 1) -> None:
        self.size, self.seed = articles, seed
        self.stories = [self._story(n) for n in range(articles)]  # newest first
        self.by_path = {s.path: s for s in self.stories}

    def _story(self, number: int) -> Story:
        rng = random.Random(f"{self.seed}:{number}")
        section, prose = SECTIONS[number % len(SECTIONS)]
        published = NEWEST - timedelta(minutes=97 * number + rng.randint(0, 40))
        fill = partial(corpus.fill, rng, prose)
        title = fill(rng.choice(words.HEADLINE_TEMPLATES))
        slug = "-".join("".join(c for c in w.lower() if c.isalnum()) for w in title.split())
        slug = "-".join(p for p in slug.split("-") if p)[:60].strip("-") + f"-{number}"
        author = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        count = rng.randint(4, 8)
        paragraphs = tuple(
            " ".join(fill(rng.choice(words.SENTENCE_TEMPLATES)) for _ in range(rng.randint(2, 3)))
            for _ in range(count)
        )
        return Story(
            number=number,
            section=section,
            published=published,
            title=title,
            slug=slug,
            author=author,
            role=rng.choice(STAFF_ROLES),
            paragraphs=paragraphs,
            naive_time=number % NAIVE_TIME_SHARE == NAIVE_TIME_SHARE - 1,
        )

    def section_stories(self, section: str) -> list[Story]:
        return [s for s in self.stories if s.section == section]

    def manifest(self) -> list[dict[str, object]]:
        """What a correct crawl exports for each article."""
        return [
            {
                "path": s.path,
                "section": s.section,
                "title": s.title,
                "published": s.published.isoformat(),
                "zone_assumed": s.naive_time,
                "authors": [s.author],
                "body": "\n\n".join(s.paragraphs),
            }
            for s in self.stories
        ]


class Router:
    """The replica server's router interface: (target, origin) -> Response."""

    faults = ()

    def __init__(self, site: Site) -> None:
        self.site = site

    def handle(self, target: str, origin: str) -> Response:
        parts = urlsplit(target)
        path, query = parts.path or "/", parse_qs(parts.query)
        if path == "/robots.txt":
            return Response(
                200,
                f"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: {origin}/sitemap_index.xml\n",
                TEXT,
            )
        if path == "/sitemap_index.xml":
            return Response(200, self._sitemap_index(origin), XML)
        if path.startswith("/post-sitemap") and path.endswith(".xml"):
            return self._sitemap(origin, path)
        for section, _ in SECTIONS:
            if path == f"/news/{section}/":
                return self._listing(origin, section, query.get("page", ["1"])[0])
            if path == f"/news/{section}/feed/":
                return Response(200, self._feed(origin, section), RSS)
        story = self.site.by_path.get(path)
        if story is not None:
            return Response(200, article_page(story, origin, self.site), kind="article")
        return Response(404, _page("Page not found", "<h1>Page not found</h1>", origin))

    def _listing(self, origin: str, section: str, page_text: str) -> Response:
        stories = self.site.section_stories(section)
        pages = max(1, -(-len(stories) // PER_PAGE))
        if not page_text.isdigit() or not 1 <= int(page_text) <= pages:
            return Response(404, _page("Page not found", "<h1>Page not found</h1>", origin))
        page = int(page_text)
        shown = stories[(page - 1) * PER_PAGE : page * PER_PAGE]
        return Response(
            200, listing_page(origin, section, shown, page, pages, self.site), kind="listing"
        )

    def _feed(self, origin: str, section: str) -> str:
        items = "".join(
            f"<item><title>{html.escape(s.title)}</title><link>{origin}{s.path}</link>"
            f"<pubDate>{s.published.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate></item>"
            for s in self.site.section_stories(section)[:FEED_ITEMS]
        )
        return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{section}</title>{items}</channel></rss>'

    def _sitemap_index(self, origin: str) -> str:
        count = max(1, -(-self.site.size // SITEMAP_SIZE))
        entries = "".join(
            f"<sitemap><loc>{origin}/post-sitemap{n}.xml</loc>"
            f"<lastmod>{self.site.stories[(n - 1) * SITEMAP_SIZE].published.isoformat()}</lastmod></sitemap>"
            for n in range(1, count + 1)
        )
        return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'

    def _sitemap(self, origin: str, path: str) -> Response:
        number = path.removeprefix("/post-sitemap").removesuffix(".xml")
        if not number.isdigit() or int(number) < 1:
            return Response(404, "", XML)
        chunk = self.site.stories[(int(number) - 1) * SITEMAP_SIZE : int(number) * SITEMAP_SIZE]
        if not chunk:
            return Response(404, "", XML)
        entries = "".join(
            f"<url><loc>{origin}{s.path}</loc><lastmod>{s.published.isoformat()}</lastmod></url>"
            for s in chunk
        )
        # a sitemap also lists pages that are not articles
        entries += f"<url><loc>{origin}/about-us/</loc></url>"
        return Response(
            200,
            f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>',
            XML,
        )


# -- pages --------------------------------------------------------------------------------------
def _chrome(origin: str) -> tuple[str, str]:
    nav = "".join(
        f'<li><a href="{origin}/news/{s}/">{s.split("/")[1].title()}</a></li>' for s, _ in SECTIONS
    )
    header = (
        f'<header class="site-header"><a class="logo" href="{origin}/">The Japan Times</a>'
        f'<nav class="main-nav"><ul>{nav}<li><a href="{origin}/about-us/">About us</a></li>'
        f'<li><a href="{origin}/subscribe/">Subscribe</a></li></ul></nav></header>'
    )
    footer = (
        '<footer class="site-footer"><p>The Japan Times ST</p><ul><li><a href="/privacy-policy/">Privacy policy</a></li>'
        '<li><a href="/terms-of-use/">Terms of use</a></li></ul><p>© The Japan Times, Ltd. All rights reserved.</p>'
        '<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div></footer>'
    )
    return header, footer


def _page(title: str, main: str, origin: str, head: str = "") -> str:
    header, footer = _chrome(origin)
    return (
        f'<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>{html.escape(title)}</title>'
        f'{head}</head><body>{header}<main id="main">{main}</main>{footer}</body></html>'
    )


def _most_read(site: Site, origin: str) -> str:
    picks = site.stories[:5]
    items = "".join(
        f'<li><a href="{origin}{s.path}">{html.escape(s.title)}</a></li>' for s in picks
    )
    return f'<aside class="most-read"><h3>Most read</h3><ol>{items}</ol></aside>'


def listing_page(
    origin: str, section: str, stories: list[Story], page: int, pages: int, site: Site
) -> str:
    cards = "".join(
        f'<article class="article-card"><h2><a href="{origin}{s.path}">{html.escape(s.title)}</a></h2>'
        f'<p class="card-date">{s.published.strftime("%b %d, %Y")}</p></article>'
        for s in stories
    )
    numbers = "".join(
        f'<a class="page-numbers" href="{origin}/news/{section}/?page={n}">{n}</a>'
        for n in range(1, pages + 1)
    )
    following = (
        f'<a class="next page-numbers" href="?page={page + 1}">Next</a>' if page < pages else ""
    )
    head = f'<link rel="alternate" type="application/rss+xml" title="{section} feed" href="{origin}/news/{section}/feed/">'
    main = f'<h1 class="archive-title">{section.split("/")[1].title()}</h1>{cards}<nav class="pagination">{numbers}{following}</nav>{_most_read(site, origin)}'
    return _page(f"{section.split('/')[1].title()} - The Japan Times", main, origin, head)


def article_page(story: Story, origin: str, site: Site) -> str:
    url = origin + story.path
    person_id = f"{origin}/#/schema/person/{hashlib.sha1(story.author.encode()).hexdigest()[:12]}"
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": f"{story.title} - The Japan Times",
            },
            {"@type": "Organization", "@id": f"{origin}/#organization", "name": "The Japan Times"},
            {"@type": "Person", "@id": person_id, "name": story.author},
            {
                "@type": "NewsArticle",
                "@id": f"{url}#article",
                "headline": story.title,
                "author": {"@id": person_id},
                "publisher": {"@id": f"{origin}/#organization"},
                "isPartOf": {"@id": url},
                **({} if story.naive_time else {"datePublished": story.published.isoformat()}),
            },
        ],
    }
    head = (
        f'<link rel="canonical" href="{url}">'
        f'<meta property="og:title" content="{html.escape(story.title)} - The Japan Times">'
        f'<meta property="og:type" content="article">'
        f'<meta name="description" content="{html.escape(story.paragraphs[0][:150])}">'
    )
    if not story.naive_time:
        head += f'<meta property="article:published_time" content="{story.published.isoformat()}">'
    head += f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    when = (
        story.published.replace(tzinfo=None).isoformat()
        if story.naive_time
        else story.published.isoformat()
    )
    paragraphs = [f"<p>{html.escape(p)}</p>" for p in story.paragraphs]
    related = site.stories[(story.number + 1) % site.size]
    paragraphs.insert(
        2,
        f'<p class="related">Related: <a href="{origin}{related.path}">{html.escape(related.title)}</a></p>',
    )
    paragraphs.insert(
        1,
        '<figure class="wp-block-image"><img src="/wp-content/uploads/photo.jpg" alt="">'
        "<figcaption>Officials at the meeting on Sunday. | Kyodo</figcaption></figure>",
    )
    main = (
        f'<article class="single-article"><header><h1 class="article-title">{html.escape(story.title)}</h1>'
        f'<p class="byline">By <a href="{origin}/author/{story.slug[:8]}/">{html.escape(story.author)}</a>, {story.role}</p>'
        f'<time class="post-date" datetime="{when}">{story.published.strftime("%b %d, %Y")}</time></header>'
        f'<div class="article-body">{"".join(paragraphs)}'
        '<p class="newsletter">Sign up for our free daily newsletter to get the top stories in your inbox.</p>'
        '<div class="share"><p>Share this article</p></div></div></article>'
        f"{_most_read(site, origin)}"
    )
    return _page(f"{story.title} - The Japan Times", main, origin, head)
