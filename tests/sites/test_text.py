"""The faster text helpers give what the plain ones gave (issue 6: CPU per article)."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from newscrawl.text import INVISIBLE_TAGS, _collect_text, clean_text, text_of

WHITESPACE = re.compile(r"\s+")
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text_with_regex(value: str | None) -> str:
    """clean_text as it was written before: whitespace runs by the regex \\s+."""
    if not value:
        return ""
    return WHITESPACE.sub(" ", CONTROLS.sub("", value)).strip()


def text_of_by_walk(element, skip=frozenset(), line_break=" ") -> str:
    """text_of without its shortcut for elements with no children."""
    parts: list[str] = []
    _collect_text(element, parts, INVISIBLE_TAGS | skip, line_break)
    return clean_text("".join(parts))


def test_str_split_splits_at_exactly_the_characters_regex_s_matches():
    space = re.compile(r"\s")
    differ = [c for c in range(sys.maxunicode + 1) if bool(space.match(chr(c))) != chr(c).isspace()]
    assert differ == []


SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(SPACES + "\x00\x07\x1f\x7fab —") | st.characters()))
def test_clean_text_is_the_regex_version(value):
    assert clean_text(value) == clean_text_with_regex(value)


def test_clean_text_of_nothing():
    assert clean_text(None) == clean_text("") == clean_text(" \n") == ""


ELEMENTS = [
    "<p>  Plain\u2002text\u00a0here </p>",
    "<p></p>",
    "<p>x<br>y</p>",
    "<br>",
    "<script>var x = 1;</script>",
    "<style>p {}</style>",
    "<figcaption>Caption</figcaption>",
    "<p>a<!-- c -->b</p>",
    "<p>a<b>b</b> c<script>no</script>d</p>",
    "<p>\x07bell\x00</p>",
    "<h2>Head</h2>",
]


def test_text_of_is_the_walk_for_every_kind_of_element():
    for markup in ELEMENTS:
        element = html.fragment_fromstring(markup)
        for skip in (frozenset(), frozenset({"figcaption", "figure"})):
            for line_break in (" ", " / "):
                expected = text_of_by_walk(element, skip, line_break)
                assert text_of(element, skip, line_break) == expected, markup
    comment = html.fragment_fromstring("<div><!-- c --></div>")[0]
    assert text_of(comment) == text_of_by_walk(comment) == ""
