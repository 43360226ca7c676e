"""Before the first request: every local output of the run can be written (feeds, the run
summary, the crawl state's folder).

A feed Scrapy cannot open (a read-only folder, a path through a file) is only an error in the
log, once per item, while the crawl goes on and the other feeds are starved of nothing but the
state's trust. So the `crawl` command checks each local feed first (`-o`/`-O` files and the
project's dated or job feed) and stops with one line (exit status 2) when one cannot be written.
A folder of a feed is checked by creating (and removing) a temporary file in its nearest
existing folder: the only test that answers for read-only mounts, permissions, ACLs and root
alike. Remote feeds (s3:, ftp:, stdout:) are left to Scrapy.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from newscrawl.json_feeds import local_path
from newscrawl.paths import data_dir, state_path, summary_path

_PARAM = re.compile(r"%\((\w+)\)[sd]")


class OutputUnwritable(RuntimeError):
    """A local output of the run cannot be written (exit status 2)."""


def check_outputs(settings: BaseSettings, spider: Any) -> None:
    """Raise OutputUnwritable for the first local output of the run that cannot be written:
    a feed the run writes (FEEDS as the spider amends it: a job's file replaces the dated one),
    the run summary, the folder of the crawl state (the state file itself is checked as it is
    opened: newscrawl.state.sqlite)."""
    feeds = settings.getdict("FEEDS")
    run_feeds = getattr(spider, "run_feeds", None)
    params = _uri_params(settings, spider)
    for uri in run_feeds(feeds) if run_feeds else feeds:
        path = feed_path(str(uri), params)
        if path is not None:
            _check_file(path)
    summary = summary_path(settings, spider)
    if summary:
        _check_file((Path(summary), False))
    state = state_path(settings, spider)
    if state:
        _check_folder(Path(state).parent)


def _uri_params(settings: BaseSettings, spider: Any) -> dict[str, str]:
    """The feed URI parameters as the run will fill them in (newscrawl.feed_files.uri_params, and
    Scrapy's %(name)s and %(time)s), with this moment for the start of the run."""
    now = datetime.now(UTC)
    return {
        "name": getattr(spider, "name", "") or "",
        "time": now.strftime("%Y-%m-%dT%H-%M-%S"),
        "data_dir": data_dir(settings, spider),
        "run_date": now.strftime("%Y-%m-%d"),
        "run_time": now.strftime("%Y%m%dT%H%M%SZ"),
        "job": getattr(spider, "job", None) or "",
    }


def feed_path(uri: str, params: dict[str, str]) -> tuple[Path, bool] | None:
    """The path of a local feed, and whether only its folder is known (a parameter this check
    cannot fill in, such as %(batch_id)d, names the file); None for a remote feed."""
    path = local_path(uri)
    if path is None:
        return None
    filled = _PARAM.sub(lambda m: params.get(m[1], "\0"), path)
    if "\0" not in filled:
        return Path(filled), False
    head = filled.split("\0", 1)[0]  # "data/hosts/x/" of "data/hosts/x/%(batch_id)d/..."
    return (Path(head) if head.endswith("/") else Path(head).parent), True


def _check_file(found: tuple[Path, bool]) -> None:
    path, templated = found
    if not templated:
        if path.is_dir():
            raise OutputUnwritable(f"the output {path} is a folder, not a file")
        if path.exists():
            _open_for_append(path)
            return
        path = path.parent
    _check_folder(path)


def _open_for_append(path: Path) -> None:
    try:
        with path.open("ab"):
            pass
    except OSError as error:
        raise OutputUnwritable(f"cannot write the output {path}: {error.strerror}") from None


def _check_folder(folder: Path) -> None:
    """FOLDER will be made if missing: its nearest existing ancestor must be a writable folder."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputUnwritable(f"cannot make the folder {folder}: {existing} is not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as error:
        raise OutputUnwritable(
            f"cannot write into {existing} (for {folder}): {error.strerror}"
        ) from None
