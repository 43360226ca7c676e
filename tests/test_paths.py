from __future__ import annotations

import os
import subprocess
import sys

from scrapy.settings import Settings

from newscrawl.extract import project_settings
from newscrawl.paths import data_dir, state_path, summary_path
from newscrawl.spiders.japannews import JapanNewsSpider
from tests.e2e.conftest import ROOT, replica


def test_real_site_uses_the_defaults():
    settings = project_settings()
    spider = JapanNewsSpider()
    assert state_path(settings, spider) == ".newscrawl/state.sqlite"
    assert data_dir(settings, spider) == "data"


def test_other_hosts_get_their_own_folders():
    settings = project_settings()
    spider = JapanNewsSpider(base_url="http://127.0.0.1:8765")
    assert state_path(settings, spider) == ".newscrawl/hosts/127.0.0.1_8765/state.sqlite"
    assert data_dir(settings, spider) == "data/hosts/127.0.0.1_8765"


def test_run_history_of_another_host_never_reaches_the_real_sites():
    """Issue 13, item 10: with incremental mode off (`-s NEWSCRAWL_STATE=`), a replica's run
    summary went to the real site's .newscrawl/runs.jsonl."""
    replica_spider = JapanNewsSpider(base_url="http://127.0.0.1:8765")
    for value in ("", None):
        settings = project_settings()
        if value is not None:
            settings.set("NEWSCRAWL_STATE", value, priority="cmdline")
        assert (
            summary_path(settings, replica_spider) == ".newscrawl/hosts/127.0.0.1_8765/runs.jsonl"
        )
        assert summary_path(settings, JapanNewsSpider()) == ".newscrawl/runs.jsonl"
    backfill = JapanNewsSpider(base_url="http://127.0.0.1:8765", since="2024-01-01")
    settings = project_settings()
    settings.set("NEWSCRAWL_STATE", "", priority="cmdline")
    assert summary_path(settings, backfill) == ".newscrawl/hosts/127.0.0.1_8765/backfills.jsonl"
    settings.set("NEWSCRAWL_SUMMARY", "/srv/runs.jsonl", priority="cmdline")
    assert summary_path(settings, replica_spider) == "/srv/runs.jsonl"  # as given


def test_paths_derived_from_input_stay_inside_their_folders():
    settings = project_settings()
    for base_url in (
        "http://../",
        "http://user:pw@host.example/",
        "http://[::1]:8765",
        "http://.../",
    ):
        spider = JapanNewsSpider(base_url=base_url)
        data = os.path.normpath(data_dir(settings, spider))
        state = os.path.normpath(state_path(settings, spider))
        assert data.startswith(os.path.join("data", "hosts") + os.sep), base_url
        assert state.startswith(os.path.join(".newscrawl", "hosts") + os.sep), base_url
        assert os.path.dirname(data) == os.path.join("data", "hosts"), base_url


def test_command_line_values_are_used_as_given():
    settings: Settings = project_settings()
    settings.set("NEWSCRAWL_STATE", "/srv/state.sqlite", priority="cmdline")
    settings.set("NEWSCRAWL_DATA_DIR", "/srv/data", priority="cmdline")
    spider = JapanNewsSpider(base_url="http://127.0.0.1:8765")
    assert state_path(settings, spider) == "/srv/state.sqlite"
    assert data_dir(settings, spider) == "/srv/data"


def test_a_replica_crawl_leaves_the_real_sites_state_alone(tmp_path):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    with replica("--articles", "100") as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "japannews",
                "-a",
                f"base_url={server.url}",
                "-a",
                "section=politics/g7-summit",
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    host = server.url.split("//")[1].replace(":", "_")
    assert (tmp_path / ".newscrawl/hosts" / host / "state.sqlite").exists()
    assert (tmp_path / ".newscrawl/hosts" / host / "runs.jsonl").exists()
    assert not (tmp_path / ".newscrawl/state.sqlite").exists()
    assert list((tmp_path / "data/hosts" / host / "japannews").glob("*/*.jsonl"))
