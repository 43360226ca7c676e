"""Both crawl states keep the promise of newscrawl.state.CrawlState, method by method, and the
single-machine path loads nothing of Redis."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.state import CrawlState, OpenState, of_crawler, register
from newscrawl.state.redis import Keys, RedisCrawlState
from newscrawl.state.sqlite import SqliteCrawlState

BACKENDS = [SqliteCrawlState, RedisCrawlState]
METHODS = sorted(
    name for name, value in vars(CrawlState).items() if callable(value) and not name.startswith("_")
)


def test_the_protocol_names_what_the_components_call() -> None:
    assert {"known", "begin_export", "claim", "repair", "close", "touch"} <= set(METHODS)
    assert set(CrawlState.__annotations__) == {"path", "repaired"}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", METHODS)
def test_each_backend_takes_the_protocols_arguments(backend: type, name: str) -> None:
    """Same parameters, in the same order, of the same kinds and types, and the same return
    type; a backend may only add parameters that have a default."""
    promised = inspect.signature(getattr(CrawlState, name))
    given = inspect.signature(getattr(backend, name))
    assert given.return_annotation == promised.return_annotation, name
    wanted = list(promised.parameters.values())
    have = list(given.parameters.values())
    assert [(p.name, p.kind, p.annotation) for p in have[: len(wanted)]] == [
        (p.name, p.kind, p.annotation) for p in wanted
    ], f"{backend.__name__}.{name}{given} against {promised}"
    extra = have[len(wanted) :]
    assert all(p.default is not inspect.Parameter.empty for p in extra), (
        f"{backend.__name__}.{name}: {extra} without defaults"
    )


def test_an_open_sqlite_state_is_a_crawl_state(tmp_path: Path) -> None:
    state = SqliteCrawlState(tmp_path / "state.sqlite")
    assert isinstance(state, CrawlState)
    state.close()


def test_a_redis_state_is_a_crawl_state(server) -> None:
    assert isinstance(RedisCrawlState(server, Keys("newscrawl:test:host", "default")), CrawlState)


def test_a_crawler_without_a_registered_state_has_none(tmp_path: Path) -> None:
    class Crawler:  # what a component holds: any object the state extension registered
        pass

    crawler = Crawler()
    assert of_crawler(crawler) == OpenState(None, None, None)
    state = SqliteCrawlState(tmp_path / "state.sqlite")
    register(crawler, OpenState(state))
    assert of_crawler(crawler).state is state
    assert of_crawler(Crawler()).state is None
    state.close()


def test_the_single_machine_path_never_imports_redis(tmp_path: Path) -> None:
    """The state package, both backends' modules and every component that reads the state load
    without redis or scrapy-redis, and a SQLite state opens and works."""
    code = (
        "import sys\n"
        "import newscrawl.state, newscrawl.state.sqlite, newscrawl.state.redis\n"
        "import newscrawl.extensions.state_keeper, newscrawl.exporters\n"
        "import newscrawl.pipelines.revisions, newscrawl.spiders.base, newscrawl.commands.crawl\n"
        "from newscrawl.state.sqlite import open_state\n"
        f"state = open_state({str(tmp_path / 'state.sqlite')!r})\n"
        "assert state.known('x') is None and state.count() == 0\n"
        "state.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'redis', 'scrapy_redis'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
