"""Issue 13, items 2, 6 and 7: no request vanishes, an incomplete walk is not healthy, and an
unreachable host is said to be one. Real `scrapy crawl` subprocesses against the replica.

- `offsite`, `scheme`, `chain`: articles redirecting to another host, to a file: URL, through
  more hops than REDIRECT_MAX_TIMES. Each is refused, counted and listed once by its article URL
  (not a hop's), within NEWSCRAWL_MAX_REFUSED_SHARE (and beyond a share of 1%, unhealthy).
- With Scrapy's own OffsiteMiddleware back (it drops such redirects with no errback, as before
  this change) the request ledger still catches the article: vanished, listed, unhealthy.
- `biglisting`: page 2 of one listing is too large to read: exit 1, the listing named, its walk
  not recorded complete.
- A closed port: a failure of the host ("connection refused"), not robots.txt.
"""

from __future__ import annotations

import json
import socket
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import Crawl, crawl, replica

ARTICLES = "150"
REDIRECTS = ("offsite", "scheme", "chain")
REASONS = {"offsite": "offsite", "scheme": "scheme", "chain": "redirects"}  # as listed
FAST_RETRIES = ("NEWSCRAWL_RETRY_BACKOFF=0.05",)  # the unreachable host: retried, quickly
# Scrapy's OffsiteMiddleware restored (and the project's middlewares with it: a -s dict replaces
# the project's dict), as the downloader stood before issue 13.
SCRAPY_OFFSITE = (
    'DOWNLOADER_MIDDLEWARES={"scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": 50}'
)


@dataclass
class Run:
    result: Crawl
    summary: dict
    tmp: Path

    @property
    def errors(self) -> dict:
        return self.summary["errors"]


@dataclass
class Runs:
    redirects: Run
    strict: Run  # the same site, NEWSCRAWL_MAX_REFUSED_SHARE=0.01
    scrapy_offsite: Run
    biglisting: Run
    unreachable: Run
    manifest: list[dict]
    origin: str  # the redirect replica's http://127.0.0.1:PORT
    big_origin: str

    def affected(self, fault: str) -> list[str]:
        """The URLs (on the replica) of the politics articles FAULT hit."""
        return [
            self.origin + r["url"].split(".co.jp", 1)[1]
            for r in self.manifest
            if r["section"] == "politics" and fault in r["faults"]
        ]


def _run(tmp: Path, *args: str, settings: tuple[str, ...] = ()) -> Run:
    result = crawl(tmp, *args, settings=settings)
    lines = (tmp / "state" / "runs.jsonl").read_text("utf-8").splitlines()
    return Run(result, json.loads(lines[-1]), tmp)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once it is closed


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    def tmp(name: str) -> Path:
        return tmp_path_factory.mktemp(name)

    redirects = ("--articles", ARTICLES, "--faults", ",".join(REDIRECTS))
    with (
        replica(*redirects) as site,
        replica("--articles", ARTICLES, "--faults", "biglisting") as big,
        ThreadPoolExecutor(max_workers=5) as pool,
    ):
        paths = [tmp(n) for n in ("redirects", "strict", "scrapy-offsite", "big", "unreachable")]
        base, dead = f"base_url={site.url}", f"base_url=http://127.0.0.1:{_closed_port()}"
        jobs = [
            pool.submit(_run, paths[0], base),
            pool.submit(_run, paths[1], base, settings=("NEWSCRAWL_MAX_REFUSED_SHARE=0.01",)),
            pool.submit(_run, paths[2], base, settings=(SCRAPY_OFFSITE,)),
            pool.submit(_run, paths[3], f"base_url={big.url}"),
            pool.submit(_run, paths[4], dead, settings=FAST_RETRIES),
        ]
        done = [job.result() for job in jobs]
        manifest = site.manifest()
    return Runs(*done, manifest=manifest, origin=site.url, big_origin=big.url)


def test_redirects_that_end_without_a_page_are_refused_and_listed_by_article(runs):
    r = runs.redirects
    assert r.result.returncode == 0, r.result.log[-2000:]  # within the refused share
    listed = r.errors["refused_urls"]
    affected = [(url, fault) for fault in REDIRECTS for url in runs.affected(fault)]
    assert all(runs.affected(fault) for fault in REDIRECTS), "a fault hit no politics article"
    assert r.errors["refused_requests"] == len(affected) == len(listed)
    for url, fault in affected:
        mine = [entry for entry in listed if entry.startswith(f"{url} (")]
        assert len(mine) == 1 and f"({REASONS[fault]}" in mine[0], (url, listed)
    exported = {item["url"] for item in r.result.items}
    assert not exported & {url for url, _ in affected}
    assert r.errors["vanished_requests"] == 0 and r.errors["failed_requests"] == 0


def test_refusals_count_toward_the_refused_share(runs):
    r = runs.strict
    assert r.result.returncode == 1
    assert "were refused for safety" in r.summary["reason"] and "limit 1%" in r.summary["reason"]


def test_a_request_a_middleware_drops_silently_is_caught_as_vanished(runs):
    r = runs.scrapy_offsite
    offsite = runs.affected("offsite")
    assert r.result.returncode == 1
    assert r.errors["vanished_requests"] == len(offsite)
    assert r.errors["vanished_urls"] == [f"{url} (article)" for url in offsite]
    assert "requests vanished without a response or an error" in r.summary["reason"]


def test_a_listing_page_that_cannot_be_read_makes_the_walk_incomplete(runs):
    r = runs.biglisting
    listing = f"{runs.big_origin}/politics/politics-government/page/2/"
    assert r.result.returncode == 1, r.result.log[-2000:]
    assert r.summary["reason"] == (
        f"the listing {listing} could not be read (too_large): its walk is incomplete"
    )
    assert r.errors["unread_listings"] == [f"{listing} (too_large)"]
    with sqlite3.connect(r.tmp / "state" / "state.sqlite") as db:
        complete = dict(db.execute("SELECT listing, complete FROM listings"))
    assert complete["politics/politics-government"] == 0
    assert complete["politics/election"] == 1  # the other walks are complete


def test_an_unreachable_host_is_a_failure_of_the_host_not_robots_txt(runs):
    r = runs.unreachable
    assert r.result.returncode == 1
    assert r.errors["forbidden_by_robots"] == 0
    assert r.errors["failed_requests"] >= 1
    assert all("host unreachable: connection refused" in e for e in r.errors["failed_urls"])
    assert "was unreachable (connection refused)" in r.summary["reason"]
    assert "robots.txt" not in r.summary["reason"]
