"""The URL heuristics of the generic `news` spider (newscrawl.sites.links), on URL shapes of
real publishers: what each must accept and what it must refuse."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html

from newscrawl.sites import links

JT = "https://www.japantimes.co.jp"
GUARDIAN = "https://www.theguardian.com"
REUTERS = "https://www.reuters.com"
BBC = "https://www.bbc.com"


# -- url_day ------------------------------------------------------------------------------------
URL_DAYS = [
    (f"{JT}/news/2024/10/13/japan/politics/ldp-leadership-race-results/", date(2024, 10, 13)),
    (
        "https://edition.cnn.com/2024/10/13/politics/harris-trump-campaign/index.html",
        date(2024, 10, 13),
    ),
    ("https://www.nytimes.com/2024/10/13/world/asia/japan-election.html", date(2024, 10, 13)),
    ("https://www3.nhk.or.jp/nhkworld/en/news/20241013_12/", date(2024, 10, 13)),
    ("https://mainichi.jp/english/articles/20241013/p2a/00m/0na/012000c", date(2024, 10, 13)),
    # the Guardian: month names
    (f"{GUARDIAN}/world/2024/oct/13/japan-snap-election-ishiba", date(2024, 10, 13)),
    (f"{GUARDIAN}/business/2024/sep/30/nikkei-falls-after-ishiba-win", date(2024, 9, 30)),
    (f"{GUARDIAN}/world/2024/May/02/golden-week-travel-record", date(2024, 5, 2)),
    # Reuters: a slug ending in a date
    (
        f"{REUTERS}/world/japan/japans-ruling-coalition-may-lose-majority-poll-shows-2024-10-13/",
        date(2024, 10, 13),
    ),
    (f"{REUTERS}/markets/asia/nikkei-ends-higher-2024-10-13", date(2024, 10, 13)),
    # no date, or no real one
    (f"{BBC}/news/articles/c0k8ll5z4gno", None),
    ("https://www.asahi.com/ajw/articles/15451234", None),
    (f"{GUARDIAN}/world/2024/feb/30/not-a-day", None),
    (f"{GUARDIAN}/world/2024/foo/13/not-a-month", None),
    (f"{REUTERS}/world/japan/some-story-2024-13-45/", None),
    (f"{REUTERS}/markets/us/sp-500-closes-at-record-5800/", None),
    (f"{REUTERS}/technology/ai-spending-2024-10/", None),
    (f"{JT}/news/2024/02/30/japan/impossible-day/", None),
]


@pytest.mark.parametrize(("url", "day"), URL_DAYS)
def test_url_day(url, day):
    assert links.url_day(url) == day


# -- article_like -------------------------------------------------------------------------------
ARTICLES = [
    f"{JT}/news/2024/10/13/japan/politics/ldp-leadership-race-results/",
    f"{GUARDIAN}/world/2024/oct/13/japan-snap-election-ishiba",
    f"{REUTERS}/world/japan/japans-ruling-coalition-may-lose-majority-poll-shows-2024-10-13/",
    "https://edition.cnn.com/2024/10/13/politics/harris-trump-campaign/index.html",
    "https://www.nytimes.com/2024/10/13/world/asia/japan-election.html",
    # BBC: an opaque id after /articles/
    f"{BBC}/news/articles/c0k8ll5z4gno",
    "https://www.bbc.co.uk/sport/football/articles/c4g7xj0z1zlo",
    "https://www.asahi.com/articles/ASS9F3T2KS9FUHBI00VM.html",
    "https://www.independent.co.uk/news/world/story/c9x2kd83hq1o",
    # NHK World: a date stamp with a serial
    "https://www3.nhk.or.jp/nhkworld/en/news/20241013_12/",
    "https://www.asahi.com/ajw/articles/15451234",
    "https://www.nikkei.com/news/20123456",  # an 8-digit id that is no date
    "https://mainichi.jp/english/articles/20241013/p2a/00m/0na/012000c",
    "https://english.news.cn/20241013/5f0c1e2a3b4c4d5e8f9a0b1c2d3e4f5a/c.html",
    # page extensions stay fine
    "https://www.newsweekjapan.jp/stories/world/2024/10/post-106123.php",
    "https://timesofindia.indiatimes.com/india/monsoon-ends/articleshow/114212345.cms",
    "https://www.thehindu.com/news/national/monsoon-withdraws/article68745123.ece",
    "https://news.example.org/politics/diet-passes-supplementary-budget.aspx",
    "https://www.koreatimes.co.kr/www/nation/2024/10/113_384512.html",
    # headlines about privacy, cookies or newsletters are articles
    f"{REUTERS}/technology/meta-fined-over-privacy-policy-breach-2024-10-13/",
    f"{GUARDIAN}/technology/2024/oct/13/tiktok-privacy-policy",
    f"{JT}/news/2024/10/13/business/japan-tightens-cookie-consent-rules-for-websites/",
    f"{JT}/news/2024/10/13/national/postal-service-cuts-saturday-delivery/",
]
NOT_ARTICLES = [
    # date archives: the last segments are only date parts
    f"{JT}/politics/2024/10/13/",
    f"{JT}/politics/2024/10/13",
    f"{JT}/politics/archive/2024/10/13/",
    f"{JT}/news/2024/10/",
    f"{JT}/news/2024/",
    f"{GUARDIAN}/world/2024/oct/13",
    f"{GUARDIAN}/world/2024/oct/13/",
    f"{GUARDIAN}/world/2024/oct/",
    f"{REUTERS}/world/2024-10-13/",
    "https://www3.nhk.or.jp/nhkworld/en/news/20241013/",
    # files
    f"{JT}/politics/2024/10/13/report.pdf",
    f"{JT}/wp-content/uploads/2024/10/13/photo.jpg",
    f"{JT}/news/2024/10/13/japan/politics/cabinet-approval-poll-results.pdf",
    f"{JT}/news/2024/10/13/japan/ishiba-at-the-diet-on-sunday.jpeg",
    f"{JT}/news/2024/10/13/japan/ishiba-at-the-diet-on-sunday.PNG",
    f"{GUARDIAN}/world/2024/oct/13/election-map-animation.gif",
    f"{GUARDIAN}/world/2024/oct/13/election-night-results-map.webp",
    f"{GUARDIAN}/world/2024/oct/13/election-night-results-map.svg",
    f"{BBC}/news/2024/10/13/global-news-podcast-episode-1234.mp3",
    f"{BBC}/news/2024/10/13/ishiba-speech-full-video-123456.mp4",
    f"{REUTERS}/graphics/2024/10/13/japan-election-data-download.zip",
    f"{JT}/news-sitemap-2024-10-13-articles.xml",
    f"{JT}/api/2024/10/13/latest-headlines-japan.json",
    f"{JT}/assets/2024/10/13/article-page-styles-main.css",
    f"{JT}/assets/2024/10/13/article-page-scripts-main.js",
    # a CMS's files and API
    f"{JT}/wp-content/themes/jt/ldp-leadership-race-results/",
    f"{JT}/wp-json/wp/v2/posts/12345678",
    f"{JT}/uploads/ldp-leadership-race-results-chart-2024/",
    # the site's own pages, as long slugs
    f"{JT}/politics/privacy-policy-and-cookies/",
    f"{JT}/politics/subscribe-to-our-newsletter-today/",
    f"{JT}/terms-of-service-and-privacy-policy/",
    f"{JT}/sign-up-for-our-newsletters/",
    f"{GUARDIAN}/info/how-we-use-cookies",
    f"{GUARDIAN}/help/privacy-policy",
    # an opaque id only counts after /articles/, /article/, /story/, /stories/
    f"{BBC}/news/world/c0k8ll5z4gno",
    f"{BBC}/news/articles/latest",
    f"{BBC}/news/articles/",
    # archives, listings
    f"{JT}/tag/shigeru-ishiba-prime-minister/",
    f"{JT}/news/japan/politics/page/2/",
    f"{JT}/news/japan/politics/?page=2",
    f"{JT}/author/japan-times-staff-writer/",
]


@pytest.mark.parametrize("url", ARTICLES)
def test_article_like_accepts(url):
    assert links.article_like(url)


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_article_like_refuses(url):
    assert not links.article_like(url)


# -- in_section ---------------------------------------------------------------------------------
IN_SECTION = [
    # under the section's path
    (f"{JT}/news/japan/politics/ishiba-calls-snap-election/", f"{JT}/news/japan/politics/"),
    (f"{GUARDIAN}/world/2024/oct/13/japan-snap-election-ishiba", f"{GUARDIAN}/world"),
    (f"{GUARDIAN}/world/2024/oct/13/japan-snap-election-ishiba", f"{GUARDIAN}/world/"),
    (f"{BBC}/news/articles/c0k8ll5z4gno", f"{BBC}/news/"),
    (
        f"{REUTERS}/world/japan/japans-ruling-coalition-may-lose-majority-poll-shows-2024-10-13/",
        f"{REUTERS}/world/japan/",
    ),
    # the section's segments as one run, date parts aside
    (
        f"{JT}/news/2024/10/13/japan/politics/ldp-leadership-race-results/",
        f"{JT}/news/japan/politics/",
    ),
    (f"{JT}/news/2024/10/13/japan/politics/ldp-leadership-race-results/", f"{JT}/japan/"),
    (
        "https://www.nytimes.com/2024/10/13/world/asia/japan-election.html",
        "https://www.nytimes.com/section/world/asia",
    ),
    (
        f"{GUARDIAN}/uk-news/2024/oct/13/storm-warning-issued",
        f"{GUARDIAN}/uk-news",
    ),
    # www. and the bare domain are one host
    (
        "https://japantimes.co.jp/news/2024/10/13/japan/politics/ldp-leadership-race-results/",
        f"{JT}/news/japan/politics/",
    ),
    (
        f"{JT}/news/2024/10/13/japan/politics/ldp-leadership-race-results/",
        "https://japantimes.co.jp/news/japan/politics/",
    ),
    # the home page holds everything on its host
    (f"{BBC}/news/articles/c0k8ll5z4gno", f"{BBC}/"),
]
NOT_IN_SECTION = [
    # another section naming the same last segment
    (
        f"{JT}/news/2024/10/13/world/politics/us-election-campaign-enters-final-stretch/",
        f"{JT}/news/japan/politics/",
    ),
    (
        f"{JT}/news/2024/10/13/politics/japan/ldp-leadership-race-results/",
        f"{JT}/news/japan/politics/",
    ),
    (
        f"{JT}/news/2024/10/13/japan/ldp-politics-leadership-race-results/",
        f"{JT}/news/japan/politics/",
    ),
    (
        "https://www.nytimes.com/2024/10/13/world/europe/germany-budget.html",
        "https://www.nytimes.com/section/world/asia",
    ),
    (f"{GUARDIAN}/uk-news/2024/oct/13/storm-warning-issued", f"{GUARDIAN}/world/"),
    (f"{GUARDIAN}/worldnews/2024/oct/13/some-other-story", f"{GUARDIAN}/world/"),
    # the section's name only in the slug
    (f"{JT}/news/2024/10/13/national/politics/", f"{JT}/news/japan/politics/"),
    # another host, or a subdomain
    (
        "https://www.japantoday.com/news/japan/politics/ishiba-calls-snap-election",
        f"{JT}/news/japan/politics/",
    ),
    (
        "https://mobile.japantimes.co.jp/news/japan/politics/ishiba-calls-snap-election/",
        f"{JT}/news/japan/politics/",
    ),
    # the section page itself
    (f"{JT}/news/japan/politics/", f"{JT}/news/japan/politics/"),
    (f"{GUARDIAN}/world", f"{GUARDIAN}/world/"),
]


@pytest.mark.parametrize(("url", "section"), IN_SECTION)
def test_in_section_accepts(url, section):
    assert links.in_section(url, section)


@pytest.mark.parametrize(("url", "section"), NOT_IN_SECTION)
def test_in_section_refuses(url, section):
    assert not links.in_section(url, section)


# -- next_page ----------------------------------------------------------------------------------
def tree(body: str, head: str = ""):
    return html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


NEXT_PAGES = [
    pytest.param(
        f"{JT}/politics/",
        1,
        '<aside><a href="/tag/japan/page/2/">More on Japan</a></aside>'
        '<nav><a href="/politics/page/2/">2</a></nav>',
        f"{JT}/politics/page/2/",
        id="sidebar-tag-pages-before-the-listings",
    ),
    pytest.param(
        f"{JT}/politics/page/2/",
        2,
        '<a href="/politics/">1</a><a href="/tag/japan/page/3/">3</a>'
        '<a href="/politics/page/3/">3</a>',
        f"{JT}/politics/page/3/",
        id="page-2-to-3",
    ),
    pytest.param(
        f"{JT}/news/japan/politics/",
        1,
        '<a href="/news/japan/?page=2">2</a><a class="next page-numbers" href="?page=2">Next</a>',
        f"{JT}/news/japan/politics/?page=2",
        id="relative-query-page",
    ),
    pytest.param(
        f"{GUARDIAN}/world/japan",
        1,
        '<a href="/world/japan?page=2">2</a>',
        f"{GUARDIAN}/world/japan?page=2",
        id="guardian-query-page-no-trailing-slash",
    ),
    pytest.param(
        "https://www.japantoday.com/category/politics",
        1,
        '<a href="https://japantoday.com/category/politics?paged=2">2</a>',
        "https://japantoday.com/category/politics?paged=2",
        id="bare-domain-is-the-same-host",
    ),
    pytest.param(
        f"{JT}/politics/?page=2",
        2,
        '<a href="/politics/page/3/">3</a>',
        f"{JT}/politics/page/3/",
        id="query-page-then-segment-page",
    ),
    # rel=next, in any case and among other tokens, before any numbered link
    pytest.param(
        f"{JT}/politics/",
        1,
        '<a href="/politics/page/2/">2</a>',
        f"{JT}/politics/?cursor=abc",
        id="rel-next-first",
    ),
    pytest.param(
        f"{JT}/politics/",
        1,
        '<a href="/politics/archive/">Archive</a>'
        '<a rel="next nofollow" href="/politics/?after=xyz">Older</a>',
        f"{JT}/politics/?after=xyz",
        id="rel-next-among-tokens",
    ),
    pytest.param(
        f"{JT}/politics/",
        1,
        '<a rel="Prev Next" href="/politics/?after=xyz">Older</a>',
        f"{JT}/politics/?after=xyz",
        id="rel-next-mixed-case-anchor",
    ),
]
NEXT_PAGE_HEADS = {
    "rel-next-first": '<link rel="next" href="/politics/?cursor=abc">',
}


@pytest.mark.parametrize(("page_url", "page", "body", "wanted"), NEXT_PAGES)
def test_next_page_accepts(request, page_url, page, body, wanted):
    head = NEXT_PAGE_HEADS.get(request.node.callspec.id, "")
    assert links.next_page(tree(body, head), page_url, page) == wanted


@pytest.mark.parametrize("rel", ["next", "Next", "NEXT", "next nofollow", " nofollow  next "])
def test_next_page_rel_is_case_insensitive(rel):
    head = f'<link rel="{rel}" href="/politics/page/2/">'
    got = links.next_page(tree("", head), f"{JT}/politics/", 1)
    assert got == f"{JT}/politics/page/2/"


NO_NEXT_PAGES = [
    pytest.param(f"{JT}/politics/", 1, '<a href="/business/page/2/">2</a>', id="other-section"),
    pytest.param(f"{JT}/politics/", 1, '<a href="/tag/japan/page/2/">2</a>', id="tag-pages-only"),
    pytest.param(
        f"{JT}/politics/",
        1,
        '<a href="/politics/some-article/?p=2">Page 2 of the article</a>',
        id="article-page-2",
    ),
    pytest.param(
        f"{JT}/politics/",
        1,
        '<a href="/politics/ishiba-calls-snap-election/page/2/">2</a>',
        id="article-segment-page-2",
    ),
    pytest.param(f"{JT}/politics/", 1, '<a href="/politics/page/3/">3</a>', id="not-page-plus-1"),
    pytest.param(
        f"{JT}/politics/",
        1,
        '<a href="https://www.japantoday.com/politics/page/2/">2</a>',
        id="numbered-other-host",
    ),
    pytest.param(
        f"{JT}/politics/",
        1,
        '<a rel="next" href="https://cdn.example.net/politics/page/2/">2</a>',
        id="rel-next-other-host",
    ),
    pytest.param(
        f"{JT}/politics/", 1, '<a rel="next" href="/politics/#top">top</a>', id="rel-next-itself"
    ),
    pytest.param(
        f"{JT}/politics/", 1, '<a rel="nextpage" href="/politics/?x=1">x</a>', id="rel-not-next"
    ),
]


@pytest.mark.parametrize(("page_url", "page", "body"), NO_NEXT_PAGES)
def test_next_page_refuses(page_url, page, body):
    assert links.next_page(tree(body), page_url, page) is None


# -- article_links: the three rules together on one listing page ---------------------------------
def test_article_links_of_a_listing():
    section = f"{JT}/news/japan/politics/"
    body = """
    <a href="/news/2024/10/13/japan/politics/ldp-leadership-race-results/">1</a>
    <a href="/news/2024/10/13/japan/politics/ldp-leadership-race-results/#comments">1 again</a>
    <a href="/news/2024/10/13/world/politics/us-election-campaign-enters-final-stretch/">x</a>
    <a href="/news/2024/10/13/">archive</a>
    <a href="/wp-content/uploads/2024/10/13/photo.jpg">photo</a>
    <a href="/news/japan/politics/privacy-policy-and-cookies/">privacy</a>
    <a href="https://japantimes.co.jp/news/2024/10/12/japan/politics/ishiba-cabinet-poll/">2</a>
    <a href="mailto:desk@japantimes.co.jp">mail</a>
    """
    assert links.article_links(tree(body), section, section) == [
        f"{JT}/news/2024/10/13/japan/politics/ldp-leadership-race-results/",
        "https://japantimes.co.jp/news/2024/10/12/japan/politics/ishiba-cabinet-poll/",
    ]
