from __future__ import annotations

import pytest

from newscrawl.host_answers import retry_after_seconds
from newscrawl.middlewares.retry import backoff_seconds

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        (b"120", 120.0),
        (" 5 ", 5.0),
        ("Tue, 14 Nov 2023 22:13:50 GMT", 30.0),
        ("Tue, 14 Nov 2023 22:00:00 GMT", 0.0),  # in the past: go now
        ("soon", None),
        ("-3", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value, seconds):
    assert retry_after_seconds(value, now=NOW) == seconds


@pytest.mark.parametrize(
    ("retry_times", "base", "cap", "seconds"),
    [
        (0, 1.0, 30.0, 0.0),
        (1, 1.0, 30.0, 1.0),
        (2, 1.0, 30.0, 2.0),
        (3, 1.0, 30.0, 4.0),
        (9, 1.0, 30.0, 30.0),
        (2, 0.0, 30.0, 0.0),
    ],
)
def test_backoff_doubles_up_to_its_cap(retry_times, base, cap, seconds):
    assert backoff_seconds(retry_times, base, cap) == seconds
