"""newscrawl.sites.pagekind: what is not an article is refused, with its reason; what is, is not.

Both sides: every article page of the repository's fixtures (The Japan News and the generic
sets) is an article; the replica's impostor pages and small pages in other sites' styles are
not. (benchmarks/not_article_rate.py measures the refusals on 1,831 real article pages.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from newscrawl.page import Page
from newscrawl.replica import impostors
from newscrawl.replica.corpus import Corpus
from newscrawl.replica.pages import Site
from newscrawl.sites import pagekind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGES = [*FIXTURES.glob("japannews/*.html"), *FIXTURES.glob("generic*/*.html")]
ARTICLE_PAGES = sorted(
    (p for p in PAGES if not p.name.startswith("listing-")), key=lambda p: (p.parent.name, p.name)
)
LISTING_PAGES = sorted(FIXTURES.glob("japannews/listing-*.html"))


@pytest.mark.parametrize("path", ARTICLE_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_fixture_article_is_an_article(path):
    assert pagekind.classify(path.read_bytes()) is None


@pytest.fixture(scope="module")
def site() -> Site:
    return Site(Corpus(60, seed=1), "http://127.0.0.1:8000")


@pytest.fixture(scope="module")
def article(site):
    return site.corpus.article(3)


@pytest.mark.parametrize("path", LISTING_PAGES, ids=lambda p: p.stem)
def test_fixture_listings_are_listings(path):
    assert pagekind.classify(path.read_bytes()) == "listing"


def test_replica_articles_in_both_layouts_are_articles(site, article):
    assert pagekind.classify(site.article(article)) is None
    for has_meta in (True, False):
        unknown = replace(article, layout="unknown", has_meta=has_meta)
        assert pagekind.classify(site.article(unknown)) is None


@pytest.mark.parametrize(
    ("page", "why"),
    [
        (lambda site, a: impostors.interstitial(site, a), "interstitial"),
        (lambda site, a: impostors.wall(site, a, keeps_meta=True), "login_wall"),
        (lambda site, a: impostors.wall(site, a, keeps_meta=False), "login_wall"),
        (lambda site, a: site.not_found(), "error_page"),
        (lambda site, a: impostors.section_page(site, a), "listing"),
        (lambda site, a: site.home(), "listing"),
        (lambda site, a: site.blank(), "no_article"),
    ],
    ids=["interstitial", "wall-meta", "wall", "soft404", "sectionpage", "home", "blank"],
)
def test_replica_pages_that_are_not_the_article(site, article, page, why):
    assert pagekind.classify(page(site, article)) == why


STORY = "".join(
    f"<p>Paragraph {n} of the council's budget story goes on at length for its readers, as"
    " a real story does, with quotes and figures and the names of those involved.</p>"
    for n in range(8)
)
CHROME = "".join(f'<li><a href="/news/{n}/">Section {n}</a></li>' for n in range(30))


def page(head: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><header><nav><ul>{CHROME}</ul></nav>"
        f"</header>{body}<footer><p>Copyright 2025 Example Media, all rights reserved, every"
        " word of it.</p></footer></body></html>"
    )


ARTICLE_META = (
    '<meta property="og:type" content="article">'
    '<meta property="article:published_time" content="2025-05-01T09:00:00Z">'
)
HEADLINES = "".join(
    f'<li><a href="/politics/story-{n}/">Council weighs a new plan for the city budget {n}</a>'
    f"<span>May {n}, 2025</span></li>"
    for n in range(1, 16)
)


@pytest.mark.parametrize(
    ("head", "body", "why"),
    [
        # bot checks: by title, by phrase, by the challenge's markup
        ("<title>Attention Required! | Cloudflare</title>", "<h1>Sorry, you have been blocked"
         "</h1><p>Why have I been blocked?</p>", "interstitial"),
        ("<title>example.com</title>", "<p>Checking your browser before accessing example.com."
         "</p>", "interstitial"),
        ("<title>www.example.com</title>", '<script src="/cdn-cgi/challenge-platform/h/b/'
         'orchestrate/chl_page/v1?ray=1"></script>', "interstitial"),
        ("<title>Pardon Our Interruption</title>", "<p>Something about your browser made us"
         " think you were a bot.</p>", "interstitial"),
        # walls, keeping the article's meta or not
        (ARTICLE_META + "<title>Council Votes on Budget - Example</title>", "<h1>Council Votes"
         " on Budget</h1><p>The city council voted on Tuesday.</p><div class='paywall'><p>"
         "Subscribe to continue reading.</p></div>", "login_wall"),
        ("<title>Council Votes on Budget</title>", "<h1>Council Votes on Budget</h1><p>This"
         " story is for subscribers only.</p><p>Already a subscriber? Log in</p>",
         "login_wall"),
        ("<title>Member story</title>", "<p>You have reached your limit of free articles this"
         " month. Create a free account to continue reading.</p>", "login_wall"),
        # error pages answered with 200
        ("<title>404 Not Found</title>", "<h1>Not Found</h1>", "error_page"),
        ("<title>Example News</title>", "<h1>Oops! That page can’t be found.</h1><p>It looks"
         " like nothing was found at this location.</p>", "error_page"),
        ("<title>Example News</title>", "<p>Sorry, we couldn't find the page you were looking"
         " for.</p>", "error_page"),
        # a tag page on an article URL; a template that rendered nothing
        ("<title>Budget - Example News</title>", f"<h1>Budget</h1><ul>{HEADLINES}</ul>",
         "listing"),
        ("<title>Example News</title>", "<main><div class='story'></div></main>", "no_article"),
    ],
)  # fmt: skip
def test_pages_of_other_sites_that_are_not_articles(head, body, why):
    assert pagekind.classify(page(head, body)) == why


@pytest.mark.parametrize(
    ("head", "body"),
    [
        # a real story that mentions the signatures, with a wall box in its chrome
        ("<title>Page not found: the web’s lost links</title>", "<h1>Just a moment: why sites"
         f" check your browser</h1>{STORY}<aside><p>Subscribe to read more stories like this"
         " one.</p></aside>"),
        # a story without any metadata, between many headline links
        ("<title>Council Votes on Budget</title>", f"<h1>Council Votes on Budget</h1>{STORY}"
         f"<ul>{HEADLINES}</ul>"),
        # a short post without metadata: a few sentences
        ("<title>Site update</title>", "<h1>Site update</h1><p>Chapter 121 is online now. As"
         " always, only registered readers can see the pictures; the next chapter follows in"
         " two weeks.</p>"),
        # a story in an unclosed nav (the parser puts the rest of the page inside it)
        ("<title>Council Votes</title>", f"<nav><div><h1>Council Votes</h1>{STORY}"),
        # a hidden wall box on a full article
        (ARTICLE_META + "<title>Council Votes</title>", f"{STORY}<div style='display:none'>"
         "<p>Subscribe to continue reading.</p></div>"),
    ],
    ids=["mentions", "no-metadata", "short-post", "unclosed-nav", "hidden-wall"],
)  # fmt: skip
def test_articles_of_other_sites_are_articles(head, body):
    assert pagekind.classify(page(head, body)) is None


def test_japanese_text_counts_as_words():
    assert pagekind.words("政府は新たな経済対策をまとめた。") == 8  # 15 characters, the stop
    assert pagekind.words("The cabinet met. 閣議") == 4


@pytest.mark.parametrize(
    "headline",
    [
        "Security Check Tightened at Narita Ahead of Summit",
        "Access Denied: Court Rejects Appeal Over Records",
        "Please Wait for Evacuation Order, Town Tells Residents",
        "Sorry, but Japan Is Not Ready for the Next Quake",
        "404 Seats Filled as Diet Opens Extraordinary Session",
    ],
)
def test_a_short_real_article_whose_headline_reads_like_a_signature_is_an_article(headline):
    """The site's own 97-word article, headline and <title> changed: with article metadata,
    title and heading signatures do not count (a story may be headed so)."""
    page = (FIXTURES / "japannews/article-2024-byline-photo.html").read_text("utf-8")
    old = "Japan, U.S. Agree to Strengthen Extended Deterrence"
    assert page.count(old) >= 2
    page = page.replace(old, headline)
    sidebar = f"<h2>{headline}</h2>"  # and a box of the sidebar headed so
    assert pagekind.classify(page.replace("</main>", f"{sidebar}</main>", 1)) is None


# -- the fast path's reading of the text --------------------------------------------------------
# What `unskipped_text` stands for: the text nodes of the document outside the skipped elements.
UNSKIPPED_XPATH = etree.XPath(
    "//text()[not(" + " or ".join(f"ancestor::{tag}" for tag in sorted(pagekind.SKIPPED)) + ")]",
    smart_strings=False,
)
TRICKY = [
    "<p>a<script>x</script>tail<!-- c -->after comment<?pi x?>after pi</p>",
    "<div>a<svg><title>t</title><g>g</g></svg>svg tail<select><option>o</option></select>s</div>",
    "<template><p>hidden</p></template>visible<textarea>typed</textarea>t<style>s</style>",
    "<html><body><p>one</p></body></html><html><body><p>second root</p></body></html>",
    "<!-- before --><html><body>x<noscript>kept</noscript><button>b</button></body></html>",
]


@pytest.mark.parametrize(
    "page",
    [*TRICKY, *PAGES],
    ids=lambda p: f"{p.parent.name}/{p.stem}" if isinstance(p, Path) else p[:30],
)
@pytest.mark.parametrize("way", ["set:difference", "walk"])
def test_unskipped_text_is_what_the_xpath_selects(page, way, monkeypatch):
    if way == "walk":  # as on a page with more text nodes than DIFFERENCE_MAX_TEXTS
        monkeypatch.setattr(pagekind, "DIFFERENCE_MAX_TEXTS", 0)
    root = Page.of(page.read_bytes() if isinstance(page, Path) else page).root
    assert pagekind.unskipped_text(root) == UNSKIPPED_XPATH(root)


@pytest.mark.parametrize(
    "signature", [pagekind.INTERSTITIAL_TEXT, pagekind.LOGIN_WALL_TEXT, pagekind.ERROR_TEXT]
)
@given(data=st.data())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_match_of_a_signature_holds_one_of_its_clues(signature, data):
    """The clues are a prefilter: a text without any clue is never searched. Texts made to
    match the pattern, read as the page's text is (`_plain`), always hold a clue."""
    text = pagekind._plain(data.draw(st.from_regex(signature.pattern)))
    if match := signature.pattern.search(text):
        assert any(clue in match[0] for clue in signature.clues), match[0]
        assert signature.search(text)
