"""Score `newscrawl extract` (the generic path, pipelines included) beside trafilatura on the
real-page corpus, per source, as the corpus README says to score.

    python benchmarks/score_real_pages.py [--corpus ../shared/corpora/real-pages]

The pages are read from the corpus folder, never copied. Per source and overall, for "ours"
(`newscrawl.extract.extract_item(page, url, site_name="generic")`; a page the crawl would drop
scores as empty) and trafilatura (`bare_extraction(html, url=url, with_metadata=True)`), on the
fields each page labels:
- body F1: word 4-gram shingles (tokens \\w+), precision and recall per page, each averaged over
  the pages, F1 of the two means;
- snippets: per page, the share of `with` snippets found in the body and of `without` snippets
  absent from it (case-insensitive substrings), averaged over the pages;
- title exact: equal after collapsing whitespace and case-folding;
- published: the same instant to the second, with an offset;
- ms per page of each extractor (wall time of the call, parsing included).
Prints one table per source and a JSON line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scrapy.exceptions import DropItem  # noqa: E402

from benchmarks.score_generic import same_time, shingles, theirs  # noqa: E402
from newscrawl.extract import extract_item, pipeline_crawler  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "real-pages"
EMPTY = {"title": None, "published": None, "body": None}


def ours_factory() -> Any:
    crawler = pipeline_crawler()

    def ours(page: bytes, url: str) -> dict[str, Any]:
        try:
            item = extract_item(page, url, crawler=crawler, site_name="generic")
        except DropItem:
            return EMPTY
        return {"title": item["title"], "published": item["published"], "body": item["body"]}

    return ours


def body_pr(expected: str, got: str | None) -> tuple[float, float]:
    want, have = shingles(expected, 4), shingles(got, 4)
    common = sum((want & have).values())
    precision = common / sum(have.values()) if have else float(not want)
    recall = common / sum(want.values()) if want else 1.0
    return precision, recall


def snippets(expected: dict[str, Any], got: str | None) -> float | None:
    body = (got or "").casefold()
    checks = [s.casefold() in body for s in expected.get("with") or []]
    checks += [s.casefold() not in body for s in expected.get("without") or []]
    return sum(checks) / len(checks) if checks else None


def plain_title(title: str | None) -> str:
    return " ".join((title or "").split()).casefold()


def score_page(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if expected.get("body"):
        row["body"] = body_pr(expected["body"], got["body"])
    if (snippet := snippets(expected, got["body"])) is not None:
        row["snippets"] = snippet
    if expected.get("title"):
        row["title"] = plain_title(expected["title"]) == plain_title(got["title"])
    if expected.get("published"):
        row["published"] = same_time(expected["published"], got["published"])
    return row


def summarize(rows: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    bodies = [r["body"] for r in rows if "body" in r]
    out: dict[str, Any] = {"pages": len(rows), "ms_per_page": round(1000 * seconds / len(rows), 2)}
    if bodies:
        precision = sum(p for p, _ in bodies) / len(bodies)
        recall = sum(r for _, r in bodies) / len(bodies)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out["body_f1"] = (round(f1, 3), len(bodies))
    for key in ("snippets", "title", "published"):
        values = [r[key] for r in rows if key in r]
        if values:
            out[key] = (round(sum(values) / len(values), 3), len(values))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    index = args.corpus / "pages.jsonl"
    if not index.exists():
        print(f"score_real_pages: error: no pages.jsonl in {args.corpus}", file=sys.stderr)
        return 2
    extractors = {"ours": ours_factory(), "trafilatura": lambda page, url: theirs(page, url, "")}
    rows: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    seconds: Counter[tuple[str, str]] = Counter()
    for line in index.open(encoding="utf-8"):
        record = json.loads(line)
        page = gzip.decompress((args.corpus / record["html"]).read_bytes())
        source = record["id"].split("/", 1)[0]
        for name, extract in extractors.items():
            start = time.perf_counter()
            got = extract(page, record["url"])
            seconds[(name, source)] += time.perf_counter() - start
            rows[name][source].append(score_page(record["expected"], got))
    result: dict[str, Any] = {}
    for source in [*sorted(rows["ours"]), "all"]:
        result[source] = {}
        for name in extractors:
            every = [row for rows_of in rows[name].values() for row in rows_of]
            picked = rows[name][source] if source != "all" else every
            spent = sum(v for (n, s), v in seconds.items() if n == name and source in (s, "all"))
            result[source][name] = summarize(picked, spent)
        _print(source, result[source])
    print(json.dumps(result))
    return 0


def _print(source: str, figures: dict[str, dict[str, Any]]) -> None:
    print(f"== {source} ({figures['ours']['pages']} pages)")
    for key in ("body_f1", "snippets", "title", "published", "ms_per_page"):
        cells = [figures[name].get(key) for name in ("ours", "trafilatura")]
        if cells[0] is None and cells[1] is None:
            continue
        shown = [f"{c[0]} of {c[1]}" if isinstance(c, tuple) else str(c) for c in cells]
        print(f"  {key:<12} ours {shown[0]:>14}   trafilatura {shown[1]:>14}")
    print()


if __name__ == "__main__":
    sys.exit(main())
