"""The generic body's general rules, each measured on the real-page corpus (issue 16), on short
synthetic pages that reproduce the real shapes: text trafilatura leaves between blocks, tables,
code listings, runs of date lines, control characters and canonical links with spaces."""

from __future__ import annotations

from lxml import etree, html

from newscrawl.page import Page, maintext
from newscrawl.sites import links
from newscrawl.sites.generic import parse_article

URL = "https://news.example/health/2025/12/19/coffee"
STORY = (
    "Coffee is far more than a morning routine for millions of people around the world, and "
    "nutrition experts say it can bring real benefits when it is enjoyed in moderation. "
)


def page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>Coffee and you</title>{head}</head><body><article>"
        f"<h1>Coffee and you</h1><p>{STORY * 3}</p>{body}<p>{STORY * 2}</p>"
        "</article></body></html>"
    )


def body_of(markup: str) -> str:
    return parse_article(markup, URL)["body"]


def test_a_paragraph_after_a_heading_without_its_own_element_is_story_text():
    # A CMS that writes <h2>Heading</h2>Text...<p>: trafilatura keeps the text as the
    # heading's tail, outside any block of its own.
    markup = page(
        "<div><h2>Why coffee can be good for you</h2>Drinking coffee has several advantages, "
        "most of them from antioxidants called polyphenols, states one dietitian we asked."
        "<p>The following are the four main advantages of coffee for most drinkers.</p></div>"
    )
    blocks = body_of(markup).split("\n\n")
    heading = blocks.index("Why coffee can be good for you")
    assert blocks[heading + 1].startswith("Drinking coffee has several advantages")
    assert blocks[heading + 2].startswith("The following are the four main advantages")


def test_a_table_is_story_text_one_row_a_line_its_cells_apart():
    rows = "".join(
        f"<tr><td>{rank}. {city}</td><td>{score}</td></tr>"
        for rank, city, score in ((1, "San Jose, CA", "84.7"), (2, "San Francisco, CA", "83.4"))
    )
    markup = page(f"<table><tr><th>City</th><th>Score</th></tr>{rows}</table>")
    blocks = body_of(markup).split("\n\n")
    assert "1. San Jose, CA 84.7" in blocks
    assert "2. San Francisco, CA 83.4" in blocks


def test_words_of_a_heading_and_the_text_after_it_inside_one_block_stay_apart():
    items = "".join(
        f"<li><h3>{name}</h3><p>{what} with this tool, in your browser or on a device.</p></li>"
        for name, what in (("WebIDE", "Develop and deploy apps"), ("Valence", "Debug apps"))
    )
    markup = page(f"<ul>{items}</ul>")
    assert "WebIDE Develop and deploy apps with this tool" in body_of(markup)


def test_a_code_listing_is_story_text():
    markup = page("<pre><code>pip install newscrawl\nnewscrawl extract page.html</code></pre>")
    assert "pip install newscrawl newscrawl extract page.html" in body_of(markup)


def test_a_lone_date_line_is_furniture_and_a_run_of_them_is_not():
    events = "".join(
        f"<p>{place}: {days}</p>"
        for place, days in (
            ("Barcelona, Spain", "March 2–5, 2026"),
            ("Austin, U.S.A.", "March 12–18, 2026"),
            ("London, U.K.", "June 10–11, 2026"),
        )
    )
    markup = page(f"<p>December 19, 2025</p><p>{STORY}</p>{events}")
    blocks = body_of(markup).split("\n\n")
    assert "December 19, 2025" not in blocks  # the story's own date line
    assert "Austin, U.S.A.: March 12–18, 2026" in blocks  # an events list
    assert "London, U.K.: June 10–11, 2026" in blocks


def test_control_characters_neither_lose_the_body_nor_show_in_it():
    # libxml2 turns a vertical tab into U+FFFD, and trafilatura then finds no body on some
    # real pages: the parse leaves such characters out.
    markup = page("<p>WWF\x0b (2020):\x0b Living Planet Report 2020, a study of many species.</p>")
    text = body_of(markup)
    assert "WWF (2020): Living Planet Report 2020" in text
    assert "\ufffd" not in text and "\x0b" not in text
    assert Page.of(markup.encode(), URL).tree.xpath("//p[contains(., 'WWF')]")


def test_a_canonical_link_with_spaces_is_percent_encoded():
    tree = html.fromstring(
        '<html><head><link rel="canonical" href="https://news.example/a/What are wines/">'
        "</head><body></body></html>"
    )
    assert links.canonical(tree, URL) == "https://news.example/a/What%20are%20wines/"


def test_loose_text_is_cut_at_double_breaks_and_inline_words_stay_whole():
    # trafilatura's document: a heading, its tail with <br><br> paragraphs, a formatted word.
    body = etree.fromstring(
        "<body><head>Harbour</head>The bridge opened.<lb/><lb/>Traffic was <hi>lig</hi>ht."
        "<p>After</p></body>"
    )
    assert maintext.blocks(body, split_breaks=True) == [
        "Harbour",
        "The bridge opened.",
        "Traffic was light.",
        "After",
    ]
