"""Time a politics crawl of the offline replica and check it against the manifest.

    python benchmarks/crawl_replica.py [--articles N] [--section politics]

Prints one JSON object: articles exported and expected, requests, wall and CPU seconds of the
`scrapy crawl` subprocess. Run from the repository root after `pip install -e .`.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.conftest import crawl, replica, stat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--section", default="politics")
    args = parser.parse_args()
    with replica("--articles", str(args.articles)) as server, tempfile.TemporaryDirectory() as tmp:
        expected = {r["url"] for r in server.manifest() if r["section"] in args.section.split(",")}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = crawl(Path(tmp), f"base_url={server.url}", f"section={args.section}")
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    exported = [item["url"] for item in result.items]
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()} {platform.python_version()}",
                "corpus_articles": args.articles,
                "section": args.section,
                "expected": len(expected),
                "exported": len(exported),
                "exported_equals_manifest": set(exported) == expected
                and len(exported) == len(expected),
                "requests": stat(result.log, "downloader/request_count"),
                "listing_pages": stat(result.log, "newscrawl/listing/pages"),
                "exit_status": result.returncode,
                "wall_seconds": round(wall, 2),
                "crawler_cpu_seconds": round(
                    (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2
                ),
            }
        )
    )
    return 0 if result.returncode == 0 and set(exported) == expected else 1


if __name__ == "__main__":
    sys.exit(main())
