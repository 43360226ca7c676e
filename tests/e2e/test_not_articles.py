"""Issue 13, item 4: a page that is not an article is never exported as one, never marked done.

Real `scrapy crawl` subprocesses against the replica whose article URLs answer 200 with a
bot-check interstitial, a login wall (with and without the article's meta), an error page or
the section's listing (`--faults interstitial,wall,soft404,sectionpage`): nothing of them is
exported, each is counted under its reason and listed in the run summary, the run is healthy
under NEWSCRAWL_MAX_NOT_ARTICLE_SHARE and unhealthy past it; the next run against the repaired
site fetches exactly those articles; the generic path (`news`) refuses them too.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawl.replica.faults import Wall
from newscrawl.replica.verify import verify
from newscrawl.state.sqlite import SqliteCrawlState
from tests.e2e.conftest import Crawl, crawl, replica, stat

FAULTS = "interstitial,wall,soft404,sectionpage"
WHY = {
    "interstitial": "interstitial",
    "wall": "login_wall",
    "soft404": "error_page",
    "sectionpage": "listing",
}
# 140 articles: the walked sections hold every kind, walls with and without the article's meta.
ARTICLES = "140"
SECTIONS = ("politics", "society", "world")
WALK = ("section=" + ",".join(SECTIONS),)
SHARE = "NEWSCRAWL_MAX_NOT_ARTICLE_SHARE"
# Every article is exported once at most: the second run fetches what the first did not export.
ONCE = ("NEWSCRAWL_REVISIT_HOURS=0",)


@dataclass
class Run:
    result: Crawl
    summary: dict  # the run's line in runs.jsonl

    def stat(self, key: str) -> int:
        return stat(self.result.log, key) or 0


@dataclass
class Rerun:
    manifest: list[dict]  # of the walled site
    walled: Run  # --faults wall ...
    repaired: Run  # ... then the same site without the fault, same state
    known_after_walled: set[str]  # ids the state knew after the walled run

    def walls(self) -> list[dict]:
        return [r for r in self.manifest if r["section"] in SECTIONS and "wall" in r["faults"]]


@dataclass
class Runs:
    manifest: list[dict]
    healthy: Run  # the four faults, under a share above theirs
    unhealthy: Run  # the same, past a share of 1%
    news: Run  # the generic path, `news -a url=<replica>/politics/`
    rerun: Rerun

    def affected(self, fault: str) -> list[dict]:
        return [r for r in self.manifest if r["section"] in SECTIONS and fault in r["faults"]]


def _run(tmp: Path, *args: str, settings: tuple[str, ...] = (), spider: str = "japannews") -> Run:
    result = crawl(tmp, *args, settings=settings, spider=spider)
    lines = (tmp / "state" / "runs.jsonl").read_text("utf-8").splitlines()
    return Run(result, json.loads(lines[-1]))


def _walled_then_repaired(tmp: Path) -> Rerun:
    """A crawl of a site whose walled articles answer a login wall, then one of the same site
    (same articles, same seed, same state file) without the wall."""
    with replica("--articles", ARTICLES, "--faults", "wall") as server:
        manifest = server.manifest()
        walled = _run(tmp, f"base_url={server.url}", *WALK, settings=ONCE)
    state = SqliteCrawlState(tmp / "state" / "state.sqlite")
    try:
        known = {r["id"] for r in manifest if state.known(r["id"]) is not None}
    finally:
        state.close()
    with replica("--articles", ARTICLES) as server:
        repaired = _run(tmp, f"base_url={server.url}", *WALK, settings=ONCE)
    return Rerun(manifest, walled, repaired, known)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    base = tmp_path_factory.mktemp("not-articles")
    with replica("--articles", ARTICLES, "--faults", FAULTS) as server:
        manifest = server.manifest()
        site = f"base_url={server.url}"
        section_page = (f"url={server.url}/politics/", "tz=Asia/Tokyo")
        with ThreadPoolExecutor(max_workers=4) as pool:
            rerun = pool.submit(_walled_then_repaired, base / "rerun")
            healthy = pool.submit(_run, base / "ok", site, *WALK, settings=(f"{SHARE}=0.25",))
            unhealthy = pool.submit(_run, base / "bad", site, *WALK, settings=(f"{SHARE}=0.01",))
            news = pool.submit(
                _run, base / "news", *section_page, settings=(f"{SHARE}=0.25",), spider="news"
            )
            return Runs(
                manifest, healthy.result(), unhealthy.result(), news.result(), rerun.result()
            )


def _paths(entries: list[str]) -> dict[str, str]:
    """ "URL (why)" entries of the run summary: path -> why."""
    found = {}
    for entry in entries:
        url, _, why = entry.partition(" (")
        found[urlsplit(url).path] = why.removesuffix(")")
    return found


def test_no_page_that_is_not_the_article_is_exported(runs):
    result = runs.healthy.result
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    for section in SECTIONS:
        lines = [line for line in result.lines if json.loads(line)["section"] == section]
        check = verify("\n".join(lines), runs.manifest, section)
        assert check.exact, (section, check.lost[:3], check.unexpected[:3], check.mismatched[:3])
    # every kind was there, walls with and without the article's meta
    assert all(runs.affected(fault) for fault in WHY)
    walls = [int(r["id"].split(":")[1]) for r in runs.affected("wall")]
    assert {Wall.keeps_meta(1, post_id) for post_id in walls} == {True, False}


def test_each_is_counted_under_its_reason_and_listed_in_the_summary(runs):
    run = runs.healthy
    listed = _paths(run.summary["errors"]["not_article_urls"])
    total = 0
    for fault, why in WHY.items():
        affected = runs.affected(fault)
        assert run.stat(f"newscrawl/articles/not_article/{why}") == len(affected), fault
        for record in affected:
            assert listed[urlsplit(record["url"]).path] == why
        total += len(affected)
    assert run.stat("newscrawl/articles/not_article") == total == len(listed)
    assert run.summary["errors"]["not_article_pages"] == total
    assert run.summary["exit_status"] == 0


def test_past_the_share_the_run_is_unhealthy(runs):
    result = runs.unhealthy.result
    assert result.returncode == 1
    last = result.log.splitlines()[-1]
    assert "article pages were not articles" in last and "limit 1%" in last, last
    assert runs.unhealthy.summary["status"] == "unhealthy"


def test_the_next_run_fetches_them_again(runs):
    rerun = runs.rerun
    walls = {r["id"] for r in rerun.walls()}
    assert walls
    assert rerun.walled.result.returncode == 0, rerun.walled.result.log[-3000:]
    exported = {item["id"] for item in rerun.walled.result.items}
    assert exported and not exported & walls
    # the state records what was exported, and none of the walled articles
    assert rerun.known_after_walled == exported
    # the site without the wall: the next run exports exactly the articles it missed
    again = rerun.repaired.result
    assert again.returncode == 0, again.log[-3000:]
    assert {item["id"] for item in again.items} == walls
    for item in again.items:
        record = next(r for r in rerun.manifest if r["id"] == item["id"])
        assert item["title"] == record["title"] and item["body"] == record["body"]


def test_the_generic_path_refuses_them_too(runs):
    run = runs.news
    assert run.result.returncode == 0, run.result.log[-3000:]
    faults = {urlsplit(r["url"]).path: r["faults"] for r in runs.manifest}
    listed = _paths(run.summary["errors"]["not_article_urls"])
    assert listed  # the section page led to some of them
    for path, why in listed.items():
        assert [WHY[f] for f in faults[path] if f in WHY] == [why], path
    for item in run.result.items:
        assert not set(faults[urlsplit(item["url"]).path]) & set(WHY), item["url"]
    assert run.stat("newscrawl/articles/not_article") == len(listed)
