"""How many real article pages the not-an-article classification refuses (false refusals).

    python benchmarks/not_article_rate.py [--corpus ../shared/corpora/real-pages] [--show N]

Runs `newscrawl.sites.pagekind.classify` over every page of the real-pages corpus (1,831 saved
article pages of real publishers; see its README: read from there, never copied into the
repository). Every page there is an article, so every refusal is a false one. Prints the count
per source and per reason, every refused page (id, reason, title, running words), the cost per
page, and one JSON line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

from newscrawl.sites import pagekind

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real-pages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", type=int, default=100, help="refused pages to list (at most)")
    args = parser.parse_args(argv)
    index = args.corpus / "pages.jsonl"
    if not index.exists():
        print(f"no corpus at {args.corpus} (give --corpus)", file=sys.stderr)
        return 2
    # split at "\n" only: a line separator inside a record is not a line end
    pages = [json.loads(line) for line in index.read_text("utf-8").split("\n") if line]
    per_source: Counter[str] = Counter()
    refused: Counter[tuple[str, str]] = Counter()
    shown: list[str] = []
    seconds = 0.0
    for page in pages:
        source = page["source"]
        per_source[source] += 1
        data = gzip.decompress((args.corpus / page["html"]).read_bytes())
        started = time.perf_counter()
        why = pagekind.classify(data)
        seconds += time.perf_counter() - started
        if why is None:
            continue
        evidence = pagekind.read(data)
        refused[(source, why)] += 1
        if len(shown) < args.show:
            shown.append(
                f"  {page['id']}: {why} (running words {evidence.running_words}, "
                f"headline links {evidence.headline_links}, meta {evidence.article_meta}) "
                f"title {evidence.title[:70]!r}"
            )
    total = sum(refused.values())
    print(f"{len(pages)} real article pages, {total} called not an article")
    for source, count in sorted(per_source.items()):
        reasons = {why: n for (src, why), n in refused.items() if src == source}
        detail = ", ".join(f"{why} {n}" for why, n in sorted(reasons.items())) or "none"
        print(f"  {source}: {sum(reasons.values())} of {count} refused ({detail})")
    if shown:
        print("refused pages:")
        print("\n".join(shown))
    per_page_ms = 1000 * seconds / max(len(pages), 1)
    print(f"cost: {per_page_ms:.2f} ms per page (parse and classify)")
    by_reason = Counter()
    for (_, why), n in refused.items():
        by_reason[why] += n
    print(
        json.dumps(
            {
                "pages": len(pages),
                "refused": total,
                "by_reason": dict(by_reason),
                "ms_per_page": round(per_page_ms, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
