"""The validation pipeline drops exactly what jsonschema refuses, whatever its fast check says.

The fast check (fastjsonschema, see the validation pipeline) must never accept what jsonschema's
Draft202012Validator refuses; it may refuse what jsonschema accepts (then jsonschema decides),
but not a valid item a crawl makes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import scrapy
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem

from newscrawl.items import ARTICLE_FIELDS, ArticleItem, article_schema
from newscrawl.pipelines.validation import ValidationPipeline, compile_fast_check

FIXTURES = Path(__file__).parents[1] / "fixtures" / "japannews"
VALIDATOR = Draft202012Validator(article_schema())
CHECK = compile_fast_check(article_schema())

GOOD: dict[str, Any] = {
    "id": "japannews:216478",
    "site": "japannews",
    "url": "https://japannews.yomiuri.co.jp/politics/defense-security/20241013-216478/",
    "section": "politics",
    "subsection": "defense-security",
    "title": "Japan, U.S. Agree to Strengthen Extended Deterrence",
    "published": "2024-10-13T17:41:00+09:00",
    "published_utc": "2024-10-13T08:41:00Z",
    "published_date": "2024-10-13",
    "modified": None,
    "published_raw": "2024-10-13T17:41:00+09:00",
    "authors": ["Ko Fujiwara"],
    "byline": "By Ko Fujiwara / Yomiuri Shimbun Staff Writer",
    "description": None,
    "body": "WASHINGTON — Japan and the United States agreed on Saturday.",
    "images": [{"url": "https://japannews.yomiuri.co.jp/a.jpg", "caption": None, "credit": "x"}],
    "tags": ["Defense"],
    "access": "free",
    "listing_url": "https://japannews.yomiuri.co.jp/politics/",
    "crawled_at": "2024-10-14T00:00:00Z",
    "revision": 1,
    "flags": [],
}

# Values that break some field or other: wrong types, empty, near misses of each pattern.
ODD_VALUES: list[Any] = [
    None,
    "",
    " ",
    "x",
    "\x00",
    "a\x00b",
    "Politics",
    "politics-",
    "politics--government",
    "japannews:",
    "japannews:12a",
    "japannews:216478\n",
    "http://japannews.yomiuri.co.jp/x/",
    "https://japannews.yomiuri.co.jp/x",
    "https://japannews.yomiuri.co.jp/a b/",
    "https://h/",
    "ftp://h/",
    "2024-10-13T17:41:00+09:00",
    "2024-10-13T17:41:00Z",
    "2024-10-13T17:41:00+09:00\n",
    "2024-10-13",
    "2024-10-13\n",
    "２０２４-10-13",
    "free",
    "premium",
    "maybe",
    "published_missing",
    "fallback_body",
    0,
    1,
    2,
    -1,
    1.0,
    1.5,
    True,
    False,
    [],
    [""],
    ["x"],
    [None],
    ["x", ""],
    ["published_missing"],
    ["published_date_only", "fallback_layout"],
    ["bogus"],
    ("x",),
    {},
    {"url": "https://a/b.jpg"},
    [{"url": "https://a/b.jpg", "caption": None, "credit": None}],
    [{"url": "https://a/b.jpg", "caption": "c", "credit": None, "extra": 1}],
    [{"url": "data:image/png", "caption": None, "credit": None}],
    [{"url": "https://a/b.jpg", "caption": 1, "credit": None}],
    [{"url": "https://a/b.jpg", "caption": None}],
    [["x"]],
]


def ends_in_newline(value: Any) -> bool:
    if isinstance(value, str):
        return value.endswith("\n")
    if isinstance(value, dict):
        return any(ends_in_newline(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(ends_in_newline(v) for v in value)
    return False


def agree(record: Any) -> None:
    expected = VALIDATOR.is_valid(record)
    if CHECK(record) is not expected:
        # The one stricter case: fastjsonschema reads a pattern's `$` as `\Z`, jsonschema does not.
        assert expected and ends_in_newline(record), record


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.expected.json")))
def test_fixture_items_are_valid(name):
    expected = json.loads((FIXTURES / name).read_text("utf-8"))
    record = {name: GOOD[name] for name in ("listing_url", "crawled_at", "revision")}
    record.update(expected)
    agree(record)
    assert CHECK(record)


def test_the_good_record_is_valid():
    agree(GOOD)
    assert CHECK(GOOD)


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_each_odd_value_in_the_field(field):
    for value in ODD_VALUES:
        agree({**copy.deepcopy(GOOD), field: copy.deepcopy(value)})


def test_a_trailing_newline_is_left_to_jsonschema():
    record = {**GOOD, "section": "politics\n"}
    assert VALIDATOR.is_valid(record) and not CHECK(record)


def test_a_tuple_for_an_array_is_refused_as_jsonschema_refuses_it():
    for field in ("authors", "images", "tags", "flags"):
        record = {**GOOD, field: tuple(GOOD[field])}
        assert not VALIDATOR.is_valid(record) and not CHECK(record), field


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_a_missing_or_an_extra_field(field):
    record = copy.deepcopy(GOOD)
    del record[field]
    agree(record)
    agree({**GOOD, "extra_" + field: None})


def test_compiling_leaves_the_shared_schema_as_it_was():
    schema = copy.deepcopy(article_schema())
    compile_fast_check(article_schema())
    assert article_schema() == schema


@pytest.mark.parametrize(
    ("published", "flags"),
    [
        (None, []),
        (None, ["published_missing"]),
        (None, ["published_date_only"]),
        (None, ["published_future"]),
        (None, ["fallback_body"]),
        (None, ["fallback_body", "published_missing"]),
        ("2024-10-13T17:41:00+09:00", []),
        (1, []),
    ],
)
def test_null_published_needs_a_reason_among_the_flags(published, flags):
    agree({**GOOD, "published": published, "flags": flags})


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 3)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["url", "caption", "credit", "x"]), children, max_size=4)
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(
    changes=st.dictionaries(
        st.sampled_from(ARTICLE_FIELDS),
        JSONISH | st.sampled_from(ODD_VALUES),
        max_size=3,
    )
)
def test_random_changes_of_a_good_record(changes):
    agree({**copy.deepcopy(GOOD), **changes})


def item(**changes: Any) -> ArticleItem:
    fields = {k: v for k, v in GOOD.items() if k != "revision"}
    fields.update(changes)
    return ArticleItem(**fields)


def test_the_pipeline_keeps_a_float_revision_as_jsonschema_does(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    record = item(revision=1.0)
    assert pipeline.process_item(record) is record


def test_the_pipeline_drops_with_jsonschemas_reason(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=r"invalid tags in .*: '' should be non-empty"):
        pipeline.process_item(item(tags=["ok", ""]))


def test_nested_items_are_judged_by_jsonschema_on_the_plain_copy(crawler):
    """A nested item is no dict to the fast check; jsonschema sees asdict()'s copy, as before."""

    class Image(scrapy.Item):
        url = scrapy.Field()
        caption = scrapy.Field()
        credit = scrapy.Field()

    image = Image(url="https://a/b.jpg", caption=None, credit=None)
    pipeline = ValidationPipeline.from_crawler(crawler)
    record = item(images=[image])
    assert pipeline.process_item(record) is record


def test_the_pipeline_drops_a_tuple_for_an_array_as_jsonschema_does(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    with pytest.raises(
        DropItem, match=r"invalid tags in .*: \('Defense',\) is not of type 'array'"
    ):
        pipeline.process_item(item(tags=("Defense",)))


def test_the_pipeline_keeps_a_trailing_newline_as_jsonschema_does(crawler):
    pipeline = ValidationPipeline.from_crawler(crawler)
    record = item(section="politics\n")
    assert pipeline.process_item(record) is record
