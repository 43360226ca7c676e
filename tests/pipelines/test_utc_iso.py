"""utc_iso formats without strftime: the same text for every time (issue 6: CPU per article)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from newscrawl.times import utc_iso

OFFSETS = st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m)))


MOMENTS = st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=OFFSETS)


@given(MOMENTS)
def test_utc_iso_is_strftime(moment):
    assert utc_iso(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_years_below_1000_as_strftime_writes_them():
    moment = datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert utc_iso(moment) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
