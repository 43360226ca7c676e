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

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy.settings import BaseSettings

from newscrawl.paths import data_dir, state_path, summary_path


class OutputUnwritable(RuntimeError):
    """A local output of the run cannot be written (exit status 2)."""


def check_outputs(settings: BaseSettings, spider: Any) -> None:
    """Raise OutputUnwritable for the first local output of the run that cannot be written:
    a feed of FEEDS, the run summary, the folder of the crawl state (the state file itself is
    checked as it is opened: newscrawl.state)."""
    for uri in settings.getdict("FEEDS"):
        path = local_feed_path(str(uri), data_dir(settings, spider))
        if path is not None:
            _check_file(path)
    summary = summary_path(settings, spider)
    if summary:
        _check_file((Path(summary), False))
    state = state_path(settings, spider)
    if state:
        _check_folder(Path(state).parent)


def local_feed_path(uri: str, data: str) -> tuple[Path, bool] | None:
    """The path of a local feed, and whether it is the folder of a templated file name
    (`%(name)s-%(run_time)s.jsonl`: the file itself is named at open time); None for others."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        uri = unquote(parts.path)
    elif len(parts.scheme) > 1:  # s3:, ftp:, stdout:, gs: ... (one letter: a Windows drive)
        return None
    uri = uri.replace("%(data_dir)s", data)
    if "%(" not in uri:
        return Path(uri), False
    head = uri.split("%(", 1)[0]  # "data/hosts/x/" of "data/hosts/x/%(name)s/..."
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
