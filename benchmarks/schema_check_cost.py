"""Per-item cost of the schema check: the validation pipeline, fastjsonschema, jsonschema.

    python benchmarks/schema_check_cost.py [--items 2000] [--repeat 5]

The items are the replica's ground truth (newscrawl.replica: no server, no network) as a correct
crawl exports them: every field of the article schema, all valid, as most crawled items are.
Per item, the process CPU time (time.process_time; the best of --repeat passes, after a warm-up
pass) of:

- pipeline: `ValidationPipeline.process_item` on the ArticleItem, whatever check it uses;
- fastjsonschema: the pipeline's fast check (`validation.compile_fast_check`: the article schema
  compiled by fastjsonschema as draft-07), on a plain dict;
- jsonschema: `Draft202012Validator.is_valid` on the same dict (the reference validator).

Prints a table (µs per item) and one JSON line. Run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jsonschema import Draft202012Validator
from scrapy.utils.test import get_crawler

from newscrawl.items import ARTICLE_FIELDS, ArticleItem, article_schema
from newscrawl.pipelines.validation import ValidationPipeline, compile_fast_check
from newscrawl.replica.corpus import Corpus


def make_records(count: int, seed: int) -> list[dict[str, Any]]:
    """COUNT exported records made from the replica's manifest."""
    records = []
    for truth in Corpus(articles=count, seed=seed).manifest_records():
        record = {name: truth.get(name) for name in ARTICLE_FIELDS}
        record.update(
            site="japannews",
            published_date=truth["published"][:10],
            published_raw=truth["published"],
            listing_url=truth["url"].rsplit("/", 2)[0] + "/",
            crawled_at="2024-10-14T00:00:00Z",
            revision=1,
            flags=[],
        )
        records.append(record)
        if len(records) == count:
            break
    return records


def best_us_per_item(check: Callable[[Any], Any], items: Sequence[Any], repeat: int) -> float:
    """The best of REPEAT passes of CHECK over ITEMS (after one warm-up pass), in CPU µs/item."""
    best = float("inf")
    for attempt in range(repeat + 1):
        started = time.process_time()
        for item in items:
            check(item)
        if attempt:
            best = min(best, time.process_time() - started)
    return 1e6 * best / max(1, len(items))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes; the best counts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    records = make_records(args.items, args.seed)
    items = [ArticleItem(**record) for record in records]
    schema = article_schema()
    pipeline = ValidationPipeline.from_crawler(get_crawler())
    fast_check = compile_fast_check(schema)
    validator = Draft202012Validator(schema)
    if not all(validator.is_valid(record) for record in records):
        raise SystemExit("a replica record is not valid: the figures would not be comparable")
    results = {
        "pipeline": best_us_per_item(pipeline.process_item, items, args.repeat),
        "fastjsonschema": best_us_per_item(fast_check, records, args.repeat),
        "jsonschema": best_us_per_item(validator.is_valid, records, args.repeat),
    }
    print(f"{'check':<15} {'µs/item':>8}")
    for name, us in results.items():
        print(f"{name:<15} {us:>8.1f}")
    summary = {
        "benchmark": "schema_check_cost",
        "items": len(records),
        "us_per_item": {name: round(us, 1) for name, us in results.items()},
        "fastjsonschema": version("fastjsonschema"),
        "repeat": args.repeat,
        "python": platform.python_version(),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
