"""The one-pattern pre-checks of The Japan News' furniture rules match exactly where one of its
patterns matches (issue 6: one regex match per story line instead of eight)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.sites.japannews.furniture import (
    ANY_FIXED,
    ANY_FURNITURE,
    ANY_HEADER,
    BLOCK_HEADERS,
    FIXED_LINES,
)

# Pieces of the lines the patterns look for, to be glued into near misses and hits.
PIECES = [
    "Please disable the ad blocking feature.",
    "We apologize for any inconvenience caused.",
    "Accept all",
    "This website uses cookies to collect information about your visit",
    "Add TheJapanNews to your Google News feed",
    "Weekly Edition",
    "© 2024 The Japan News",
    "Copyright ",
    "Hot word :",
    '"Politics"',
    "POPULAR ARTICLE",
    "JN ACCESS RANKING",
    "Latest Articles",
    "most read",
    "Popular articles in the past 24 hours / week",
    "Top Articles in Business",
    "Related Tags",
    "Politics",
    " ",
    ".",
    "s",
    "x",
    "\u201c",
    "\u201d",
    "The",
]


def each_matches(patterns: dict[str, re.Pattern[str]], line: str) -> bool:
    return any(rx.match(line) for rx in patterns.values())


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=4).map("".join) | st.text(max_size=40))
def test_the_unions_match_where_one_pattern_matches(line):
    fixed = each_matches(FIXED_LINES, line)
    header = each_matches(BLOCK_HEADERS, line)
    assert bool(ANY_FIXED.match(line)) == fixed
    assert bool(ANY_HEADER.match(line)) == header
    assert bool(ANY_FURNITURE.match(line)) == (fixed or header)


def test_every_piece_alone():
    for line in PIECES:
        fixed = each_matches(FIXED_LINES, line)
        header = each_matches(BLOCK_HEADERS, line)
        assert bool(ANY_FURNITURE.match(line)) == (fixed or header)
