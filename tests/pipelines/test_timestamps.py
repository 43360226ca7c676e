from __future__ import annotations

from datetime import date

import pytest

from newscrawl.items import ArticleItem
from newscrawl.pipelines.timestamps import TimestampsPipeline
from newscrawl.times import ParsedTime, parse_time

CRAWLED_AT = "2024-10-14T00:00:00Z"  # 09:00 JST, October 14, 2024


def run(crawler, published=(), modified=(), crawled_at=CRAWLED_AT) -> ArticleItem:
    item = ArticleItem(
        crawled_at=crawled_at,
        flags=[],
        time_candidates={"published": list(published), "modified": list(modified)},
    )
    return TimestampsPipeline.from_crawler(crawler).process_item(item)


@pytest.mark.parametrize(
    ("raw", "published", "published_utc"),
    [
        ("2024-10-13T17:41:00+09:00", "2024-10-13T17:41:00+09:00", "2024-10-13T08:41:00Z"),
        ("17:41 JST,\u2002October 13, 2024", "2024-10-13T17:41:00+09:00", "2024-10-13T08:41:00Z"),
        ("14:08 JST, March 17, 2023", "2023-03-17T14:08:00+09:00", "2023-03-17T05:08:00Z"),
        ("  14:08\u00a0JST,  March 17, 2023 ", "2023-03-17T14:08:00+09:00", "2023-03-17T05:08:00Z"),
        # No offset: Japan time.
        ("2024-10-13T17:41:47", "2024-10-13T17:41:47+09:00", "2024-10-13T08:41:47Z"),
        # Another offset: converted to Japan time.
        ("2024-10-13T08:41:47Z", "2024-10-13T17:41:47+09:00", "2024-10-13T08:41:47Z"),
        ("2024-10-12T23:30:00-05:00", "2024-10-13T13:30:00+09:00", "2024-10-13T04:30:00Z"),
        ("Sun, 13 Oct 2024 17:41:00 +0900", "2024-10-13T17:41:00+09:00", "2024-10-13T08:41:00Z"),
        # Crossing midnight: the Japan date differs from the UTC date.
        ("00:30 JST, October 13, 2024", "2024-10-13T00:30:00+09:00", "2024-10-12T15:30:00Z"),
    ],
)
def test_full_times_become_japan_time(crawler, raw, published, published_utc):
    item = run(crawler, published=[("meta", raw)])
    assert item["published"] == published
    assert item["published_utc"] == published_utc
    assert item["published_date"] == published[:10]
    assert item["published_raw"] == raw
    zoneless = raw == "2024-10-13T17:41:47"
    assert item["flags"] == (["published_zone_assumed"] if zoneless else [])
    assert "time_candidates" not in item


def test_a_time_that_names_its_zone_wins_over_one_that_does_not(crawler):
    # meta without an offset says 08:41 (it was UTC); the date line names JST
    item = run(
        crawler,
        published=[("meta", "2024-10-13T08:41:00"), ("postdate", "17:41 JST, October 13, 2024")],
    )
    assert item["published"] == "2024-10-13T17:41:00+09:00"
    assert item["flags"] == []
    # with nothing better, the zone-less time is read as Japan time, and said so
    item = run(
        crawler, published=[("meta", "2024-10-13T17:41:00"), ("listing", "October 13, 2024")]
    )
    assert item["published"] == "2024-10-13T17:41:00+09:00"
    assert item["flags"] == ["published_zone_assumed"]


@pytest.mark.parametrize("raw", ["July 10, 2024", "2024-07-10"])
def test_date_without_time_is_flagged_not_midnight(crawler, raw):
    item = run(crawler, published=[("listing", raw)])
    assert item["published"] is None
    assert item["published_utc"] is None
    assert item["published_date"] == "2024-07-10"
    assert item["published_raw"] == raw
    assert item["flags"] == ["published_date_only"]
    assert crawler.stats.get_value("newscrawl/timestamps/published_date_only") == 1


@pytest.mark.parametrize(
    "raw",
    [
        "nonsense",
        "",
        "2024",
        "October 2024",
        "Feb 30, 2024",
        "25:99 JST, March 1, 2024",
        "2 hours ago",
    ],
)
def test_nonsense_is_not_a_time(crawler, raw):
    assert parse_time(raw) is None
    item = run(crawler, published=[("meta", raw)])
    assert item["published"] is None
    assert item["flags"] == ["published_missing"]


def test_future_time_is_refused_and_next_candidate_used(crawler):
    item = run(
        crawler,
        published=[
            ("meta", "2024-10-15T09:00:00+09:00"),
            ("postdate", "17:41 JST, October 13, 2024"),
        ],
    )
    assert item["published"] == "2024-10-13T17:41:00+09:00"
    assert item["published_raw"] == "17:41 JST, October 13, 2024"
    assert crawler.stats.get_value("newscrawl/timestamps/refused/meta") == 1


def test_only_future_time_gives_null_and_flag(crawler):
    item = run(crawler, published=[("meta", "2030-01-01T00:00:00+09:00")])
    assert item["published"] is None
    assert item["flags"] == ["published_future"]


def test_small_clock_skew_is_tolerated(crawler):
    # Five minutes after the crawl: within the default ten-minute skew.
    item = run(crawler, published=[("meta", "2024-10-14T09:05:00+09:00")])
    assert item["published"] == "2024-10-14T09:05:00+09:00"


def test_first_full_time_wins_over_earlier_date_only(crawler):
    item = run(
        crawler,
        published=[("listing", "October 13, 2024"), ("postdate", "17:41 JST, October 13, 2024")],
    )
    assert item["published"] == "2024-10-13T17:41:00+09:00"
    assert item["flags"] == []


def test_modified(crawler):
    item = run(
        crawler,
        published=[("meta", "2024-10-13T17:41:00+09:00")],
        modified=[("meta", "garbage"), ("json-ld", "2024-10-13T19:02:13+09:00")],
    )
    assert item["modified"] == "2024-10-13T19:02:13+09:00"
    item = run(crawler, published=[("meta", "2024-10-13T17:41:00+09:00")])
    assert item["modified"] is None
    assert item["flags"] == []


def test_no_candidates(crawler):
    item = run(crawler)
    assert item["published"] is None
    assert item["flags"] == ["published_missing"]


@pytest.mark.parametrize("raw", ["14:08 XYZ, March 17, 2023", "14:08 QQT, March 17, 2023"])
def test_unknown_zone_name_is_not_japan_time(raw):
    assert parse_time(raw) is None


def test_common_zone_names_are_read_in_their_zone():
    parsed = parse_time("14:08 EST, March 17, 2023")
    assert parsed is not None and parsed.zone_given
    assert parsed.moment.isoformat() == "2023-03-17T14:08:00-04:00"  # New York: DST began Mar 12
    assert parse_time("Oct. 13, 2024, 6:00 p.m. BST").moment.isoformat() == (
        "2024-10-13T18:00:00+01:00"
    )


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        # dateutil reads "GMT+2" the POSIX way (two hours west): the sign is the page's
        ("October 13, 2024 18:05 (GMT+2)", "2024-10-13T18:05:00+02:00"),
        ("Oct 13, 2024 18:05 UTC+9", "2024-10-13T18:05:00+09:00"),
        ("October 13, 2024 18:05 GMT-5", "2024-10-13T18:05:00-05:00"),
        ("Sun 13 Oct 2024 09.30 BST", "2024-10-13T09:30:00+01:00"),
        ("Oct. 13, 2024, 6:00 p.m. ET", "2024-10-13T18:00:00-04:00"),
        # the update clause after the time is another time: only the first is published
        ("17:41 JST, October 13, 2024 (Updated 19:02 JST)", "2024-10-13T17:41:00+09:00"),
        ("2024年10月13日 18時05分 JST", "2024-10-13T18:05:00+09:00"),
    ],
)
def test_zone_forms_and_clauses(raw, want):
    assert parse_time(raw).moment.isoformat() == want


@pytest.mark.parametrize(
    "raw",
    [
        "October 13, 2024 18:05 ET (22:05 GMT)",  # two times: which one?
        "October 13, 2024 2.30 million",  # a number, not a time of day
        "Oct 13, 2024 3.5 million people",
    ],
)
def test_no_time_is_invented(raw):
    parsed = parse_time(raw)
    assert parsed is None or parsed.moment is None


def test_japanese_date_alone_is_a_date():
    assert parse_time("2024年10月13日") == ParsedTime(day=date(2024, 10, 13))
