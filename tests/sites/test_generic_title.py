"""The generic title's rules, each on a short synthetic page of the shape real pages have
(issue 16: measured on the real-page corpus, each rule helps across its sources)."""

from __future__ import annotations

import pytest

from newscrawl.page import Page
from newscrawl.sites.generic.title import strip_suffix, title


def _title(
    head: str, body: str, url: str = "https://bay.example/a"
) -> tuple[str | None, str | None]:
    found = title(Page.of(f"<html><head>{head}</head><body>{body}</body></html>", url), url)
    return found.value, found.source


def test_the_displayed_h1_wins_over_an_seo_og_title_that_the_title_repeats():
    head = (
        '<meta property="og:title" content="Best Rain Jackets 2025 | Top 9 Picks">'
        "<title>Best Rain Jackets 2025 | Top 9 Picks</title>"
    )
    body = "<article><h1>The rain jackets that kept us dry all winter</h1></article>"
    assert _title(head, body) == ("The rain jackets that kept us dry all winter", "h1")


def test_the_metadata_names_the_h1_among_several():
    head = '<meta property="og:title" content="Harbour bridge reopens after repairs">'
    body = (
        "<div><h1>You might also like these stories</h1></div>"
        "<div><h1>Harbour bridge reopens after repairs</h1></div>"
    )
    assert _title(head, body)[0] == "Harbour bridge reopens after repairs"


def test_a_short_h1_that_begins_the_title_is_the_headline():
    body = "<h1>Penny</h1><p>Penny is a villager.</p>"
    assert _title("<title>Penny - Valley Wiki</title>", body) == ("Penny", "h1")


def test_hidden_and_navigation_h1s_are_not_the_headline():
    head = '<meta property="og:title" content="Radon map gives guidance">'
    body = (
        '<h1 class="aural">Navigation and service links here</h1>'
        "<nav><h1>Main menu of the whole site</h1></nav>"
        "<div><h1>A new map of radon in the ground gives guidance</h1></div>"
    )
    assert _title(head, body)[0] == "A new map of radon in the ground gives guidance"


@pytest.mark.parametrize(
    "h1",
    [
        '<span class="kicker">Climate</span><span class="hed">Drilling until it gets hot</span>',
        "<small>Tunisia</small><br> Drilling until it gets hot",
        '<a href="/t"><span class="label">Notes</span> Drilling until it gets hot</a>',
    ],
)
def test_a_kicker_opening_the_h1_is_not_part_of_the_headline(h1):
    assert _title("", f"<article><h1>{h1}</h1></article>")[0] == "Drilling until it gets hot"


def test_a_styled_first_word_the_sentence_goes_on_from_is_no_kicker():
    h1 = '<span class="drop">Feud</span> of the couple escalates again'
    assert _title("", f"<h1>{h1}</h1>")[0] == "Feud of the couple escalates again"


@pytest.mark.parametrize(
    "h1",
    [
        # a subtitle in an element of its own
        'Council passes the budget <small class="sub">After a long night</small>',
        # a site name after a separator, hidden or not
        'Council passes the budget<span class="element-invisible"> | Bay Post</span>',
    ],
)
def test_the_metadata_title_wins_when_the_h1_adds_to_it(h1):
    head = '<meta property="og:title" content="Council passes the budget">'
    assert _title(head, f"<article><h1>{h1}</h1></article>") == (
        "Council passes the budget",
        "meta:og:title",
    )


def test_an_h1_that_the_title_gives_as_the_site_is_the_blogs_name():
    head = "<title>Notes from a long walk | Walker</title>"
    body = '<header><h1><a href="/">Walker</a></h1></header><p>Text.</p>'
    assert _title(head, body) == ("Notes from a long walk", "title")


def test_an_h1_that_ends_the_title_after_a_shorter_part_is_no_site_name():
    head = "<title>News - Council passes the budget</title>"
    assert _title(head, "<h1>Council passes the budget</h1>")[0] == "Council passes the budget"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Podcasts in Plex • Bay Post", "Podcasts in Plex"),
        ("Bay Post » Podcasts in Plex", "Podcasts in Plex"),
        ("Podcasts in Plex :: Bay Post", "Podcasts in Plex"),
        ("武汉的声音-Bay Post", "武汉的声音"),
        ("Podcasts in Plex – Bay Post - Bay Post", "Podcasts in Plex"),
        ("Bay Post » Blog Archive » Podcasts in Plex", "Podcasts in Plex"),
    ],
)
def test_site_names_are_cut_at_more_separators_and_repeatedly(raw, want):
    assert strip_suffix(raw, {"bay post"}) == want


def test_the_host_names_the_site_by_its_own_label_only():
    # the subdomain "teaching" names no site: "Teaching Online" is the headline's
    assert (
        strip_suffix("Teaching Online: Good Practice", set(), "https://teaching.resources.osu.edu/")
        == "Teaching Online: Good Practice"
    )
    # "Gitarre & Bass 02/2022" is an issue's title on gitarrebass.de, not the site's name
    assert (
        _title(
            '<meta property="og:title" content="Gitarre &amp; Bass 02/2022">',
            "<h2>Read the new issue</h2>",
            "https://www.gitarrebass.de/news/",
        )[0]
        == "Gitarre & Bass 02/2022"
    )


def test_soft_hyphens_do_not_hide_that_the_h1_repeats_the_metadata():
    head = '<meta property="og:title" content="Messengers are no lawless space">'
    body = (
        "<h1>You are here in the site</h1>"
        "<div><h1>Mes\u00adsen\u00adgers are no lawless space</h1></div>"
    )
    assert _title(head, body)[0] == "Mes\u00adsen\u00adgers are no lawless space"


def test_a_page_whose_every_title_is_the_site_name_keeps_a_heading():
    head = '<meta property="og:site_name" content="Bay Post"><title>Bay Post</title>'
    assert _title(head, "<h1>Bay Post</h1><h2>Rail replacement buses</h2>") == (
        "Rail replacement buses",
        "h2",
    )


def test_a_utility_class_with_hidden_in_its_name_hides_no_headline():
    head = '<meta property="og:title" content="Storms ahead | Bay Post">'
    body = '<header class="relative overflow-hidden"><h1>Storm hits the coast hard tonight</h1>'
    assert _title(head, body + "</header>") == ("Storm hits the coast hard tonight", "h1")


def test_a_short_word_inside_the_host_name_is_no_site_name():
    head = '<meta property="og:title" content="AI - the next step for chips | The Mainichi">'
    got, _ = _title(head, "", "https://mainichi.jp/english/articles/1/")
    assert got == "AI - the next step for chips"
