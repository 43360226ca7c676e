"""Score the generic extraction path against trafilatura's own, on pages with expected fields.

    python benchmarks/score_generic.py [--pages DIR ...] [--repeat 3]

--pages may be given more than once; by default both corpus folders are scored:
tests/fixtures/generic (the dev set, which the extractor's rules were tuned against) and
tests/fixtures/generic_holdout (the held-out set, written first and not tuned against). Each
folder is printed on its own, then the total over all pages. A DIR holds NAME.html and
NAME.expected.json (a page without one is skipped); the JSON gives
"url", "title", "published" (ISO 8601 with offset, or null when the page gives no time of day),
"body" (paragraphs joined by a blank line) and optionally "tz" (the site's time zone, default
UTC). For each page and for each extractor:

- title: exact string equality with the expected title;
- published: equal to the second with the same UTC offset (both null also counts as equal; a
  time without offset never equals one with an offset);
- body F1: word 5-gram shingle F1. Words are the lowercased \\w+ runs of the text; the shingles
  of a text are the multiset of its runs of 5 consecutive words (a text of fewer than 5 words is
  one shingle of all its words). With E the expected shingles and G the extracted ones,
  precision = |E & G| / |G|, recall = |E & G| / |E| (multiset intersection), F1 their harmonic
  mean; 1.0 when both are empty, 0.0 when only one is.

"ours" is `newscrawl.sites.generic.parse_article(html_bytes, url, tz)`; "trafilatura" is
`trafilatura.bare_extraction(html, url=url, with_metadata=True)` with htmldate asked for the
full original time with its offset (outputformat %Y-%m-%dT%H:%M:%S%z), its title, date and text.
Time per page is wall time of the call (parsing included), the best of --repeat passes.

Prints, for each folder, a table per page and the overall figures side by side; then the
total over every folder (time per page over all pages), then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura

from newscrawl.sites import generic

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DEFAULT_PAGES = (FIXTURES / "generic", FIXTURES / "generic_holdout")
WORD = re.compile(r"\w+")
DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True}


def shingles(text: str | None, size: int = 5) -> Counter[tuple[str, ...]]:
    words = WORD.findall((text or "").lower())
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def shingle_f1(expected: str | None, got: str | None) -> float:
    want, have = shingles(expected), shingles(got)
    if not want and not have:
        return 1.0
    common = sum((want & have).values())
    if not common:
        return 0.0
    precision, recall = common / sum(have.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def same_time(expected: str | None, got: str | None) -> bool:
    """Equal to the second with the same offset; both None is equal."""
    if expected is None or got is None:
        return expected is None and got is None
    try:
        want, have = datetime.fromisoformat(expected), datetime.fromisoformat(got)
    except ValueError:
        return False
    if want.tzinfo is None or have.tzinfo is None:
        return False
    return want.replace(microsecond=0) == have.replace(microsecond=0) and (
        want.utcoffset() == have.utcoffset()
    )


def ours(page: bytes, url: str, tz: str) -> dict[str, Any]:
    result = generic.parse_article(page, url, tz)
    return {"title": result["title"], "published": result["published"], "body": result["body"]}


def theirs(page: bytes, url: str, tz: str) -> dict[str, Any]:
    doc = trafilatura.bare_extraction(
        page.decode("utf-8", "replace"),
        url=url,
        with_metadata=True,
        date_extraction_params=DATE_PARAMS,
    )
    if doc is None:
        return {"title": None, "published": None, "body": None}
    return {"title": doc.title, "published": doc.date, "body": doc.text}


EXTRACTORS: dict[str, Callable[[bytes, str, str], dict[str, Any]]] = {
    "ours": ours,
    "trafilatura": theirs,
}


def load(folder: Path) -> list[tuple[str, bytes, dict[str, Any]]]:
    pages = []
    for path in sorted(folder.glob("*.html")):
        expected_path = path.with_name(path.stem + ".expected.json")
        if expected_path.exists():  # a page without expected fields (a listing) is not scored
            expected = json.loads(expected_path.read_text("utf-8"))
            pages.append((path.stem, path.read_bytes(), expected))
    return pages


def run(extract: Callable, pages: list, repeat: int) -> tuple[list[dict[str, Any]], float]:
    """Each page's result and the best total seconds of REPEAT passes."""
    best, results = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        results = [extract(html, want["url"], want.get("tz", "UTC")) for _, html, want in pages]
        best = min(best, time.perf_counter() - start)
    return results, best


def score(result: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": result["title"] == want["title"],
        "published": same_time(want["published"], result["published"]),
        "body_f1": shingle_f1(want["body"], result["body"]),
    }


def summary(scores: list[dict[str, Any]], seconds: float) -> dict[str, float]:
    count = len(scores) or 1
    return {
        "title_exact_pct": round(100 * sum(s["title"] for s in scores) / count, 1),
        "published_pct": round(100 * sum(s["published"] for s in scores) / count, 1),
        "body_f1": round(sum(s["body_f1"] for s in scores) / count, 3),
        "ms_per_page": round(1000 * seconds / count, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, action="append", help="repeatable; default: both")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folders = args.pages or list(DEFAULT_PAGES)
    record: dict[str, Any] = {"trafilatura_version": trafilatura.__version__, "folders": {}}
    all_scores: dict[str, list[dict[str, Any]]] = {name: [] for name in EXTRACTORS}
    all_seconds = dict.fromkeys(EXTRACTORS, 0.0)
    for folder in folders:
        pages = load(folder)
        if not pages:
            print(f"no NAME.html pages in {folder}", file=sys.stderr)
            return 2
        scores, totals = {}, {}
        for name, extract in EXTRACTORS.items():
            results, seconds = run(extract, pages, args.repeat)
            scores[name] = [score(r, want) for r, (_, _, want) in zip(results, pages, strict=True)]
            totals[name] = summary(scores[name], seconds)
            all_scores[name] += scores[name]
            all_seconds[name] += seconds
        print(f"== {_label(folder)} ({len(pages)} pages)")
        print(f"{'page':<36} {'ours: title time  F1':>22} {'trafilatura: title time  F1':>30}")
        for index, (stem, _, _) in enumerate(pages):
            cells = [_cells(scores[name][index]) for name in EXTRACTORS]
            print(f"{stem:<36} {cells[0]:>22} {cells[1]:>30}")
        print()
        _print_totals(f"overall {_label(folder)}", totals)
        record["folders"][_label(folder)] = {"pages": len(pages), **totals}
    totals = {name: summary(all_scores[name], all_seconds[name]) for name in EXTRACTORS}
    if len(folders) > 1:
        _print_totals("total", totals)
    record.update({"pages": len(all_scores["ours"]), **totals})
    print(json.dumps(record))
    return 0


def _label(folder: Path) -> str:
    return folder.name or str(folder)


def _print_totals(heading: str, totals: dict[str, dict[str, float]]) -> None:
    print(f"{heading:<22} {'ours':>10} {'trafilatura':>12}")
    for key in ("title_exact_pct", "published_pct", "body_f1", "ms_per_page"):
        print(f"{key:<22} {totals['ours'][key]:>10} {totals['trafilatura'][key]:>12}")
    print()


def _cells(page_score: dict[str, Any]) -> str:
    mark = {True: "ok", False: "--"}
    return f"{mark[page_score['title']]:>5} {mark[page_score['published']]:>4} " + (
        f"{page_score['body_f1']:.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
