from __future__ import annotations

import json

import pytest

from newscrawl.sites import generic, metadata
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "generic").glob("*.html"))


def expected(page):
    return json.loads(page.with_name(page.stem + ".expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def results():
    found = {}
    for page in PAGES:
        want = expected(page)
        found[page.stem] = generic.parse_article(
            page.read_bytes(), want["url"], want.get("tz", "UTC")
        )
    return found


def test_there_are_enough_fixtures():
    assert len(PAGES) >= 12


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_fixture_fields(page, results):
    want, got = expected(page), results[page.stem]
    assert got["title"] == want["title"]
    assert got["published"] == want["published"]
    assert got["authors"] == want["authors"]
    if "published_date" in want:
        assert got["published_date"] == want["published_date"]
    assert got["published_zone_assumed"] == want.get("published_zone_assumed", False)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_fixture_body(page, results):
    want, got = expected(page), results[page.stem]
    paragraphs = got["body"].split("\n\n")
    for sentence in want["body"].split("\n\n"):
        assert sentence in paragraphs
    for furniture in want["furniture"]:
        assert not any(furniture in paragraph for paragraph in paragraphs), furniture


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_fixture_sources_are_named(page, results):
    got = results[page.stem]
    assert got["sources"]["title"] and got["sources"]["body"] == "trafilatura"
    assert (got["published"] is None) == (got["sources"]["published"] is None) or got[
        "published_date"
    ]


# -- Titles ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "names", "url", "want"),
    [
        ("Quake shakes coast - The Japan News", set(), "", "Quake shakes coast"),
        ("Markets rise | Reuters", set(), "", "Markets rise"),
        ("Storm hits coast – BBC News", set(), "", "Storm hits coast"),
        ("Storm hits coast — Bay Post", {"bay post"}, "", "Storm hits coast"),
        ("Bay Post | Storm hits coast", {"bay post"}, "", "Storm hits coast"),
        ("Rates hold :: Example Times", set(), "https://www.exampletimes.com/a", "Rates hold"),
        ("Rates hold - what it means", set(), "https://www.exampletimes.com/a", None),
        ("Prime minister: a year in office", set(), "", None),
    ],
)
def test_strip_suffix(raw, names, url, want):
    assert generic.strip_suffix(raw, names, url) == (want or raw)


def test_a_title_that_is_only_the_site_name_is_no_title():
    tree = metadata.parse_html(
        '<html><head><meta property="og:title" content="Bay Post">'
        '<meta property="og:site_name" content="Bay Post"></head>'
        "<body><p>x</p></body></html>"
    )
    assert generic.title(tree, generic.json_ld(tree)).value is None


def test_title_falls_back_from_site_name_to_h1():
    tree = metadata.parse_html(
        "<html><head><title>Reuters</title></head><body><h1>Ports reopen</h1></body></html>"
    )
    found = generic.title(tree, [])
    assert (found.value, found.source) == ("Ports reopen", "h1")


# -- JSON-LD depth ------------------------------------------------------------------------
def _ld_page(data) -> str:
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head></html>'
    )


@pytest.mark.parametrize(
    "data",
    [
        {"@type": "NewsArticle", "datePublished": "2024-01-02T03:04:05+09:00"},
        [
            {"@type": "Organization"},
            {"@type": "NewsArticle", "datePublished": "2024-01-02T03:04:05+09:00"},
        ],
        {
            "@graph": [
                {"@type": "WebSite"},
                {"@type": "Article", "datePublished": "2024-01-02T03:04:05+09:00"},
            ]
        },
        {
            "@type": "WebPage",
            "mainEntity": {"@type": "NewsArticle", "datePublished": "2024-01-02T03:04:05+09:00"},
        },
        {
            "@graph": [
                {
                    "@type": "WebPage",
                    "mainEntity": [
                        {"@type": "BlogPosting", "datePublished": "2024-01-02T03:04:05+09:00"}
                    ],
                }
            ]
        },
    ],
)
def test_published_at_any_json_ld_depth(data):
    tree = metadata.parse_html(_ld_page(data))
    found = generic.published(tree, generic.json_ld(tree))
    assert (found.value, found.source) == ("2024-01-02T03:04:05+09:00", "json-ld:datePublished")


def test_article_date_wins_over_web_page_date():
    data = {
        "@graph": [
            {"@type": "WebPage", "datePublished": "2024-01-01T00:00:00Z"},
            {"@type": "NewsArticle", "datePublished": "2024-01-02T00:00:00Z"},
        ]
    }
    tree = metadata.parse_html(_ld_page(data))
    assert generic.published(tree, generic.json_ld(tree)).value == "2024-01-02T00:00:00+00:00"


# -- Times ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "tz", "value", "assumed"),
    [
        ("2023-03-17T14:08:00+09:00", "UTC", "2023-03-17T14:08:00+09:00", False),
        ("2023-03-17T14:08:00.250Z", "Asia/Tokyo", "2023-03-17T14:08:00+00:00", False),
        ("2023-03-17T14:08:00", "Asia/Tokyo", "2023-03-17T14:08:00+09:00", True),
        ("2023-03-17 14:08", "UTC", "2023-03-17T14:08:00+00:00", True),
        ("Published 14:08 JST, March 17, 2023", "UTC", "2023-03-17T14:08:00+09:00", False),
        ("March 17, 2023 2:08 p.m. ET", "UTC", "2023-03-17T14:08:00-04:00", False),
        ("January 17, 2023 2:08 p.m. ET", "UTC", "2023-01-17T14:08:00-05:00", False),
        ("17 March 2023, 09:15", "Europe/London", "2023-03-17T09:15:00+00:00", True),
    ],
)
def test_read_time_keeps_or_assumes_the_zone(raw, tz, value, assumed):
    found = generic.read_time(raw, tz)
    assert (found.value, found.zone_assumed) == (value, assumed)


@pytest.mark.parametrize(
    ("raw", "day"),
    [("2019-04-03", "2019-04-03"), ("April 3, 2019", "2019-04-03"), ("3 Apr 2019", "2019-04-03")],
)
def test_a_date_alone_never_becomes_a_time(raw, day):
    found = generic.read_time(raw, "Asia/Tokyo")
    assert (found.value, found.date) == (None, day)


@pytest.mark.parametrize("raw", ["", "yesterday", "Page 2 of 14", "Room 2020"])
def test_not_a_date(raw):
    assert generic.read_time(raw) is None


def test_a_later_full_time_beats_an_earlier_date_alone():
    page = _ld_page({"@type": "Article", "datePublished": "2019-04-03"}).replace(
        "</head>", '</head><body><time datetime="2019-04-03T08:00:00+02:00">x</time></body>'
    )
    tree = metadata.parse_html(page)
    found = generic.published(tree, generic.json_ld(tree))
    assert (found.value, found.source) == ("2019-04-03T08:00:00+02:00", "time[datetime]")


def test_time_inside_the_article_wins_over_one_in_a_sidebar():
    tree = metadata.parse_html(
        '<body><aside><time datetime="2020-01-01T00:00:00Z">a</time></aside>'
        '<article><time datetime="2020-02-02T00:00:00Z">b</time></article></body>'
    )
    assert generic.published(tree, []).value == "2020-02-02T00:00:00+00:00"


# -- Authors ----------------------------------------------------------------------------------
def _authors(data, body: str = "") -> list[str]:
    tree = metadata.parse_html(_ld_page(data).replace("</html>", f"<body>{body}</body></html>"))
    return generic.authors(tree, generic.json_ld(tree))[0]


@pytest.mark.parametrize(
    ("author", "want"),
    [
        ({"@type": "Person", "name": "Ann Lee"}, ["Ann Lee"]),
        ([{"@type": "Person", "name": "Ann Lee"}, {"name": "Bo Ng"}], ["Ann Lee", "Bo Ng"]),
        ("Ann Lee and Bo Ng", ["Ann Lee", "Bo Ng"]),
        ("By Ann Lee, Staff Writer", ["Ann Lee"]),
        ([{"@type": "Organization", "name": "Wire Co"}, "Ann Lee"], ["Ann Lee"]),
        ({"@type": "Person", "name": "ann_lee2"}, []),
        ({"@type": "Person", "name": "ann@example.com"}, []),
        ({"@type": "Person", "name": "https://example.com/ann"}, []),
        ({"@type": "Person", "name": "Bay Post"}, []),
    ],
)
def test_json_ld_author_shapes(author, want):
    data = {"@type": "NewsArticle", "author": author, "publisher": {"name": "Bay Post"}}
    assert _authors(data) == want


def test_author_by_graph_reference():
    data = {
        "@graph": [
            {"@type": "Article", "author": {"@id": "#p1"}},
            {"@type": "Person", "@id": "#p1", "name": "Ann Lee"},
        ]
    }
    assert _authors(data) == ["Ann Lee"]


@pytest.mark.parametrize(
    ("byline", "want"),
    [
        ("By Ann Lee and Bo Ng", ["Ann Lee", "Bo Ng"]),
        ("By Ann Lee, Bo Ng and Cy Park", ["Ann Lee", "Bo Ng", "Cy Park"]),
        ("Ann Lee / Tokyo Correspondent", ["Ann Lee"]),
        ("BY ANN LEE, Reporter", ["ANN LEE"]),
    ],
)
def test_bylines(byline, want):
    assert _authors({}, f'<p class="byline">{byline}</p>') == want


def test_user_id_in_json_ld_falls_back_to_byline():
    data = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "webdesk_07"}}
    assert _authors(data, '<p class="byline">By Ann Lee</p>') == ["Ann Lee"]


# -- Body furniture ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "Read more",
        "Read more: Port budget explained",
        "Related",
        "Related articles",
        "Sign up for our newsletter",
        "Sign up for our morning newsletter to get the top stories in your inbox.",
        "Share this article",
        "Share on Facebook",
        "Photo: Jane Roe",
        "(Reuters)",
        "Getty Images",
        "Jane Roe/Getty Images",
        "Advertisement",
    ],
)
def test_furniture(line):
    assert generic.is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Read more about the plan in the report, officials said.",
        "Related talks continued through the night.",
        "Readers can sign up for the newsletter at the library, the council said.",
        "She shared this article with colleagues before the vote.",
        "The photo was sold to Getty Images.",
        "Reuters reported the deal on Monday.",
        "Photographers gathered outside the court.",
    ],
)
def test_story_sentences_are_not_furniture(line):
    assert not generic.is_furniture(line)


def test_an_assumed_zone_gives_way_to_the_same_clock_with_an_offset():
    tree = metadata.parse_html(
        '<html><head><meta name="sailthru.date" content="2024-03-11 06:45:00">'
        '<meta name="parsely-pub-date" content="2024-03-11T06:45:00-05:00"></head></html>'
    )
    found = generic.published(tree, [], "Asia/Tokyo")
    assert (found.value, found.zone_assumed) == ("2024-03-11T06:45:00-05:00", False)


def test_iso_basic_format():
    assert generic.read_time("20240311T064500Z").value == "2024-03-11T06:45:00+00:00"


def test_a_non_latin_cms_account_on_an_english_page_gives_way_to_the_byline():
    data = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "読売 太郎"}}
    page = _ld_page(data).replace("<html>", '<html lang="en-US">')
    tree = metadata.parse_html(
        page.replace("</html>", '<body><p class="byline">By Ann Lee</p></body></html>')
    )
    assert generic.authors(tree, generic.json_ld(tree)) == (["Ann Lee"], "byline")


def test_a_non_latin_name_on_a_japanese_page_is_kept():
    data = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "読売 太郎"}}
    tree = metadata.parse_html(_ld_page(data).replace("<html>", '<html lang="ja">'))
    assert generic.authors(tree, generic.json_ld(tree))[0] == ["読売 太郎"]


@pytest.mark.parametrize("page", PAGES[:4], ids=lambda p: p.stem)
def test_main_blocks_are_what_metadata_generic_blocks_gives(page):
    html = page.read_bytes()
    url = expected(page)["url"]
    want = metadata.generic_blocks(metadata.parse_html(html), url)
    assert generic.main_blocks(metadata.parse_html(html), url) == want
