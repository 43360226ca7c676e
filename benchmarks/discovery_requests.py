"""Requests a backfill needs, per discovery method, for a few date windows of the replica.

    python benchmarks/discovery_requests.py [--articles 1500] [--section politics]

For each window (the newest two weeks, a middle month, the oldest month of the corpus) and each
of `-a discover=listings|sitemaps|feeds`, runs a real crawl and prints one JSON line: requests by
kind, articles exported, whether they equal the manifest's articles of the window, and the
minimum possible (the window's articles plus robots.txt). Run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.conftest import crawl, replica, stat

METHODS = ("listings", "sitemaps", "feeds")


def windows(days: list[str]) -> dict[str, tuple[str, str]]:
    newest = date.fromisoformat(days[-1])
    oldest = date.fromisoformat(days[0])
    middle = date.fromisoformat(days[len(days) // 2]).replace(day=1)
    next_month = (middle + timedelta(days=32)).replace(day=1)
    return {
        "newest two weeks": ((newest - timedelta(days=13)).isoformat(), newest.isoformat()),
        "a middle month": (middle.isoformat(), (next_month - timedelta(days=1)).isoformat()),
        "the oldest month": (oldest.isoformat(), (oldest + timedelta(days=30)).isoformat()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--section", default="politics")
    args = parser.parse_args()
    with replica("--articles", str(args.articles)) as server:
        manifest = server.manifest()
        days = sorted({r["published"][:10] for r in manifest})
        for name, (since, until) in windows(days).items():
            want = {
                r["id"]
                for r in manifest
                if r["section"] == args.section and since <= r["published"][:10] <= until
            }
            for method in METHODS:
                with tempfile.TemporaryDirectory() as tmp:
                    result = crawl(
                        Path(tmp),
                        f"base_url={server.url}",
                        f"section={args.section}",
                        f"since={since}",
                        f"until={until}",
                        f"discover={method}",
                    )
                got = {item["id"] for item in result.items}

                def count(kind: str, log: str = result.log) -> int:
                    return stat(log, f"newscrawl/requests/kind/{kind}") or 0

                print(
                    json.dumps(
                        {
                            "window": f"{name} ({since}..{until})",
                            "discover": method,
                            "listing_requests": count("listing"),
                            "article_requests": count("article"),
                            "other_requests": count("other"),
                            "minimum": len(want) + 1,
                            "exported": len(got),
                            "complete": got == want,
                            "exit_status": result.returncode,
                        }
                    ),
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
