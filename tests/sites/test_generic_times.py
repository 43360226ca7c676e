"""The generic path's publication times on the shapes real pages give them (short synthetic pages
reproducing each shape; the real-page corpus measured the rules)."""

from __future__ import annotations

from typing import Any

import pytest

from newscrawl.page import parse_tree
from newscrawl.page.time_candidates import time_candidates
from newscrawl.sites.generic import parse_article
from newscrawl.times import parse_time

URL = "https://news.example/story/trams"


def page(head: str = "", body: str = "") -> str:
    return (
        f"<html><head><title>Trams</title>{head}</head><body><article><h1>Trams</h1>{body}"
        "<p>The city will run trams every five minutes from Monday, the council said.</p>"
        "</article></body></html>"
    )


def times(head: str = "", body: str = "", url: str = URL) -> tuple[Any, Any]:
    # The address as the page names itself (Page.time_candidates reads og:url and the canonical
    # link; time_candidates(..., url=) the fetched one).
    head += f'<meta property="og:url" content="{url}">'
    found = parse_article(page(head, body), url, with_body=False)
    return found["published"], found["published_date"]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Erstellt von Fabian am Dienstag 6. Mai 2014", "2014-05-06"),  # German, "6." day
        ("3. August 2015 · Filed under Musik", "2015-08-03"),
        ("Publicado el 3 de mayo de 2022", "2022-05-03"),  # Spanish "de"
        ("Le 30 septembre 2018", "2018-09-30"),  # French
        ("1er janvier 2020", "2020-01-01"),
        ("Notizia del 14 Gennaio 2020", "2020-01-14"),  # Italian
        ("Veröffentlicht am 06.10.2023", "2023-10-06"),  # dotted: day first
    ],
)
def test_dates_in_other_languages_and_dotted_dates_are_read_day_first(line, day):
    assert times(body=f'<p class="date">{line}</p>') == (None, day)


def test_a_dotted_date_with_a_time_is_day_first():
    published, _ = times(body='<p class="meta">Stand: 12.04.2020 17:02 Uhr</p>')
    assert published == "2020-04-12T17:02:00+00:00"


def test_pm_after_a_date_is_no_time_of_day():
    # "16.06.2016 PM: ..." (a press release, "PM"): not 16 o'clock.
    assert parse_time("16.06.2016 PM: Richtigstellung").day.isoformat() == "2016-06-16"


def test_a_page_dated_only_by_its_address_has_that_day():
    url = "https://blog.example/2014/05/18/alles-neu/"
    assert times(url=url) == (None, "2014-05-18")


def test_the_canonical_address_dates_the_page_too():
    head = '<link rel="canonical" href="https://blog.example/2014-05-18-alles-neu">'
    assert times(head=head) == (None, "2014-05-18")


def test_the_fetched_address_dates_the_page():
    tree = parse_tree(page())
    found = time_candidates(
        tree, lambda key: [], lambda key: None, [], "https://b.example/2014/5/18/x"
    )
    assert found["published"] == [("url", "2014-05-18")]


def test_a_number_path_is_no_day():
    assert times(url="https://b.example/2014/13/18/x") == (None, None)


def test_a_time_far_from_the_day_the_address_names_gives_way_to_one_on_that_day():
    # The comments' <time> elements come first; the story's own date line is on the URL's day.
    comments = "".join(
        f'<time datetime="{t}">{t}</time>' for t in ("2009-04-11 18:06:36", "2013-09-27 23:08:48")
    )
    body = f"<aside>{comments}</aside><p>von Limespacer · 22. Oktober 2019</p>"
    url = "https://www.example.de/2019/10/22/entloeten/"
    assert times(body=body, url=url) == (None, "2019-10-22")


def test_with_no_time_near_the_address_day_that_day_alone():
    body = '<p class="meta">June 28, 2015 at 10:25 pm</p>'
    url = "http://www.example.com/2006/12/04/top-100-vocalists/"
    assert times(body=body, url=url) == (None, "2006-12-04")


def test_a_utc_time_is_given_in_the_offset_the_page_shows_its_clock_in():
    head = '<meta property="article:published_time" content="2020-02-25T02:25:54+00:00">'
    body = '<p class="byline">February 24, 2020 | 9:25pm</p>'
    assert times(head, body) == ("2020-02-24T21:25:54-05:00", "2020-02-24")


def test_a_clock_reading_that_is_no_whole_half_hour_away_changes_nothing():
    head = '<meta property="article:published_time" content="2020-02-25T02:25:54+00:00">'
    body = '<p class="byline">February 24, 2020 | 9:10pm</p>'
    assert times(head, body) == ("2020-02-25T02:25:54+00:00", "2020-02-25")


def test_a_metadata_date_is_not_overridden_by_a_later_time_on_another_day():
    head = '<meta name="date" content="2020-09-21">'
    body = "<pre><code>period &gt; '2020-08-01 17:00 UTC'</code></pre>"
    body += "<p>2020-08-01 17:00 UTC</p>"
    assert times(head, body) == (None, "2020-09-21")


def test_a_later_time_on_the_same_day_still_gives_the_time():
    head = '<meta name="date" content="2020-09-21">'
    body = '<p class="meta">21.09.2020 08:15 Uhr</p>'
    assert times(head, body) == ("2020-09-21T08:15:00+00:00", "2020-09-21")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="citation_publication_date" content="2019/1/22">',
        '<meta name="published" content="January 22, 2019">',
        '<meta name="cXenseParse:publishtime" content="2019-01-22T11:01:10-05:00">',
    ],
)
def test_other_meta_spellings_of_the_publication_date(meta):
    _, day = times(head=meta)
    assert day == "2019-01-22"


def test_drupal_rdfa_date():
    body = (
        '<span property="dc:date dc:created" content="2024-10-13T14:05:00+02:00">Submitted by'
        " <span>Anna Berger</span> on Sun, 10/13/2024 - 14:05</span>"
    )
    assert times(body=body) == ("2024-10-13T14:05:00+02:00", "2024-10-13")


def test_separators_are_not_counted_as_a_date_lines_words():
    body = "<p>ASIA PRESS NEWS - Oct 13, 2024 - 18:05 | All, Japan, World</p>"
    assert times(body=body) == ("2024-10-13T18:05:00+00:00", "2024-10-13")


@pytest.mark.parametrize(
    "line",
    [
        '<span class="date"><i class="icon-clock"></i><a href="/?m=202111">5. November 2021</a>'
        "</span>",
        "<h3>05.11.2021</h3>",
        '<div class="when"><svg><use href="#cal"></use></svg> Nov 5, 2021 </div>',
    ],
)
def test_date_lines_with_an_icon_inside_or_in_a_heading(line):
    assert times(body=line) == (None, "2021-11-05")


def test_a_page_that_shows_only_its_update_day_is_dated_by_it():
    assert times(body="<p>Last updated: November 13, 2025</p>") == (None, "2025-11-13")


def test_an_update_time_is_never_the_publication_time():
    assert times(body="<p>Updated: November 13, 2025 10:42 am</p>") == (None, None)


def test_a_publication_date_comes_before_the_update_day():
    body = "<p>Updated March 5, 2025</p><p>By Ann Lee · February 1, 2025</p>"
    assert times(body=body) == (None, "2025-02-01")


@pytest.mark.parametrize(
    "line",
    ["By Mei Lin, October 13, 2024 10:00", "Mai Nguyen | Oct 13, 2024 10:00"],
)
def test_a_foreign_month_name_without_a_number_beside_it_is_a_name(line):
    assert parse_time(line).moment.isoformat() == "2024-10-13T10:00:00+09:00"


def test_a_dotted_time_after_a_dotted_date_keeps_its_minutes():
    assert parse_time("11.04.2012 09.30").moment.isoformat() == "2012-04-11T09:30:00+09:00"


def test_an_address_day_beyond_the_bounds_never_dates_the_page():
    head = '<meta property="article:published_time" content="2024-10-13T09:00:00+00:00">'
    url = "https://blog.example/2099/10/22/future-slug/"
    assert times(head=head, url=url) == ("2024-10-13T09:00:00+00:00", "2024-10-13")


def test_a_date_alone_and_a_time_a_zone_away_on_the_next_day_agree():
    # 20:00 UTC on the 12th is the 13th in Tokyo: the same publication, not another day.
    from newscrawl.times import TOKYO, choose

    chosen = choose([("json-ld", "2024-10-13"), ("meta", "2024-10-12T20:00:00Z")], TOKYO)
    assert chosen.moment is not None and chosen.moment.isoformat() == "2024-10-12T20:00:00+00:00"
