"""newscrawl.times.choose: the one choice of a page's `published` among its raw candidates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl import times
from newscrawl.times import PLAIN_ISO, TOKYO, choose, parse_time

NOW = datetime(2024, 10, 13, 12, 0, tzinfo=UTC)


def test_a_time_that_names_its_zone_wins_wherever_it_stands():
    chosen = choose(
        [("a", "2024-10-12"), ("b", "2024-10-12 18:00"), ("c", "2024-10-12T18:00:00+02:00")],
        TOKYO,
    )
    assert (chosen.source, chosen.raw, chosen.zone_assumed) == (
        "c",
        "2024-10-12T18:00:00+02:00",
        False,
    )
    assert chosen.moment == datetime(2024, 10, 12, 16, 0, tzinfo=UTC)


def test_else_the_first_assumed_zone_else_the_first_date_alone():
    chosen = choose([("a", "2024-10-11"), ("b", "2024-10-11 18:00")], TOKYO)
    assert (chosen.source, chosen.zone_assumed, chosen.moment.utcoffset()) == (
        "b",
        True,
        timedelta(hours=9),
    )
    chosen = choose([("x", "soon"), ("a", "2024-10-11"), ("b", "October 12, 2024")], TOKYO)
    assert (chosen.source, chosen.day, chosen.moment) == ("a", date(2024, 10, 11), None)
    assert chosen.unparsed == ("x",)


def test_without_now_there_are_no_bounds():
    chosen = choose([("a", "2099-01-01T00:00:00Z"), ("b", "1980-01-01T00:00:00Z")], TOKYO)
    assert (chosen.source, chosen.refused) == ("a", ())


def test_with_now_a_time_out_of_bounds_is_refused():
    candidates = [
        ("future", "2024-10-13T12:11:00Z"),
        ("old", "1989-12-31T23:00:00Z"),
        ("day", "2024-10-14"),
        ("ok", "2024-10-13T12:09:00Z"),
    ]
    chosen = choose(candidates, TOKYO, NOW, timedelta(minutes=10))
    assert (chosen.source, chosen.refused, chosen.refused_future) == (
        "ok",
        ("future", "old", "day"),
        True,
    )
    # a date alone is held to the crawl's Japan date (plus the skew)
    assert choose([("d", "2024-10-13")], TOKYO, NOW).day == date(2024, 10, 13)


def test_nothing_to_choose():
    chosen = choose([("a", "2099-01-01T00:00:00Z")], TOKYO, NOW)
    assert (chosen.moment, chosen.day, chosen.source, chosen.refused_future) == (
        None,
        None,
        None,
        True,
    )
    assert choose([], TOKYO) == choose([], TOKYO, NOW)


@given(st.from_regex(PLAIN_ISO, fullmatch=True))
@settings(max_examples=500, deadline=None)
def test_a_plain_iso_time_reads_as_it_would_through_every_rewrite(text):
    """Plain ISO times skip the rewrites of odd formats; with a space before them they go
    through all of them (and the space goes). Both must read the same."""
    assert times._normalized(text) == text == times._normalized(" " + text)
    assert parse_time(text) == parse_time(" " + text)
