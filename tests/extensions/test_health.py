from __future__ import annotations

import pytest

from newscrawl.extensions.health import Thresholds, assess

HEALTHY = {
    "finish_reason": "finished",
    "newscrawl/listing/pages": 6,
    "newscrawl/listing/entries": 60,
    "newscrawl/articles/requested": 40,
    "newscrawl/articles/fetched": 40,
    "item_scraped_count": 40,
    "newscrawl/feed/configured": 2,
    "newscrawl/feed/lines": 80,
    "newscrawl/requests/kind/listing": 6,
    "newscrawl/requests/kind/article": 40,
}
NOTHING_NEW = {
    "newscrawl/articles/requested": 0,
    "newscrawl/articles/fetched": 0,
    "item_scraped_count": 0,
    "newscrawl/feed/lines": 0,
}


LINES = "newscrawl/feed/lines"


@pytest.mark.parametrize(
    ("changes", "status", "reason"),
    [
        ({}, 0, None),
        # Nothing new: listings read, every article known already.
        (NOTHING_NEW, 0, None),
        (
            {**NOTHING_NEW, "newscrawl/articles/requested": 3, "newscrawl/articles/fetched": 3}
            | {"newscrawl/revisions/unchanged": 3},
            0,
            None,
        ),
        ({"newscrawl/feed/write_failed": 40}, 1, "feed could not be written"),
        ({"feedexport/failed_count/FileFeedStorage": 1}, 1, "feed could not be written"),
        # A feed that Scrapy could not open, or disabled, gets nothing.
        ({LINES: 40}, 1, "40 of 80 lines"),
        ({"finish_reason": "shutdown"}, 1, "ended early"),
        (
            {"finish_reason": "state_locked", "newscrawl/state/error": "another run (pid 7)"},
            3,
            "pid 7",
        ),
        ({"newscrawl/targets/not_found": ["politics/nosuch"]}, 1, "politics/nosuch"),
        (
            {"newscrawl/listing/pages": 0, "newscrawl/requests/forbidden_by_robots": 6},
            1,
            "robots.txt",
        ),
        ({"newscrawl/listing/entries": 0}, 1, "held no article links"),
        (
            {**NOTHING_NEW, "newscrawl/articles/requested": 40}
            | {"newscrawl/requests/forbidden_by_robots": 40},
            1,
            "none could be fetched (40 forbidden by robots.txt",
        ),
        (
            {"item_scraped_count": 0, LINES: 0, "newscrawl/validation/dropped": 40},
            1,
            "none of the 40",
        ),
        (
            {"item_scraped_count": 30, LINES: 60, "newscrawl/validation/dropped": 10}
            | {"newscrawl/validation/dropped/title": 10},
            1,
            "title: 10",
        ),
        ({"item_scraped_count": 39, LINES: 78, "newscrawl/validation/dropped": 1}, 0, None),
        ({"newscrawl/exported/without_published": 20}, 1, "no published time"),
        ({"newscrawl/requests/failed": 1}, 1, "finally failed"),
    ],
)
def test_assess(changes, status, reason):
    verdict = assess({**HEALTHY, **changes}, Thresholds())
    assert verdict.exit_status == status
    if reason:
        assert reason in verdict.reason
    else:
        assert verdict.reason is None


def test_thresholds_are_settings():
    stats = {**HEALTHY, "newscrawl/requests/failed": 1}
    assert assess(stats, Thresholds(max_failed_share=0.05)).exit_status == 0


def test_a_shared_frontier_worker_that_read_no_listing_is_healthy_unless_it_failed():
    """Another worker read the listings; this one only fetched what the shared queue gave."""
    worker = {
        "finish_reason": "finished",
        "newscrawl/frontier/shared": 1,
        "newscrawl/feed/configured": 2,
        **NOTHING_NEW,
    }
    assert assess(worker, Thresholds()).exit_status == 0
    alone = {k: v for k, v in worker.items() if k != "newscrawl/frontier/shared"}
    assert "no listing page could be read" in assess(alone, Thresholds()).reason
    failing = {**worker, "newscrawl/requests/failed": 3, "newscrawl/requests/kind/listing": 3}
    assert assess(failing, Thresholds()).exit_status == 1


def test_redirect_hops_and_retries_do_not_dilute_the_refused_share():
    """Issue 13, item 2: 12 of 46 articles refused after redirect chains of 6 hops each are 26%
    of the requests the spider asked for, not 12 of the 106 requests sent (11%)."""
    stats = HEALTHY | {
        "newscrawl/requests/kind/article": 100,  # 34 fetched once, 12 chains of 5 hops + 1
        "newscrawl/requests/asked": 46,
        "newscrawl/requests/refused": 12,
    }
    verdict = assess(stats, Thresholds())
    assert verdict.exit_status == 1
    assert verdict.reason.startswith("12 of 46 requests were refused for safety")


def test_a_bot_wall_on_every_page_is_named_as_such():
    """Issue 13, item 4: not 'none of the 50 article pages held an article'."""
    stats = HEALTHY | {
        "item_scraped_count": 0,
        LINES: 0,
        "newscrawl/articles/fetched": 50,
        "newscrawl/articles/not_article": 50,
        "newscrawl/articles/not_article/interstitial": 50,
    }
    verdict = assess(stats, Thresholds())
    assert verdict.exit_status == 1
    assert verdict.reason.startswith("50 of 50 article pages were not articles (interstitial: 50")


@pytest.mark.parametrize(("count", "status"), [(2, 0), (3, 1)])
def test_a_few_pages_that_are_no_article_do_not_fail_a_small_run(count, status):
    """One walled article of the few an hourly run fetches must not fail every run."""
    stats = HEALTHY | {
        "newscrawl/articles/fetched": 6,
        "item_scraped_count": 6 - count,
        LINES: 2 * (6 - count),
        "newscrawl/articles/not_article": count,
        "newscrawl/articles/not_article/login_wall": count,
    }
    assert assess(stats, Thresholds()).exit_status == status
