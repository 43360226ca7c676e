"""Where a run keeps its state and writes its files, per crawled host.

The defaults (.newscrawl/state.sqlite, data/) belong to the real site. A crawl of another host
(`-a base_url=`, e.g. the offline replica) gets its own folder below them, so replica articles,
whose post IDs look real, never enter the real site's state or data. A value set on the command
line (`-s`) is used as given.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newscrawl.defaults import NEWSCRAWL_DATA_DIR, NEWSCRAWL_STATE

if TYPE_CHECKING:  # Scrapy is imported only where it runs: `newscrawl replica` never needs it
    from scrapy import Spider
    from scrapy.settings import BaseSettings

_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
# Where the state goes when none is set (the folder of the run history even with the state off).
DEFAULT_STATE = NEWSCRAWL_STATE
# The real site (The Japan News): its state and data need no folder of their own.
REAL_HOST = "japannews.yomiuri.co.jp"


def host_folder(spider: Spider | None) -> str | None:
    """'127.0.0.1_8765' for a crawl of another host than the real site; None for the real site."""
    base_url = getattr(spider, "base_url", None)
    host = urlsplit(base_url).netloc if base_url else ""
    if not host or host == REAL_HOST:
        return None
    # a folder name, never a path: no separators, and never "." or ".." (base_url=http://../)
    return _UNSAFE.sub("_", host).strip(".") or "_"


def state_folder(settings: BaseSettings, spider: Spider | None) -> Path:
    """The folder of this host's scheduled-run state and run history: `.newscrawl/` for the real
    site, `.newscrawl/hosts/<host>/` for any other; the folder of NEWSCRAWL_STATE when the
    user set it to a path. An empty NEWSCRAWL_STATE (incremental mode off) names no path, so
    another host's run history still stays in its own folder."""
    value = settings.get("NEWSCRAWL_STATE") or ""
    base = Path(value or DEFAULT_STATE).parent
    folder = host_folder(spider)
    if folder is not None and not (value and _set_by_user(settings, "NEWSCRAWL_STATE")):
        base = base / "hosts" / folder
    return base


def state_path(settings: BaseSettings, spider: Spider | None) -> str:
    """The crawl state of this run; '' for none. A backfill never uses the scheduled runs'
    state: a named job keeps its own in `jobs/<job>/` beside it, an unnamed one keeps none."""
    value = settings.get("NEWSCRAWL_STATE") or ""
    if not value:
        return ""
    folder = state_folder(settings, spider)
    if getattr(spider, "backfill", False):
        job = getattr(spider, "job", None)
        return str(folder / "jobs" / job / "state.sqlite") if job else ""
    return str(folder / Path(value).name)


def summary_path(settings: BaseSettings, spider: Spider | None) -> str:
    """The run history this run appends to: NEWSCRAWL_SUMMARY as given, else `runs.jsonl` beside
    the state (a backfill without a state: `backfills.jsonl` beside the scheduled runs'). Runs
    of a replica or test host never reach the real site's history (see `state_folder`)."""
    explicit = settings.get("NEWSCRAWL_SUMMARY")
    if explicit is not None:
        return explicit
    state = state_path(settings, spider)
    if state:
        return str(Path(state).with_name("runs.jsonl"))
    name = "backfills.jsonl" if getattr(spider, "backfill", False) else "runs.jsonl"
    return str(state_folder(settings, spider) / name)


def data_dir(settings: BaseSettings, spider: Spider | None) -> str:
    value = (settings.get("NEWSCRAWL_DATA_DIR") or NEWSCRAWL_DATA_DIR).rstrip("/")
    folder = host_folder(spider)
    if folder is None or _set_by_user(settings, "NEWSCRAWL_DATA_DIR"):
        return value
    return f"{value}/hosts/{folder}"


def _set_by_user(settings: BaseSettings, name: str) -> bool:
    from scrapy.settings import SETTINGS_PRIORITIES

    return (settings.getpriority(name) or 0) > SETTINGS_PRIORITIES["project"]
