"""Plausible variations of the real site's markup, made from the saved pages by small edits.

Each case is something the site notes mark as unknown or likely to change; the parser must read
it right, not merely not crash.
"""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem

from newscrawl.extract import extract_item
from newscrawl.sites.japannews import parse_authors
from tests.conftest import FIXTURES

PAGE_2024 = (FIXTURES / "japannews/article-2024-byline-photo.html").read_text("utf-8")
URL_2024 = "https://japannews.yomiuri.co.jp/politics/defense-security/20241013-216478/"
PAGE_NEW = (FIXTURES / "japannews/article-unknown-dateline-only.html").read_text("utf-8")
URL_NEW = "https://japannews.yomiuri.co.jp/politics/politics-government/20230317-97531/"
SECOND_PARAGRAPH = "<p>The talks come as China"
TIME_LINE = "<time>14:08 JST, March 17, 2023</time>"


def item_2024(crawler, old: str, new: str) -> dict:
    assert old in PAGE_2024
    return extract_item(PAGE_2024.replace(old, new).encode(), URL_2024, crawler)


def item_new(crawler, old: str, new: str) -> dict:
    assert old in PAGE_NEW
    return extract_item(PAGE_NEW.replace(old, new).encode(), URL_NEW, crawler)


def test_figure_inside_a_paragraph_is_not_story_text(crawler):
    figure = (
        '<p><figure><img src="/wp-content/uploads/2024/10/x.jpg"><figcaption><span>Reuters</span>'
        "<br>A CAPTION HERE</figcaption></figure></p>"
    )
    item = item_2024(crawler, SECOND_PARAGRAPH, figure + SECOND_PARAGRAPH)
    assert "CAPTION" not in item["body"] and "Reuters" not in item["body"]
    assert {"url": "https://japannews.yomiuri.co.jp/wp-content/uploads/2024/10/x.jpg",
            "caption": "A CAPTION HERE", "credit": "Reuters"} in item["images"]  # fmt: skip


def test_wordpress_caption_is_not_story_text(crawler):
    caption = (
        '<div class="wp-caption"><img src="/a.jpg"><p class="wp-caption-text">A CAPTION</p></div>'
    )
    item = item_2024(crawler, SECOND_PARAGRAPH, caption + SECOND_PARAGRAPH)
    assert "A CAPTION" not in item["body"]


def test_list_in_the_story_is_kept(crawler):
    bullets = "<ul><li>First <em>point</em></li><li>Second point</li></ul>"
    item = item_2024(crawler, SECOND_PARAGRAPH, bullets + SECOND_PARAGRAPH)
    assert "\n\nFirst point\n\nSecond point\n\nThe talks come" in item["body"]


@pytest.mark.parametrize("empty", ["<p>&nbsp;</p>", "<p> </p>", "<p></p>"])
def test_empty_paragraphs_leave_no_blank_blocks(crawler, empty):
    item = item_2024(crawler, SECOND_PARAGRAPH, empty + SECOND_PARAGRAPH)
    assert "\n\n\n" not in item["body"]
    assert all(block.strip() for block in item["body"].split("\n\n"))


def test_h3_sub_heading(crawler):
    item = item_2024(crawler, "<h2>Nuclear umbrella</h2>", "<h3>Nuclear umbrella</h3>")
    assert "\n\nNuclear umbrella\n\n" in item["body"]


def test_lazy_loaded_photo_keeps_the_article_and_the_real_image(crawler):
    real = "https://japannews.yomiuri.co.jp/wp-content/uploads/2024/10/20241013-OYT1I50042-1.jpg"
    lazy = f'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{real}"'
    item = item_2024(crawler, f'<img src="{real}"', lazy)
    assert [image["url"] for image in item["images"]] == [real]


def test_placeholder_only_image_is_left_out_not_the_article(crawler):
    real = "https://japannews.yomiuri.co.jp/wp-content/uploads/2024/10/20241013-OYT1I50042-1.jpg"
    item = item_2024(crawler, f'src="{real}"', 'src="data:image/gif;base64,R0lGOD="')
    assert item["images"] == []
    assert item["title"]


def test_byline_with_line_break(crawler):
    item = item_2024(
        crawler,
        "By Takeo Maeda and Tatsuya Tanoue / Yomiuri Shimbun Staff Writers",
        "By Takeo Maeda<br>Yomiuri Shimbun Staff Writer",
    )
    assert item["authors"] == ["Takeo Maeda"]


def test_premium_article(crawler):
    item = item_2024(crawler, 'content="free"', 'content="premium"')
    assert item["access"] == "premium"


def test_title_suffix_variants(crawler):
    for suffix in (" &#045; The Japan News", " | The Japan News", " - The Japan News"):
        page = PAGE_NEW.replace(" | The Japan News", suffix)
        item = extract_item(page.encode(), URL_NEW, crawler)
        assert item["title"] == "Kishida Heads to Ukraine for Talks With Zelenskyy"


def test_a_page_titled_only_with_the_site_name_has_no_title(crawler):
    page = PAGE_NEW.replace(
        "Kishida Heads to Ukraine for Talks With Zelenskyy | The Japan News", "The Japan News"
    ).replace(
        '<h1 class="c-entry__title">Kishida Heads to Ukraine for Talks With Zelenskyy</h1>', ""
    )
    assert "Kishida Heads" not in page.split("<body", 1)[0]
    with pytest.raises(DropItem, match="title"):
        extract_item(page.encode(), URL_NEW, crawler)


def test_separators_nul_and_scripts_inside_paragraphs_leave_the_text_as_written(crawler):
    page = PAGE_2024.replace(
        SECOND_PARAGRAPH, "<p>The talks\u2028come as\u2029 \x00China<script>var x = 1;</script>", 1
    )
    plain = extract_item(PAGE_2024.encode(), URL_2024, crawler)["body"]
    body = extract_item(page.encode(), URL_2024, crawler)["body"]
    assert "\ufffd" not in body and "\x00" not in body and "var x" not in body
    assert body == plain


def test_json_ld_graph_gives_the_time(crawler):
    graph = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebPage","name":"x"},{"@type":"NewsArticle","headline":"H",'
        '"datePublished":"2023-03-17T05:08:00Z"}]}</script></head>'
    )
    item = item_new(crawler, TIME_LINE, "<time></time>")
    assert item["published"] is None
    page = PAGE_NEW.replace(TIME_LINE, "").replace("</head>", graph)
    item = extract_item(page.encode(), URL_NEW, crawler)
    assert item["published"] == "2023-03-17T14:08:00+09:00"


@pytest.mark.parametrize(
    "line",
    [
        '<time><i class="icon-clock"></i>14:08 JST, March 17, 2023</time>',
        "<time><span>14:08 JST</span>, March 17, 2023</time>",
        "<time>14:08 JST,\u2002March 17, 2023</time>",
    ],
)
def test_date_line_split_across_elements(crawler, line):
    item = item_new(crawler, TIME_LINE, line)
    assert item["published"] == "2023-03-17T14:08:00+09:00"


def test_byline_and_date_line_in_one_element(crawler):
    meta = (
        '<div class="c-entry__meta"><span class="c-entry__credit">The Yomiuri Shimbun</span>'
        f"{TIME_LINE}</div>"
    )
    item = item_new(
        crawler, meta, '<p class="c-meta">The Yomiuri Shimbun<br>14:08 JST, March 17, 2023</p>'
    )
    assert item["byline"] == "The Yomiuri Shimbun"
    assert item["published"] == "2023-03-17T14:08:00+09:00"


def test_page_without_charset_declaration_is_utf8(crawler):
    page = PAGE_2024.replace('<meta charset="UTF-8">', "").encode("utf-8")
    item = extract_item(page, URL_2024, crawler)
    assert "“nuclear umbrella,”" in item["body"]


@pytest.mark.parametrize("page", [b"", b"   \n", b"<!-- nothing -->"])
def test_empty_page_is_dropped_not_a_crash(crawler, page):
    with pytest.raises(DropItem):
        extract_item(page, URL_2024, crawler)


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By Takeo Maeda, Yomiuri Shimbun Staff Writer", ["Takeo Maeda"]),
        ("By Takeo Maeda / The Japan News", ["Takeo Maeda"]),
        ("By Takeo Maeda / Jiji Press", ["Takeo Maeda"]),
        (
            "By Takeo Maeda / Yomiuri Shimbun Staff Writer and Tatsuya Tanoue / Japan News Staff"
            " Writer",
            ["Takeo Maeda", "Tatsuya Tanoue"],
        ),
        ("By Takeo Maeda / Special to The Yomiuri Shimbun", ["Takeo Maeda"]),
        ("By Takeo Maeda / Yomiuri Shimbun Senior Writer", ["Takeo Maeda"]),
        ("By Takeo Maeda / Yomiuri Shimbun Correspondent in Washington", ["Takeo Maeda"]),
        ("By The Japan News", []),
    ],
)
def test_authors_from_byline_variants(byline, authors):
    assert parse_authors(byline) == authors
