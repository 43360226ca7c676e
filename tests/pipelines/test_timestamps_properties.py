"""Property-based tests of the timestamps pipeline (issue 5, item 4).

Whatever the page holds, the pipeline never raises and never writes an invalid or invented time;
reading its own output back gives the same result.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscrawl.extract import pipeline_crawler
from newscrawl.items import ArticleItem
from newscrawl.pipelines.timestamps import TimestampsPipeline
from newscrawl.text import clean_text
from newscrawl.times import TOKYO, ParsedTime, jst_iso, parse_time, utc_iso

PIPELINE = TimestampsPipeline.from_crawler(pipeline_crawler())
SKEW = PIPELINE.future_skew
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
JST_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$")
UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What a raw string must hold to give a time of day: "17:41", or an ISO hour after the date.
TIME_OF_DAY = re.compile(r"(?<![+\-\u2212\d])\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{2}")
NULL_REASONS = {"published_date_only", "published_missing", "published_future"}
SOURCES = ("meta", "json-ld", "postdate", "listing", "feed")
MONTHS = (
    "January February March April May June July August September October November December"
).split()

PROPERTY = settings(max_examples=300, deadline=None)

# Fragments of real and broken date lines: recombined they reach the parser's corners (offsets out
# of range, year 1 or 9999, hour 25, huge numbers, zone names) far more often than random text.
FRAGMENTS = st.sampled_from(
    [
        "2024", "1990", "1989", "2099", "0001", "9999", "10", "13", "30", "31", "02", "00",
        "17", "25", "61", "99", "999999999999999999999999", "-", "/", ".", ":", "T", " ", ",",
        "\u2002", "\u00a0", "\u2028", "\x00", "\x0b", "Z", "JST", "UTC", "GMT", "EST", "XYZ",
        "+09:00", "-05:00", "+23:59", "-23:59", "+24:00", "+99:99", "+9999", "-9999", "+0900",
        "+14", "am", "pm", "October", "Feb", "Sept.", "Sun,", "hours ago", "年", "月", "日",
        "2024-02-30T25:61", "2024-10-13T17:41:00", "2024-10-13", "17:41 JST, October 13, 2024",
    ]
)  # fmt: skip
DATEISH = st.lists(FRAGMENTS, max_size=12).map("".join)
# The crawl time: any moment in the site's lifetime and beyond.
CRAWLED = st.datetimes(
    min_value=datetime(1995, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
# Any fixed offset strictly between -24 h and +24 h, to the minute or to the second.
OFFSETS = st.integers(min_value=-(24 * 3600) + 1, max_value=24 * 3600 - 1).map(
    lambda seconds: timezone(timedelta(seconds=seconds))
)
MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 2), max_value=datetime(2089, 12, 31), timezones=OFFSETS
)


def postdate_line(moment: datetime) -> str:
    local = moment.astimezone(TOKYO)
    return f"{local:%H:%M} JST,\u2002{MONTHS[local.month - 1]} {local.day}, {local.year}"


def rfc822(moment: datetime) -> str:
    """An RSS pubDate of the same instant (RFC 822 offsets are whole minutes)."""
    minutes = int(moment.utcoffset().total_seconds() / 60)
    return format_datetime(moment.astimezone(timezone(timedelta(minutes=minutes))))


# What the site, its feeds and sitemaps really write, for any moment.
REAL = st.one_of(
    MOMENTS.map(lambda moment: moment.isoformat()),
    MOMENTS.map(lambda moment: moment.replace(tzinfo=None).isoformat(timespec="seconds")),
    MOMENTS.map(jst_iso),
    MOMENTS.map(utc_iso),
    MOMENTS.map(rfc822),
    MOMENTS.map(postdate_line),
    MOMENTS.map(lambda moment: f"{MONTHS[moment.month - 1]} {moment.day}, {moment.year}"),
)
RAW = st.one_of(st.text(), DATEISH, st.text(alphabet=st.characters(codec="ascii")), REAL)
CANDIDATES = st.lists(st.tuples(st.sampled_from(SOURCES), RAW), max_size=4)


def run(published=(), modified=(), crawled_at: datetime | None = None) -> ArticleItem:
    item = ArticleItem(
        crawled_at=utc_iso(crawled_at or datetime(2024, 10, 14, tzinfo=UTC)),
        flags=[],
        time_candidates={"published": list(published), "modified": list(modified)},
    )
    return PIPELINE.process_item(item)


def assert_valid(item: ArticleItem, crawled_at: datetime) -> None:
    latest = crawled_at + SKEW
    published = item["published"]
    if published is None:
        assert item["published_utc"] is None
        assert NULL_REASONS & set(item["flags"])
    else:
        assert JST_TIME.match(published), published
        moment = datetime.fromisoformat(published)
        assert EARLIEST <= moment <= latest
        assert UTC_TIME.match(item["published_utc"])
        assert datetime.fromisoformat(item["published_utc"]) == moment  # the same instant
        assert item["published_date"] == moment.astimezone(TOKYO).date().isoformat()
        assert not NULL_REASONS & set(item["flags"])
    if item["published_date"] is not None:
        assert DAY.match(item["published_date"])
        # A date alone is no more plausible in the future or before 1990 than a full time.
        day = date.fromisoformat(item["published_date"])
        assert EARLIEST.date() <= day <= latest.astimezone(TOKYO).date()
    if item["modified"] is not None:
        assert JST_TIME.match(item["modified"])
        assert EARLIEST <= datetime.fromisoformat(item["modified"]) <= latest
    assert "time_candidates" not in item


@PROPERTY
@given(RAW)
@example("2024-02-30T25:61")
@example("2024-10-13T17:41:00+99:99")
@example("October 13, 2024 17:41 +9999")
@example("0:10000000000000000000000000000/0/2000")
@example("2024-10-13+09:00")
def test_parse_time_never_raises(raw):
    parsed = parse_time(raw)
    if parsed is not None:
        assert (parsed.moment is None) != (parsed.day is None)
        if parsed.moment is not None:
            offset = parsed.moment.utcoffset()
            assert offset is not None and abs(offset) < timedelta(days=1)
            assert jst_iso(parsed.moment).endswith("+09:00")
            assert TIME_OF_DAY.search(clean_text(raw))  # never an invented time of day


@PROPERTY
@given(CANDIDATES, CANDIDATES, CRAWLED)
def test_pipeline_never_raises_and_output_is_valid(published, modified, crawled_at):
    item = run(published, modified, crawled_at)
    assert_valid(item, crawled_at)
    if item["published"] is not None:
        # Only ever read from one of the candidates, and one that names a time of day.
        assert item["published_raw"] in [raw for _source, raw in published]
        assert TIME_OF_DAY.search(clean_text(item["published_raw"]))


@PROPERTY
@given(CANDIDATES, CRAWLED)
def test_normalizing_twice_gives_the_same_result(published, crawled_at):
    first = run(published, crawled_at=crawled_at)
    for field in ("published", "published_utc"):
        if first["published"] is not None:
            # The exported value, read back as the only candidate (a feed that republishes it).
            again = run([("feed", first[field])], crawled_at=crawled_at)
            assert again["published"] == first["published"]
            assert again["published_utc"] == first["published_utc"]
            assert again["published_date"] == first["published_date"]
            assert again["flags"] == []
    if first["published"] is None and first["published_date"] is not None:
        again = run([("feed", first["published_date"])], crawled_at=crawled_at)
        assert again["published"] is None
        assert again["published_date"] == first["published_date"]
        assert again["flags"] == ["published_date_only"]


@PROPERTY
@given(MOMENTS)
def test_jst_iso_reads_back_as_the_same_instant(moment):
    moment = moment.replace(microsecond=0)
    assert parse_time(jst_iso(moment)).moment == moment
    # The same instant written with its own offset, as another source would.
    assert parse_time(moment.isoformat()).moment == moment
    assert parse_time(utc_iso(moment)).moment == moment
    assert jst_iso(parse_time(moment.isoformat()).moment) == jst_iso(moment)


@PROPERTY
@given(MOMENTS.map(lambda moment: moment.replace(tzinfo=None, microsecond=0)))
def test_time_without_offset_is_japan_time(naive):
    parsed = parse_time(naive.isoformat())
    assert parsed.moment == naive.replace(tzinfo=TOKYO)
    assert jst_iso(parsed.moment) == naive.isoformat() + "+09:00"


@PROPERTY
@given(MOMENTS.map(lambda moment: moment.replace(microsecond=0)))
def test_postdate_and_feed_lines_are_read_exactly(moment):
    local = moment.astimezone(TOKYO)
    assert parse_time(postdate_line(moment)).moment == local.replace(second=0)
    assert parse_time(rfc822(moment)).moment == moment


# Date-only forms the site and its feeds write, or plausibly could: each is read as that date.
DATE_FORMS = st.sampled_from(
    [
        "{month} {d}, {y}",
        "{mon} {d}, {y}",
        "{mon}. {d}, {y}",
        "{d} {month} {y}",
        "{weekday}, {month} {d}, {y}",
        "{y}-{m:02d}-{d:02d}",
        "{y}/{m:02d}/{d:02d}",
        "{y}.{m}.{d}",
        "{y}/{m}/{d}",
        " {month}\u00a0{d},\u2002{y} ",
        # A date with a zone but no time of day (xs:date, as sitemaps may write it).
        "{y}-{m:02d}-{d:02d}+09:00",
        "{y}-{m:02d}-{d:02d}Z",
    ]
)
# Date-only forms the site does not write, which may be unreadable or read otherwise: dateutil
# refuses a zone name with no time ("October 13, 2024 JST": null plus published_missing), and reads
# an ambiguous "2.1.2000" month first. Whatever they give, it is never a time of day.
ODD_DATE_FORMS = st.sampled_from(
    [
        "{month} {d}, {y} JST",
        "{month} {d}, {y} (JST)",
        "{month} {d}, {y} +09:00",
        "{y}年{m}月{d}日",
        "{d}.{m}.{y}",
    ]
)
DAYS = st.dates(min_value=date(1990, 1, 2), max_value=date(2089, 12, 31))


def date_line(form: str, day: date) -> str:
    month = MONTHS[day.month - 1]
    return form.format(
        month=month, mon=month[:3], weekday=f"{day:%A}", y=day.year, m=day.month, d=day.day
    )


@PROPERTY
@given(DAYS, DATE_FORMS, CRAWLED)
def test_date_only_never_gets_a_time_of_day(day, form, crawled_at):
    raw = date_line(form, day)
    assert parse_time(raw) == ParsedTime(day=day)
    item = run([("listing", raw)], crawled_at=crawled_at)
    assert item["published"] is None
    assert item["published_utc"] is None
    assert_valid(item, crawled_at)
    if day <= (crawled_at + SKEW).astimezone(TOKYO).date():
        assert item["published_date"] == day.isoformat()
        assert item["flags"] == ["published_date_only"]
    else:  # a listing date after the crawl is as implausible as a full time after it
        assert item["published_date"] is None
        assert item["flags"] == ["published_future"]


@PROPERTY
@given(DAYS, ODD_DATE_FORMS, CRAWLED)
def test_odd_date_only_never_gets_a_time_of_day(day, form, crawled_at):
    raw = date_line(form, day)
    parsed = parse_time(raw)
    assert parsed is None or parsed.moment is None
    item = run([("listing", raw)], crawled_at=crawled_at)
    assert item["published"] is None
    assert_valid(item, crawled_at)


@PROPERTY
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(1989, 12, 31), timezones=OFFSETS
    ),
    st.booleans(),
)
def test_before_1990_is_refused_as_missing_not_future(moment, date_only):
    raw = date_line("{month} {d}, {y}", moment.date()) if date_only else moment.isoformat()
    item = run([("meta", raw)])
    assert item["published"] is None
    assert item["published_date"] is None
    assert item["flags"] == ["published_missing"]


@PROPERTY
@given(st.text())
def test_clean_text_is_clean_and_idempotent(value):
    cleaned = clean_text(value)
    assert not re.search(r"[\x00-\x1f\x7f\u0085\u2028\u2029]", cleaned)
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned
