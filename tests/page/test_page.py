"""newscrawl.page: one parse per page, and the readers every other reader of the page shares."""

from __future__ import annotations

import json

import pytest
import trafilatura
from lxml import etree, html

from newscrawl.page import Page, parse_tree
from newscrawl.text import clean_text
from tests.conftest import FIXTURES

DEV = sorted((FIXTURES / "generic").glob("*.html"))[:4]


def _url(page) -> str:
    return json.loads(page.with_name(page.stem + ".expected.json").read_text("utf-8"))["url"]


def _xml_blocks(tree: html.HtmlElement, url: str) -> list[str]:
    """The main-text blocks read from trafilatura's XML output (the project's second wrapper
    until the page object: Page.main_blocks must give what it gave)."""
    xml = trafilatura.extract(
        tree,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        deduplicate=False,
    )
    if not xml:
        return []
    tags = {"p", "head", "item", "quote"}
    blocks = []
    for element in etree.fromstring(xml.encode("utf-8")).iterfind(".//main//*"):
        if element.tag not in tags or element.getparent().tag in tags:
            continue
        if text := clean_text("".join(element.itertext())):
            blocks.append(text)
    return blocks


@pytest.mark.parametrize("page", DEV, ids=lambda p: p.stem)
def test_main_blocks_are_what_trafilatura_xml_gives(page):
    data, url = page.read_bytes(), _url(page)
    assert Page.of(data, url).main_blocks == _xml_blocks(parse_tree(data), url)


@pytest.mark.parametrize("page", DEV, ids=lambda p: p.stem)
def test_main_text_leaves_the_tree_as_it_was(page):
    """trafilatura copies the tree it is handed: the other readers may run after it."""
    parsed = Page.of(page.read_bytes(), _url(page))
    before = etree.tostring(parsed.root)
    assert parsed.main_blocks and parsed.main_blocks_split
    assert etree.tostring(parsed.root) == before


def test_a_page_is_parsed_once_and_given_back_as_it_is():
    parsed = Page.of(b"<html><body><p>x</p></body></html>", "https://bay.example/a")
    assert Page.of(parsed) is parsed
    assert Page.of(parsed.tree).tree is parsed.tree
    assert parsed.json_ld is parsed.json_ld  # cached on the page


def test_meta_links_and_tags():
    parsed = Page.of(
        "<html><head>"
        '<meta property="og:title" content=" A "><meta name="og:title" content="B">'
        '<meta name="description" content=" "><meta name="description" content="D">'
        '<meta property="article:tag" content="x"><meta property="article:tag" content=" ">'
        '<link rel="canonical" href=" "><link rel="canonical" href=" /c ">'
        "</head></html>"
    )
    assert (parsed.meta("og:title"), parsed.meta("description"), parsed.meta("none")) == (
        "A",
        "D",
        None,
    )
    assert parsed.link("canonical") == "/c"
    assert parsed.meta_tags == ["x", " "]


def _ld(*scripts: str) -> Page:
    tags = "".join(f'<script type="application/ld+json">{s}</script>' for s in scripts)
    return Page.of(f"<html><head>{tags}</head></html>")


def test_json_ld_at_any_depth_articles_first():
    parsed = _ld(
        json.dumps(
            {
                "@type": "WebPage",
                "name": "Page",
                "publisher": {"@type": "Organization", "name": "Bay Post"},
                "mainEntity": {"@type": "NewsArticle", "headline": "H", "name": "Story"},
            }
        )
    )
    assert [o.get("@type") for o in parsed.json_ld] == ["WebPage", "Organization", "NewsArticle"]
    assert parsed.ld_by_trust[0]["@type"] == "NewsArticle"
    assert parsed.ld_values("name") == ["Story", "Page", "Bay Post"]
    assert parsed.article_ld["headline"] == "H"
    assert parsed.site_names == frozenset({"bay post"})


def test_the_one_json_ld_reader_is_lenient():
    """A trailing comma, an HTML comment or CDATA around the object: read all the same (the
    site modules read this reader too)."""
    parsed = _ld('{"@type": "NewsArticle", "headline": "H",}', "<!-- {,} -->", "not json")
    assert parsed.article_ld == {"@type": "NewsArticle", "headline": "H"}
    assert _ld('{"@type": "WebPage"}').article_ld == {}
    # Bare CDATA, without the script comments around it (the readability test pages' shape).
    bare = _ld('<![CDATA[{"@type": "NewsArticle", "datePublished": "2024-10-13T09:00:00Z"}]]>')
    assert bare.article_ld["datePublished"] == "2024-10-13T09:00:00Z"


def test_an_empty_page_is_an_empty_document():
    parsed = Page.of(b"  ")
    assert parsed.root.tag == "html"
    assert (parsed.json_ld, parsed.main_blocks, parsed.date_lines) == ([], [], [])
    assert parsed.time_candidates == {"published": [], "modified": []}
