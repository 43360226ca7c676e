from __future__ import annotations

import json

import pytest

from newscrawl.extract import extract_item
from newscrawl.sites.japannews import canonical_url, parse_article, parse_authors, parse_listing
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "japannews").glob("*.html"))
FURNITURE = [
    "POPULAR ARTICLE",
    "JN ACCESS RANKING",
    "Latest Articles",
    "Popular Articles",
    "Google News",
    "ad blocking",
    "cookies",
    "EEA countries",
    "Weekly Edition",
    "ePaper",
    "Yomiuri Shimbun Staff Writer",
    " JST,",
]


def expected(page):
    return json.loads(page.with_name(page.stem + ".expected.json").read_text("utf-8"))


@pytest.mark.parametrize(
    "page", [p for p in PAGES if not p.stem.startswith("listing")], ids=lambda p: p.stem
)
def test_saved_page_gives_expected_item(crawler, page):
    want = expected(page)
    item = extract_item(page.read_bytes(), want["url"], crawler)
    assert item.pop("crawled_at").endswith("Z")
    assert item == want


@pytest.mark.parametrize(
    "page", [p for p in PAGES if not p.stem.startswith("listing")], ids=lambda p: p.stem
)
def test_story_present_furniture_absent(crawler, page):
    want = expected(page)
    body = extract_item(page.read_bytes(), want["url"], crawler)["body"]
    paragraphs = body.split("\n\n")
    assert len(paragraphs) >= 3
    assert all(p.strip() == p and p for p in paragraphs)
    for furniture in FURNITURE:
        assert furniture not in body, furniture
    for caption in (image["caption"] for image in want["images"]):
        assert caption not in body


def test_hand_written_2024_page_details(crawler):
    page = FIXTURES / "japannews/article-2024-byline-photo.html"
    item = extract_item(
        page.read_bytes(),
        "https://japannews.yomiuri.co.jp/politics/defense-security/20241013-216478/",
        crawler,
    )
    assert item["authors"] == ["Takeo Maeda", "Tatsuya Tanoue"]  # not the JSON-LD CMS user
    assert item["body"].startswith("WASHINGTON — Japan and the United States")
    assert "\n\nNuclear umbrella\n\n" in item["body"]
    # A <br> inside a paragraph is a space, not a glued word.
    assert "first time. The next round" in item["body"]
    assert item["published"] == "2024-10-13T17:41:00+09:00"


def test_date_line_is_the_only_date(crawler):
    page = FIXTURES / "japannews/article-unknown-dateline-only.html"
    item = extract_item(
        page.read_bytes(),
        "https://japannews.yomiuri.co.jp/politics/politics-government/20230317-97531/",
        crawler,
    )
    assert item["published"] == "2023-03-17T14:08:00+09:00"
    assert item["published_raw"] == "14:08 JST, March 17, 2023"
    assert {"fallback_layout", "fallback_body"} <= set(item["flags"])


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        (
            "By Takeo Maeda and Tatsuya Tanoue / Yomiuri Shimbun Staff Writers",
            ["Takeo Maeda", "Tatsuya Tanoue"],
        ),
        ("By Takeo Maeda / Yomiuri Shimbun Staff Writer", ["Takeo Maeda"]),
        (
            "By Ai Sato, Ken Ito and Mari Abe / Yomiuri Shimbun Staff Writers",
            ["Ai Sato", "Ken Ito", "Mari Abe"],
        ),
        (
            "By Ai Sato, Ken Ito, and Mari Abe / Yomiuri Shimbun Staff Writers",
            ["Ai Sato", "Ken Ito", "Mari Abe"],
        ),
        ("By Jun Hongo / Yomiuri Shimbun Correspondent", ["Jun Hongo"]),
        ("By Jun Hongo", ["Jun Hongo"]),
        ("The Yomiuri Shimbun", []),
        ("Yomiuri Shimbun", []),
        ("By Jiji Press", []),
        ("", []),
        (None, []),
    ],
)
def test_authors_from_byline(byline, authors):
    assert parse_authors(byline) == authors


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "http://127.0.0.1:8765/politics/election/20241013-216478",
            "https://japannews.yomiuri.co.jp/politics/election/20241013-216478/",
        ),
        (
            "https://japannews.yomiuri.co.jp/politics/election/20241013-216478/",
            "https://japannews.yomiuri.co.jp/politics/election/20241013-216478/",
        ),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_listing_fallback_takes_main_links_but_not_furniture():
    page = """<html><body><header><a href="/business/economy/20241013-1/">menu</a></header>
    <main><div class="items"><a href="/politics/election/20241013-5/">A story</a>
    <a href="/politics/election/20241013-5/attachment/6/">photo</a></div>
    <div class="ranking_2 ranking"><a href="/world/us-canada/20241013-7/">ranked</a></div>
    </main></body></html>"""
    listing = parse_listing(page, "http://127.0.0.1:1/politics/election/")
    assert [e.url for e in listing.entries] == ["http://127.0.0.1:1/politics/election/20241013-5/"]


def test_saved_listing_page():
    page = FIXTURES / "japannews/listing-politics-election-page-2.html"
    listing = parse_listing(
        page.read_text("utf-8"), "https://japannews.yomiuri.co.jp/politics/election/page/2/"
    )
    # The ten listed items, newest first, with their dates; the sidebar rankings (other sections)
    # and the "Photo" attachment link inside <main> are not items.
    assert len(listing.entries) == 10
    assert all(
        e.url.startswith("https://japannews.yomiuri.co.jp/politics/") for e in listing.entries
    )
    assert all("/attachment/" not in e.url for e in listing.entries)
    assert listing.entries[0].date_raw == "October 23, 2026"
    assert listing.entries[0].title == "Government’s Bid to Seek Coalition Partner Stalls"
    # A cross-listed article keeps its own subsection in the URL.
    assert "/politics/political-series/20261018-344023/" in listing.entries[3].url
    assert {
        ("politics", s) for s in ("election", "g7-summit", "defense-security")
    } <= listing.subsections


def test_json_ld_with_a_trailing_comma_is_read_by_the_module():
    """The page's one lenient JSON-LD reader (newscrawl.page) serves the site module too: a
    trailing comma does not hide the article's headline, times and description."""
    ld = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Diet Passes'
        ' Budget", "datePublished": "2024-10-13T17:41:00+09:00", "dateModified":'
        ' "2024-10-13T18:00:00+09:00", "description": "The budget passed.",}'
    )
    page = (
        f'<html><head><script type="application/ld+json">{ld}</script></head>'
        "<body><p>The Diet passed the budget on Sunday, officials said.</p></body></html>"
    )
    url = "https://japannews.yomiuri.co.jp/politics/politics-government/20241013-216478/"
    fields = parse_article(page, url)
    assert fields["title"] == "Diet Passes Budget"
    assert fields["description"] == "The budget passed."
    assert fields["time_candidates"] == {
        "published": [("json-ld:datePublished", "2024-10-13T17:41:00+09:00")],
        "modified": [("json-ld:dateModified", "2024-10-13T18:00:00+09:00")],
    }
