"""Site furniture shared by the replica's 2024-theme pages: head, modals, menus, footer, lists.

Faithful to the notes on the real site (class names and ids exact, including the repeated
`li#drawer_child` / `ul#sub-menu` ids and the "fomat" typo in the footer). Everything here is
boilerplate a crawler must skip.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime

from newscrawl.replica.corpus import (
    DEFAULT_IMAGE,
    SECTIONS,
    Article,
    Section,
    Subsection,
    cut,
)

SITE = "The Japan News"
NOIMAGE = "/wp-content/themes/thejapannews_ver1/images/noimage.png"
THEME_DIR = "/wp-content/themes/thejapannews_ver1"
THEME_CSS = THEME_DIR + "/style.css?ver=2.4.1"


def esc(text: str) -> str:
    """Escape a text node."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """Escape an attribute value."""
    return html.escape(text, quote=True)


_WP_ENTITIES = {"’": "&#8217;", "‘": "&#8216;", "“": "&#8220;", "”": "&#8221;", "—": "&#8212;"}


def wp_title(text: str) -> str:
    """Escape a title as WordPress prints it in <title>: typographic characters as entities."""
    out = esc(text)
    for char, entity in _WP_ENTITIES.items():
        out = out.replace(char, entity)
    return out


def long_date(t: datetime) -> str:
    return f"{t:%B} {t.day}, {t.year}"


def postdate(t: datetime) -> str:
    """'17:41 JST,&ensp;October 13, 2024' (the en space is written as an entity, as on the site)."""
    return f"{t:%H:%M} JST,&ensp;{long_date(t)}"


def thumb(origin: str, a: Article) -> str:
    return origin + (a.images[0].thumb_path if a.images else NOIMAGE)


def og_image(origin: str, a: Article) -> str:
    return origin + (a.images[0].path if a.images else DEFAULT_IMAGE)


def head_common(origin: str) -> str:
    return (
        '<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="index, follow, max-image-preview:large">\n'
        "<link rel='dns-prefetch' href='//www.googletagmanager.com' />\n"
        f"<link rel='stylesheet' id='jn-style-css' href='{origin}{THEME_CSS}' "
        "type='text/css' media='all' />\n"
        f'<link rel="icon" href="{origin}{THEME_DIR}/images/favicon.ico">\n'
    )


MODALS = """<div id="tpModal" class="modal" style="display:none;">
<div class="modal-content">
<p>Please disable the ad blocking feature.</p>
<p>To use this site, please disable the ad blocking feature and reload the page.</p>
</div>
</div>
<div id="consentModal" class="consent" style="display: none;">
<div class="consent_inner">
<p>This website uses cookies to collect information about your visit for purposes such as \
showing you personalized ads and content, and analyzing our website traffic. By clicking \
“Accept all,” you will allow the use of these cookies.</p>
<p>Users accessing this site from EEA countries and UK are unable to view this site without \
your consent. We apologize for any inconvenience caused.</p>
<button type="button" class="consent_accept">Accept all</button>
</div>
</div>
"""


def global_menu(origin: str, css: str) -> str:
    """Menu of all sections; ids repeat on every item, as in the real theme."""
    items = []
    for sec in SECTIONS:
        subs = "".join(
            f'<li class="menu-item"><a href="{origin}/{sec.slug}/{sub.slug}/">'
            f"{esc(sub.label)}</a></li>"
            for sub in sec.subsections
        )
        items.append(
            f'<li id="drawer_child" class="menu-item menu-item-has-children">'
            f'<a href="{origin}/{sec.slug}/">{esc(sec.label)}</a>\n'
            f'<ul id="sub-menu" class="sub-menu">{subs}</ul></li>'
        )
    items.append(f'<li class="menu-item"><a href="{origin}/latestnews/">Latest News</a></li>')
    return f'<nav class="{css}"><ul class="menu">\n' + "\n".join(items) + "\n</ul></nav>\n"


def header(origin: str) -> str:
    return (
        '<header id="header" class="header clearfix">\n'
        f'<div class="logo"><a href="{origin}/"><img src="{origin}{THEME_DIR}/images/logo.svg" '
        'alt="The Japan News by The Yomiuri Shimbun"></a></div>\n'
        '<div class="header_search"><form role="search" method="get" '
        f'action="{origin}/"><input type="text" name="s" placeholder="Search"></form></div>\n'
        + global_menu(origin, "global_nav pc")
        + '<div id="drawer" class="drawer sp">\n'
        + global_menu(origin, "drawer_nav")
        + "</div>\n</header>\n"
    )


def breadcrumbs(origin: str, trail: Iterable[tuple[str, str]]) -> str:
    """Breadcrumb NavXT-style schema.org BreadcrumbList; trail = (label, path) after Home."""
    parts = []
    crumbs = [("Home", "/"), *trail]
    for pos, (label, path) in enumerate(crumbs, start=1):
        parts.append(
            '<span property="itemListElement" typeof="ListItem">'
            f'<a property="item" typeof="WebPage" href="{origin}{path}">'
            f'<span property="name">{esc(label)}</span></a>'
            f'<meta property="position" content="{pos}"></span>'
        )
    return (
        '<div class="breadcrumbs" typeof="BreadcrumbList" vocab="https://schema.org/">'
        + " &gt; ".join(parts)
        + "</div>\n"
    )


def section_trail(sec: Section, sub: Subsection | None = None) -> list[tuple[str, str]]:
    trail = [(sec.label, f"/{sec.slug}/")]
    if sub is not None:
        trail.append((sub.label, f"/{sec.slug}/{sub.slug}/"))
    return trail


def footer(origin: str, year: int) -> str:
    links = "".join(
        f'<li><a href="{origin}/{sec.slug}/">{esc(sec.label)}</a></li>' for sec in SECTIONS
    )
    return (
        '<footer id="footer" class="footer">\n<div class="footer_inner page_w1100 clearfix">\n'
        '<div class="weekly">\n<p class="weekly_title">The Japan News / Weekly Edition</p>\n'
        "<p>Our weekly ePaper presents the most noteworthy recent topics in an exciting, "
        "readable fomat.</p>\n"
        '<a class="more" href="https://japannews.yomiuri.co.jp/weekly-edition/">Read more</a>\n'
        "</div>\n"
        f'<ul class="footer_menu">{links}'
        f'<li><a href="{origin}/about-us/">About Us</a></li>'
        f'<li><a href="{origin}/privacy-policy/">Privacy Policy</a></li></ul>\n'
        f'<p class="copyright">© {year} The Japan News - by The Yomiuri Shimbun</p>\n'
        "</div>\n</footer>\n"
    )


def ranking_1(origin: str, section_label: str, items: list[Article]) -> str:
    lis = "".join(
        f'<li><a href="{origin}{a.path}"><figure><img src="{thumb(origin, a)}" alt="" '
        f'width="250" height="148"></figure><h3>{esc(a.title)}</h3></a></li>\n'
        for a in items
    )
    return (
        f'<div class="ranking_1 ranking">\n<h2>"{esc(section_label)}" POPULAR ARTICLE</h2>\n'
        f"<ul>\n{lis}</ul>\n</div>\n"
    )


def ranking_2(origin: str, items: list[Article]) -> str:
    lis = "".join(
        f'<li><a href="{origin}{a.path}"><figure><img src="{thumb(origin, a)}" alt="" '
        f'width="250" height="148"></figure>{esc(a.title)}</a></li>\n'
        for a in items
    )
    return f'<div class="ranking_2 ranking">\n<p>JN ACCESS RANKING</p>\n<ul>\n{lis}</ul>\n</div>\n'


def sidebar(origin: str, section_label: str, rank1: list[Article], rank2: list[Article]) -> str:
    return (
        '<div class="bloc_3">\n<div class="ad_area"><div id="div-gpt-ad-side-1"></div></div>\n'
        + ranking_1(origin, section_label, rank1)
        + '<div class="ad_area"><div id="div-gpt-ad-side-2"></div></div>\n'
        + ranking_2(origin, rank2)
        + "</div>\n"
    )


def related_list(origin: str, css: str, heading: str, items: list[Article]) -> str:
    """The 'Latest Articles' blocks under a story: titles cut to ~65 characters."""
    lis = "".join(
        f'<li><a href="{origin}{a.path}"><figure><img src="{thumb(origin, a)}" alt="" '
        f'width="250" height="148"></figure><h3>{esc(cut(a.title, 65))}</h3></a></li>\n'
        for a in items
    )
    return f'<div class="{css}">\n<h2>{esc(heading)}</h2>\n<ul>\n{lis}</ul>\n</div>\n'


def list_item(origin: str, a: Article, date_text: str) -> str:
    """One `li.clearfix` of a listing page."""
    return list_entry(
        f"{origin}{a.path}", thumb(origin, a), esc(a.title), esc(a.excerpt(100)), date_text
    )


def list_entry(href: str, image: str, title: str, excerpt: str, date_text: str) -> str:
    """The `li.clearfix` markup of a listing entry (title and excerpt already escaped)."""
    return (
        f'<li class="clearfix"><a href="{href}">'
        f'<figure><img src="{image}" alt="" width="250" height="148"></figure>'
        f"<div><h2>{title}</h2><h3>{excerpt}</h3>"
        f"<p>{date_text}</p></div></a></li>\n"
    )


def pagination(base: str, page: int, pages: int, next_url: str | None = None) -> str:
    """WordPress paginate_links() markup; base is the absolute listing root (trailing slash).

    `next_url` adds a "Next" link on the last page (the `loop` fault: back to page 1)."""

    def url(n: int) -> str:
        return base if n == 1 else f"{base}page/{n}/"

    parts = []
    if page > 1:
        parts.append(f'<a class="prev page-numbers" href="{url(page - 1)}">&laquo; Prev</a>')
    shown = sorted({1, 2, page - 1, page, page + 1, pages - 1, pages} & set(range(1, pages + 1)))
    last = 0
    for n in shown:
        if n - last > 1:
            parts.append('<span class="page-numbers dots">&hellip;</span>')
        if n == page:
            parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            parts.append(f'<a class="page-numbers" href="{url(n)}">{n}</a>')
        last = n
    if page < pages:
        next_url = url(page + 1)
    if next_url is not None:
        parts.append(f'<a class="next page-numbers" href="{next_url}">Next &raquo;</a>')
    return '<div class="pagination">\n' + "\n".join(parts) + "\n</div>\n"
