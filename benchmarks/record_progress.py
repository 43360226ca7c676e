"""Record what the progress estimator sees during a real backfill of the replica, for tests.

    python benchmarks/record_progress.py [--articles 2000] [--since 2026-07-15]
        [--until 2026-10-15] [--interval 0.25] [--delay 0.01] [--discover listings]
        [--out tests/fixtures/progress/backfill-DISCOVER-ARTICLES.json]

Starts `newscrawl replica --articles N`, then runs `scrapy crawl japannews` in this process (the
project's own `crawl` command, all four sections, the window given, incremental mode off) with
the progress extension's ticks recorded: every NEWSCRAWL_PROGRESS_INTERVAL seconds the inputs of
the estimator (newscrawl.extensions.progress.Snapshot), and once more when the spider closes,
with its finish reason. The replica's slot gets 2 requests at a time, DELAY seconds apart: the
real site's shape (2 at a time, 0.5 s apart), faster. Writes one compact JSON file that
tests/extensions/test_progress.py replays through the estimator. Run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scrapy.cmdline import execute

from newscrawl.extensions.progress import BackfillProgress, Snapshot
from tests.e2e.conftest import ROOT, replica

SECTIONS = "politics,business,society,world"
FIELDS = (
    "elapsed",
    "pages",
    "pages_pending",
    "requested",
    "settled",
    "exported",
    "entries",
    "parsed",
    "walks",
    "oldest",
)


def row(snapshot: Snapshot) -> list[Any]:
    """A snapshot as a short JSON list, in FIELDS order (the window is the file's, once)."""
    values = {name: getattr(snapshot, name) for name in FIELDS}
    values["elapsed"] = round(snapshot.elapsed, 3)
    values["walks"] = [[round(walk.covered, 4), *walk[1:]] for walk in snapshot.walks]
    values["oldest"] = snapshot.oldest and snapshot.oldest.isoformat()
    return [values[name] for name in FIELDS]


def record(command: list[str]) -> tuple[list[list[Any]], dict[str, Any]]:
    """Run `scrapy COMMAND` here; the snapshots of every tick, and the last one with the
    finish reason."""
    ticks: list[list[Any]] = []
    end: dict[str, Any] = {}
    tick, closed = BackfillProgress.tick, BackfillProgress.spider_closed

    def recorded_tick(self: BackfillProgress) -> None:
        ticks.append(row(self.snapshot()))
        tick(self)

    def recorded_close(self: BackfillProgress, spider: Any, reason: str) -> None:
        end.update(reason=reason, snapshot=row(self.snapshot()))
        closed(self, spider, reason)

    BackfillProgress.tick = recorded_tick  # type: ignore[method-assign]
    BackfillProgress.spider_closed = recorded_close  # type: ignore[method-assign]
    try:
        execute(["scrapy", *command])
    except SystemExit as exit_status:
        end["exit_status"] = exit_status.code
    finally:
        BackfillProgress.tick, BackfillProgress.spider_closed = tick, closed
    return ticks, end


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--since", default="2026-07-15")
    parser.add_argument("--until", default="2026-10-15")
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--delay", type=float, default=0.01)
    parser.add_argument("--discover", default="listings")
    parser.add_argument("--sections", default=SECTIONS)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    name = f"backfill-{args.discover}-{args.articles}.json"
    out = args.out or ROOT / "tests" / "fixtures" / "progress" / name
    with replica("--articles", str(args.articles)) as server, TemporaryDirectory() as tmp:
        spider_args = [f"base_url={server.url}", f"section={args.sections}", f"since={args.since}"]
        spider_args += [f"until={args.until}", f"discover={args.discover}"]
        slots = {"127.0.0.1": {"concurrency": 2, "delay": args.delay}}
        settings = ["NEWSCRAWL_STATE=", f"NEWSCRAWL_DATA_DIR={tmp}", "LOG_LEVEL=WARNING"]
        settings += [f"NEWSCRAWL_SUMMARY={tmp}/runs.jsonl", f"DOWNLOAD_SLOTS={json.dumps(slots)}"]
        settings += [f"NEWSCRAWL_PROGRESS_INTERVAL={args.interval}"]
        command = ["crawl", "japannews", *(f"-a{a}" for a in spider_args)]
        command += [f"-s{s}" for s in settings]
        ticks, end = record(command)
    given = " ".join(a for a in sys.argv[1:] if a != "--out" and a != str(args.out))
    fixture = {
        "about": f"python benchmarks/record_progress.py {given}".strip(),
        "corpus_articles": args.articles,
        "since": args.since,
        "until": args.until,
        "fields": FIELDS,
        "ticks": ticks,
        "end": end,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixture, separators=(",", ":")) + "\n", encoding="utf-8")
    size = out.stat().st_size
    print(f"{out}: {len(ticks)} ticks, {size / 1024:.0f} KiB, end {end}", file=sys.stderr)
    return 0 if end.get("reason") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
