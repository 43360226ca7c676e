"""HTML pages of the replica: articles (2024 theme and the unknown 2026-style layout), listings,
section archives, the home page, attachment pages and the 404 page.

A `Site` renders for one origin (the scheme and host the request came to), so every internal link
is absolute on that origin, as on the real site.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newscrawl.replica import chrome, words
from newscrawl.replica.chrome import attr, esc
from newscrawl.replica.corpus import (
    JST,
    SECTION_BY_SLUG,
    SECTIONS,
    Article,
    Block,
    Corpus,
    Image,
    Section,
    Subsection,
    iso_jst,
    minute,
)

LISTING_PER_PAGE = 10
SECTION_PER_PAGE = 12
HOME_ITEMS = 20


@dataclass(frozen=True)
class Listing:
    """What a listing page shows: its heading, crumbs, root path, items and page size."""

    title: str
    trail: list[tuple[str, str]]
    root: str  # path with trailing slash
    items: Sequence[int]
    per_page: int
    section: Section | None
    sub_nav: bool = False


def _json_ld(data: dict) -> str:
    # escaped slashes keep "</p>" inside the description from closing the script element
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{text}</script>\n'


# ----- what fault modes change in an article page (Article.time_fault, Article.untitled) -----
IMPOSSIBLE, MISSING, NAIVE = "impossible", "missing", "naive"


def _title(a: Article) -> str:
    if a.untitled:
        return chrome.SITE
    return f"{chrome.wp_title(a.title)}{a.title_sep}{chrome.SITE}"


def _meta_time(a: Article, t: datetime) -> str | None:
    """article:*_time: ISO 8601 with seconds zero (misstated under the `baddates` fault)."""
    if a.time_fault == MISSING:
        return None
    if a.time_fault == IMPOSSIBLE:
        return f"{t.year}-02-30T25:61:00+09:00"
    if a.time_fault == NAIVE:
        return minute(t).astimezone(JST).replace(tzinfo=None).isoformat(timespec="seconds")
    return iso_jst(minute(t))


def _ld_time(a: Article, t: datetime) -> str | None:
    """JSON-LD times: real seconds."""
    if a.time_fault == MISSING:
        return None
    if a.time_fault == IMPOSSIBLE:
        return f"{t.year}-02-30T25:61:{t.second:02d}+09:00"
    if a.time_fault == NAIVE:
        return t.astimezone(JST).replace(tzinfo=None).isoformat(timespec="seconds")
    return iso_jst(t)


def _time_meta(a: Article, close: str) -> str:
    out = ""
    for prop, t in (("published", a.published), ("modified", a.modified)):
        value = _meta_time(a, t)
        if value is not None:
            out += f'<meta property="article:{prop}_time" content="{value}"{close}>\n'
    return out


def _fault_ld(a: Article, data: dict) -> dict:
    """Drop from JSON-LD what the page must not carry: a headline when untitled, missing times."""
    if a.untitled:
        del data["headline"]
    return {k: v for k, v in data.items() if v is not None}


def _date_line(a: Article, space: str) -> str | None:
    """The visible date line ('17:41 JST,{space}October 13, 2024'), None when it is missing.
    A naive time keeps the line as it is: it is Japan time anyway."""
    t = a.published
    if a.time_fault == MISSING:
        return None
    if a.time_fault == IMPOSSIBLE:
        return f"25:61 JST,{space}February 30, {t.year}"
    return f"{t:%H:%M} JST,{space}{chrome.long_date(t)}"


def _blocks_html(blocks: Sequence[Block]) -> str:
    return "".join(f"<{b.tag}>{b.html}</{b.tag}>\n" for b in blocks)


class Site:
    def __init__(self, corpus: Corpus, origin: str) -> None:
        self.corpus = corpus
        self.origin = origin

    # ----- helpers ------------------------------------------------------------------------

    def _articles(self, indices: Sequence[int]) -> list[Article]:
        return [self.corpus.article(i) for i in indices]

    def _others(self, pool: Sequence[int], count: int, skip: int) -> list[Article]:
        picked = [i for i in pool[: count + 1] if i != skip][:count]
        return self._articles(picked)

    def _popular(self, pool: Sequence[int], count: int, salt: str, skip: int = -1) -> list[Article]:
        picked = [i for i in self.corpus.popular(pool, count + 1, salt) if i != skip][:count]
        return self._articles(picked)

    def _sidebar(self, sec: Section, skip: int = -1) -> str:
        rank1 = self._popular(self.corpus.section_latest(sec.slug), 5, sec.slug, skip)
        rank2 = self._popular(self.corpus.latest(), 5, "access", skip)
        return chrome.sidebar(self.origin, sec.label, rank1, rank2)

    def _year(self) -> int:
        return self.corpus.reference_now.year

    def _page(self, head: str, body_class: str, content: str, tail: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n'
            + chrome.head_common(self.origin)
            + head
            + f'</head>\n<body class="{body_class}">\n'
            + chrome.MODALS
            + chrome.header(self.origin)
            + content
            + chrome.footer(self.origin, self._year())
            + tail
            + "</body>\n</html>\n"
        )

    # ----- article, 2024 theme ------------------------------------------------------------

    def article(self, a: Article) -> str:
        return self._article_2024(a) if a.layout == "2024" else self._article_unknown(a)

    def _article_head(self, a: Article) -> str:
        url = self.origin + a.path
        desc = f"<p>{attr(a.description)}</p>\n"  # literal markup and newline, as on the site
        og_title = "" if a.untitled else f'<meta property="og:title" content="{attr(a.title)}" />\n'
        return (
            f"<title>{_title(a)}</title>\n"
            f'<link rel="canonical" href="{url}" />\n'
            f"<link rel='shortlink' href='{self.origin}/?p={a.post_id}' />\n"
            '<meta property="og:locale" content="en_US" />\n'
            '<meta property="og:type" content="article" />\n'
            + og_title
            + f'<meta property="og:description" content="{desc}" />\n'
            f'<meta property="og:url" content="{url}" />\n'
            '<meta property="og:site_name" content="The Japan News" />\n'
            + _time_meta(a, " /")
            + f'<meta property="og:image" content="{chrome.og_image(self.origin, a)}" />\n'
            '<meta name="twitter:card" content="summary_large_image" />\n'
            f'<meta name="cXenseParse:yoj-category" content="{a.subsection.slug}" />\n'
            f'<meta name="cXenseParse:yoj-articletype" content="{a.access}" />\n'
            + _json_ld(self._blog_posting(a))
        )

    def _blog_posting(self, a: Article) -> dict:
        url = self.origin + a.path
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": a.title,
            "image": {"@type": "ImageObject", "url": chrome.og_image(self.origin, a)},
            "datePublished": _ld_time(a, a.published),
            "dateModified": _ld_time(a, a.modified),
            "author": {"@type": "Person", "name": a.cms_user},
            "publisher": {
                "@type": "Organization",
                "name": "The Japan News",
                "logo": {"@type": "ImageObject", "url": f"{self.origin}/logo.png"},
            },
            "description": f"<p>{a.description}</p>\n",
            "articleSection": esc(a.subsection.label),
            "keywords": "(1) 無料記事" if a.access == "free" else "(2) 有料記事",
        }
        return _fault_ld(a, data)

    def _figure_2024(self, a: Article, im: Image) -> str:
        return (
            f'<figure class="horizontal_s"><a class="zoom" '
            f'href="{self.origin}{a.path}attachment/{im.attachment_id}/">'
            f'<img src="{self.origin}{im.path}" alt="" width="1024" height="683"></a>'
            f"<figcaption><span>{esc(im.credit)}</span><br>{esc(im.caption)}</figcaption>"
            "</figure>\n"
        )

    def _share(self, a: Article) -> str:
        url = attr(self.origin + a.path)
        return (
            '<div class="sns_share"><ul>'
            f'<li class="x"><a href="https://twitter.com/intent/tweet?url={url}" '
            'target="_blank" rel="noopener">Post</a></li>'
            f'<li class="facebook"><a href="https://www.facebook.com/sharer/sharer.php?u={url}" '
            'target="_blank" rel="noopener">Share</a></li>'
            '<li class="print"><a href="javascript:window.print();">Print</a></li>'
            "</ul></div>\n"
        )

    def _article_2024(self, a: Article) -> str:
        sec, sub, origin = a.section, a.subsection, self.origin
        block = "".join(self._figure_2024(a, im) for im in a.images)
        if a.byline:
            block += f'<p class="byline">{esc(a.byline)}</p>\n'
        postdate = _date_line(a, "&ensp;")
        if postdate is not None:
            block += f'<p class="postdate">{postdate}</p>\n'
        block += _blocks_html(a.blocks)
        latest = self.corpus.latest()
        bloc_2 = (
            '<div class="bloc_2">\n'
            f"<div id=p-article-block>\n{block}</div>\n"
            '<div id="article-inline-offer"></div>\n'
            '<div class="goolenewsfeed"><a href="https://news.google.com/publications/'
            'CAAqBwgKMLrcrgsw0fbFAw" target="_blank" rel="noopener">'
            "Add TheJapanNews to your Google News feed.</a></div>\n"
            + chrome.related_list(
                origin,
                "latestlist related",
                f"{sub.label} Latest Articles",
                self._others(self.corpus.subsection_latest(sub.slug), 4, a.index),
            )
            + chrome.related_list(
                origin, "latestlist related", "Latest Articles", self._others(latest, 4, a.index)
            )
            + chrome.related_list(
                origin,
                "popularlist related",
                "Popular Articles",
                self._popular(latest, 8, "popular", a.index),
            )
            + "</div>\n"
        )
        bloc_1 = (
            '<div class="bloc_1">\n'
            f'<a class="category" href="{origin}/{sec.slug}/{sub.slug}/">{esc(sub.label)}</a>\n'
            + ("" if a.untitled else f"<h1>{esc(a.title)}</h1>\n")
            + self._share(a)
            + "</div>\n"
        )
        content = (
            chrome.breadcrumbs(origin, chrome.section_trail(sec, sub)) + '<main class="clearfix">\n'
            f'<div class="single_page single_{sec.slug} single_{sub.slug} page_w1100 clearfix">\n'
            + bloc_1
            + bloc_2
            + self._sidebar(sec, a.index)
            + "</div>\n</main>\n"
        )
        body_class = f"post-template-default single single-post postid-{a.post_id}"
        return self._page(self._article_head(a), body_class, content, self._set_tags(a))

    @staticmethod
    def _set_tags(a: Article) -> str:
        t = a.published
        tags = json.dumps(
            [a.access, a.subsection.slug, f"{t.year}年{t.month}月{t.day}日"], ensure_ascii=False
        )
        return f'<script>\nvar tp = window.tp || [];\ntp.push(["setTags", {tags}]);\n</script>\n'

    # ----- article, unknown 2026-style layout ---------------------------------------------

    def _article_unknown(self, a: Article) -> str:
        origin = self.origin
        head = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width">\n'
            f"<title>{_title(a)}</title>\n"
            f'<link rel="canonical" href="{origin}{a.path}">\n'
            + (self._unknown_meta(a) if a.has_meta else "")
            + f'<link rel="stylesheet" href="{origin}/assets/css/app.min.css">\n</head>\n'
        )
        return (
            head
            + '<body class="l-body">\n'
            + self._unknown_header()
            + '<main class="l-main">\n<article class="c-article">\n'
            + self._unknown_story(a)
            + "</article>\n"
            + self._unknown_lists(a)
            + "</main>\n"
            + f'<footer class="l-footer"><p class="l-footer__copy">© {self._year()} '
            "The Yomiuri Shimbun</p></footer>\n</body>\n</html>\n"
        )

    def _unknown_meta(self, a: Article) -> str:
        origin = self.origin
        ld: dict = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": _ld_time(a, a.published),
            "dateModified": _ld_time(a, a.modified),
            "mainEntityOfPage": origin + a.path,
        }
        if a.authors:
            ld["author"] = [{"@type": "Person", "name": n} for n in a.authors]
        else:
            ld["author"] = {"@type": "Organization", "name": "The Yomiuri Shimbun"}
        og_title = "" if a.untitled else f'<meta property="og:title" content="{attr(a.title)}">\n'
        return (
            og_title + f'<meta property="og:description" content="{attr(a.description)}">\n'
            f'<meta property="og:url" content="{origin}{a.path}">\n'
            f'<meta property="og:image" content="{chrome.og_image(origin, a)}">\n'
            '<meta property="og:type" content="article">\n'
            + _time_meta(a, "")
            + _json_ld(_fault_ld(a, ld))
        )

    def _unknown_header(self) -> str:
        origin = self.origin
        hot = "".join(
            f'<li><a href="{origin}/tag/{_slug(w)}/">{esc(w)}</a></li>' for w in words.HOT_WORDS
        )
        nav = "".join(f'<li><a href="{origin}/{s.slug}/">{esc(s.label)}</a></li>' for s in SECTIONS)
        return (
            '<header class="l-header">'
            f'<a class="l-header__logo" href="{origin}/">The Japan News</a>\n'
            f'<nav class="l-gnav"><ul>{nav}</ul></nav></header>\n'
            '<div class="c-hotword"><span class="c-hotword__label">Hot word :</span>'
            f"<ul>{hot}</ul></div>\n"
        )

    def _unknown_story(self, a: Article) -> str:
        origin, sec, sub = self.origin, a.section, a.subsection
        crumbs = (
            f'<nav class="c-breadcrumb"><ol><li><a href="{origin}/">Home</a></li>'
            f'<li><a href="{origin}/{sec.slug}/">{esc(sec.label)}</a></li>'
            f'<li><a href="{origin}/{sec.slug}/{sub.slug}/">{esc(sub.label)}</a></li></ol></nav>\n'
        )
        tags = "".join(
            f'<li><a class="c-tag" href="{origin}/tag/{_slug(t)}/">#{esc(t)}</a></li>'
            for t in a.tags
        )
        figures = "".join(
            f'<figure class="c-article__figure"><img src="{origin}{im.path}" alt="">'
            f'<figcaption><span class="c-article__credit">{esc(im.credit)}</span> '
            f'<span class="c-article__caption">{esc(im.caption)}</span></figcaption></figure>\n'
            for im in a.images
        )
        byline = f'<p class="c-article__author">{esc(a.byline)}</p>\n' if a.byline else ""
        date_text = _date_line(a, " ")
        if date_text is None:
            date = ""
        elif a.date_in_time_tag:
            date = f'<time class="c-article__time">{date_text}</time>\n'
        else:
            date = f'<p class="c-article__date">{date_text}</p>\n'
        return (
            crumbs
            + '<header class="c-article__header">\n'
            + ("" if a.untitled else f'<h1 class="c-article__headline">{esc(a.title)}</h1>\n')
            + f'<ul class="c-article__tags">{tags}</ul>\n</header>\n'
            + figures
            + byline
            + date
            + '<div class="c-article__body">\n'
            + _blocks_html(a.blocks)
            + self._unknown_tail(a)
            + "</div>\n"
        )

    def _unknown_tail(self, a: Article) -> str:
        """Furniture inside the story container: what a generic extractor will swallow."""
        rank1 = self._popular(
            self.corpus.section_latest(a.section.slug), 5, a.section.slug, a.index
        )
        rank2 = self._popular(self.corpus.latest(), 5, "access", a.index)
        out = "<p>Add TheJapanNews to your Google News feed.</p>\n"
        out += f'<p>"{esc(a.section.label)}" POPULAR ARTICLE</p>\n'
        out += "".join(
            f"<p>{'- ' if k % 2 == 0 else ''}{esc(x.title)}</p>\n" for k, x in enumerate(rank1)
        )
        out += "<p>JN ACCESS RANKING</p>\n"
        out += "".join(f"<p>{esc(x.title)}</p>\n" for x in rank2)
        return out

    def _unknown_lists(self, a: Article) -> str:
        origin = self.origin
        tags = "".join(
            f'<a class="c-tag" href="{origin}/tag/{_slug(t)}/">#{esc(t)}</a> ' for t in a.tags
        )
        out = f'<section class="c-related-tags"><h2>Related Tags</h2>{tags}</section>\n'
        lists = [
            (
                f"{a.subsection.label} Latest Articles",
                self._others(self.corpus.subsection_latest(a.subsection.slug), 4, a.index),
            ),
            ("Latest Articles", self._others(self.corpus.latest(), 4, a.index)),
            (
                "Popular articles in the past 24 hours",
                self._popular(self.corpus.latest(), 5, "day", a.index),
            ),
        ]
        for heading, items in lists:
            lis = "".join(f'<li><a href="{origin}{x.path}">{esc(x.title)}</a></li>' for x in items)
            out += f'<section class="c-list"><h2>{esc(heading)}</h2><ul>{lis}</ul></section>\n'
        return out

    # ----- listings -----------------------------------------------------------------------

    def listing(
        self,
        listing: Listing,
        page: int,
        extra: tuple[int, str] | None = None,
        loop_back: bool = False,
    ) -> str | None:
        """A listing page, or None when `page` is past the last page (the server answers 404).

        Fault modes only: `extra` = (k, li markup) adds an entry after the page's k-th item;
        `loop_back` makes the last page link "next" to page 1."""
        pages = max(1, math.ceil(len(listing.items) / listing.per_page))
        if not 1 <= page <= pages:
            return None
        start = (page - 1) * listing.per_page
        items = self._articles(listing.items[start : start + listing.per_page])
        base = self.origin + listing.root
        url = base if page == 1 else f"{base}page/{page}/"
        head = (
            f"<title>{chrome.wp_title(listing.title)} &#045; The Japan News</title>\n"
            f'<link rel="canonical" href="{url}" />\n'
        )
        if page > 1:
            prev = base if page == 2 else f"{base}page/{page - 1}/"
            head += f'<link rel="prev" href="{prev}" />\n'
        if page < pages:
            head += f'<link rel="next" href="{base}page/{page + 1}/" />\n'
        elif loop_back:
            head += f'<link rel="next" href="{base}" />\n'
        entries = [chrome.list_item(self.origin, a, chrome.long_date(a.published)) for a in items]
        if extra is not None:
            entries.insert(extra[0] + 1, extra[1])
        main = (
            f'<h1 class="category_title">{esc(listing.title)}</h1>\n'
            + (self._sub_nav(listing.section) if listing.sub_nav else "")
            + '<ul class="list_article">\n'
            + "".join(entries)
            + "</ul>\n"
            + self._photo_link(items)
            + chrome.pagination(base, page, pages, next_url=base if loop_back else None)
        )
        return self._listing_page(listing, head, main)

    def _listing_page(self, listing: Listing, head: str, main: str) -> str:
        sec = listing.section or SECTION_BY_SLUG["politics"]
        content = (
            chrome.breadcrumbs(self.origin, listing.trail)
            + '<main class="clearfix">\n<div class="archive_page page_w1100 clearfix">\n'
            + f'<div class="bloc_2">\n{main}</div>\n'
            + self._sidebar(sec)
            + "</div>\n</main>\n"
        )
        return self._page(head, "archive category", content)

    def _sub_nav(self, sec: Section | None) -> str:
        if sec is None:
            return ""
        lis = "".join(
            f'<li><a href="{self.origin}/{sec.slug}/{s.slug}/">{esc(s.label)}</a></li>'
            for s in sec.subsections
        )
        return f'<ul class="sub-category">{lis}</ul>\n'

    def _photo_link(self, items: list[Article]) -> str:
        """A 'Photo' link to an attachment page inside main: not an article."""
        for a in items:
            if a.images:
                href = f"{self.origin}{a.path}attachment/{a.images[0].attachment_id}/"
                return f'<div class="photo_link"><a href="{href}">Photo</a></div>\n'
        return ""

    def home(self) -> str:
        now = self.corpus.reference_now
        items = self._articles(self.corpus.latest()[:HOME_ITEMS])
        head = (
            "<title>The Japan News &#045; Breaking News from Japan and Asia</title>\n"
            f'<link rel="canonical" href="{self.origin}/" />\n'
        )
        lis = "".join(chrome.list_item(self.origin, a, _ago(now, a.published)) for a in items)
        main = (
            '<div class="top_latest"><h2>Latest News</h2>\n'
            f'<ul class="list_article">\n{lis}</ul>\n'
            f'<a class="more" href="{self.origin}/latestnews/">See more</a></div>\n'
        )
        content = (
            '<main class="clearfix">\n<div class="top_page page_w1100 clearfix">\n'
            f'<div class="bloc_2">\n{main}</div>\n'
            + self._sidebar(SECTION_BY_SLUG["politics"])
            + "</div>\n</main>\n"
        )
        return self._page(head, "home blog", content)

    # ----- small pages --------------------------------------------------------------------

    def attachment(self, a: Article, im: Image) -> str:
        url = f"{self.origin}{a.path}attachment/{im.attachment_id}/"
        name = im.path.rsplit("/", 1)[-1].removesuffix(".jpg")
        head = (
            f"<title>{esc(name)} &#045; The Japan News</title>\n"
            f'<link rel="canonical" href="{url}" />\n'
        )
        content = (
            '<main class="clearfix">\n<div class="attachment_page page_w1100">\n'
            f"<h1>{esc(name)}</h1>\n"
            f'<p class="attachment"><a href="{self.origin}{im.path}">'
            f'<img src="{self.origin}{im.path}" '
            'alt="" width="1024" height="683"></a></p>\n'
            f'<p class="wp-caption-text">{esc(im.caption)}</p>\n'
            "</div>\n</main>\n"
        )
        return self._page(head, f"attachment postid-{im.attachment_id}", content)

    def blank(self) -> str:
        """An article URL whose content area rendered empty (a broken template, a cache glitch):
        chrome and sidebar only, no h1, story, date line, article meta or JSON-LD."""
        # the sidebar rankings stay: headlines a careless extractor could take for a story
        content = (
            '<main class="clearfix">\n<div class="single_page page_w1100 clearfix">\n'
            '<div class="bloc_2">\n<div id=p-article-block>\n</div>\n</div>\n'
            + self._sidebar(SECTION_BY_SLUG["politics"])
            + "</div>\n</main>\n"
        )
        head = f"<title>{chrome.SITE}</title>\n"
        return self._page(head, "post-template-default single single-post", content)

    def not_found(self) -> str:
        head = "<title>Page not found &#045; The Japan News</title>\n"
        content = (
            '<main class="clearfix">\n<div class="error404_page page_w1100">\n'
            "<h1>Page not found</h1>\n"
            "<p>Sorry, the page you are looking for could not be found.</p>\n"
            "</div>\n</main>\n"
        )
        return self._page(head, "error404", content)


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _ago(now: datetime, t: datetime) -> str:
    """Home-page dates: '2 hours ago' within a day, else 'Month D, YYYY'."""
    seconds = (now - t).total_seconds()
    if 0 <= seconds < 3600:
        mins = max(1, int(seconds // 60))
        return f"{mins} minute{'s' if mins != 1 else ''} ago"
    if 0 <= seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return chrome.long_date(t.astimezone(JST))


def subsection_listing(corpus: Corpus, sub: Subsection) -> Listing:
    sec = SECTION_BY_SLUG[sub.section]
    return Listing(
        title=sub.label,
        trail=chrome.section_trail(sec, sub),
        root=f"/{sec.slug}/{sub.slug}/",
        items=corpus.subsection_latest(sub.slug),
        per_page=LISTING_PER_PAGE,
        section=sec,
    )


def section_listing(corpus: Corpus, sec: Section) -> Listing:
    return Listing(
        title=sec.label,
        trail=chrome.section_trail(sec),
        root=f"/{sec.slug}/",
        items=corpus.section_latest(sec.slug),
        per_page=SECTION_PER_PAGE,
        section=sec,
        sub_nav=True,
    )


def latest_listing(corpus: Corpus) -> Listing:
    return Listing(
        title="Latest News",
        trail=[("Latest News", "/latestnews/")],
        root="/latestnews/",
        items=corpus.latest(),
        per_page=LISTING_PER_PAGE,
        section=None,
    )
