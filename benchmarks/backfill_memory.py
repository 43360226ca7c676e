"""Peak memory of a whole-archive backfill of the replica: 1,000 articles against 100,000.

    python benchmarks/backfill_memory.py [--sizes 1000 100000]

Each size: a replica of that many articles, then `scrapy crawl japannews` of all its sections
with an open-ended window and a job (state, journal and one output file, as a real backfill).
Prints one JSON line per size (articles exported, wall seconds, peak RSS of the crawl process)
and the ratio of the peak RSS of the largest to the smallest. Run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.conftest import ROOT, replica, wait_measured

SECTIONS = "politics,business,society,world"


def backfill(articles: int) -> dict:
    with replica("--articles", str(articles)) as server, tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "scrapy", "crawl", "japannews", "-s", "LOG_LEVEL=WARNING"]
        command += ["-a", f"base_url={server.url}", "-a", f"section={SECTIONS}"]
        command += ["-a", "since=2000-01-01", "-a", "job=memory"]
        command += ["-s", f"NEWSCRAWL_STATE={tmp}/state.sqlite", "-s", f"NEWSCRAWL_DATA_DIR={tmp}"]
        started = time.perf_counter()
        # The log goes to a file: a pipe nobody reads would fill up and block the crawl.
        with open(Path(tmp) / "crawl.log", "w+") as log_file:
            process = subprocess.Popen(command, cwd=ROOT, stderr=log_file)
            status, peak_kb, _ = wait_measured(process, timeout=24 * 3600)
            wall = time.perf_counter() - started
            log_file.seek(0)
            log = log_file.read()
        output = Path(tmp) / "jobs" / "memory.jsonl"
        exported = output.read_bytes().count(b"\n") if output.exists() else 0
    return {
        "corpus_articles": articles,
        "exported": exported,
        "exit_status": status,
        "wall_seconds": round(wall, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),  # the crawl's own VmHWM, see wait_measured
        "log_tail": log.strip().splitlines()[-1:] if log.strip() else [],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        result = backfill(size)
        results.append(result)
        print(json.dumps(result), flush=True)
    smallest, largest = results[0], results[-1]
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()} {os.cpu_count()} cores, Python "
                f"{platform.python_version()}",
                "peak_rss_ratio": round(largest["peak_rss_mb"] / smallest["peak_rss_mb"], 2),
                "sizes": [r["corpus_articles"] for r in results],
            }
        )
    )
    return 0 if all(r["exported"] == r["corpus_articles"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
