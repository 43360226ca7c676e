"""Score the generic extraction path against trafilatura's own: on the real-page corpus, or on
the project's hand-written pages.

    python benchmarks/score_generic.py [--corpus DIR] [--source NAME] [--show FIELD] [--jobs N]
    python benchmarks/score_generic.py --pages DIR [--pages DIR2 ...] [--repeat 3]

**Real pages** (the default when ../shared/corpora/real-pages exists; --corpus DIR for another
folder of the same layout): see benchmarks/real_pages.py for how each field is scored. Prints,
per source and overall, ours beside trafilatura on the same pages (body F1 with its precision
and recall, snippets, title exact, published to the second, the day, ms per page), then one
JSON line. --show FIELD (body, snippets, title, published, date) lists the --worst N pages of
ours on that field. --save FILE writes every page's row (both extractors' fields and scores);
--cache FILE takes trafilatura's rows from such a file (development runs that time ours only:
the trafilatura ms then come from the run that saved them). --jobs N scores in N processes:
each page is still timed for both extractors in the same process.

**Hand-written pages** (--pages DIR, repeatable; or the fallback when there is no corpus):
tests/fixtures/generic (the dev set) and tests/fixtures/generic_holdout (the held-out set). A
DIR holds NAME.html and NAME.expected.json (a page without one is skipped); the JSON gives "url",
"title", "published" (ISO 8601 with offset, or null when the page gives no time of day), "body"
(paragraphs joined by a blank line) and optionally "tz" (default UTC). Per page: title exact,
published equal to the second with the same offset (both null counts as equal), body word
5-gram shingle F1 (1.0 when both are empty). "ours" is `newscrawl.sites.generic.parse_article`;
"trafilatura" is `bare_extraction(html, url=url, with_metadata=True)` with htmldate asked for the
full original time with its offset. Time per page: the best of --repeat passes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from benchmarks import real_pages  # noqa: E402
from benchmarks.scoring import same_time, shingle_f1  # noqa: E402
from newscrawl.sites import generic  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
DEFAULT_PAGES = (FIXTURES / "generic", FIXTURES / "generic_holdout")
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "real-pages"
DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True}


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
    parser.add_argument("--corpus", type=Path, help=f"default: {DEFAULT_CORPUS} when it exists")
    parser.add_argument("--source", help="only the pages whose id starts with this")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--show", choices=real_pages.FIELDS, help="list the worst pages")
    parser.add_argument("--worst", type=int, default=20, help="how many --show lists")
    parser.add_argument("--save", type=Path, help="write every page's row here (JSON lines)")
    parser.add_argument("--cache", type=Path, help="trafilatura's rows from an earlier --save")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--pages", type=Path, action="append", help="hand-written pages")
    parser.add_argument("--repeat", type=int, default=3, help="hand-written pages: passes")
    args = parser.parse_args(argv)
    if args.pages or (args.corpus is None and not DEFAULT_CORPUS.exists()):
        return score_folders(args.pages or list(DEFAULT_PAGES), args.repeat)
    return score_corpus(args)


def score_corpus(args: argparse.Namespace) -> int:
    corpus = args.corpus or DEFAULT_CORPUS
    if not (corpus / "pages.jsonl").exists():
        print(f"score_generic: error: no pages.jsonl in {corpus}", file=sys.stderr)
        return 2
    identity = real_pages.corpus_identity(corpus)
    print(f"corpus {corpus}: {json.dumps(identity)}")
    records = real_pages.corpus_records(corpus, args.source, args.limit)
    cache = real_pages.load_cache(args.cache)
    rows = list(real_pages.run_corpus(corpus, records, args.jobs, cache))
    if args.save:
        with args.save.open("w", encoding="utf-8") as out:
            for row in rows:
                row = {**row, "trafilatura_version": trafilatura.__version__}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    result = real_pages.by_source(rows)
    real_pages.print_table(result)
    if args.show:
        expected = {record["id"]: record["expected"] for record in records}
        real_pages.show_worst(rows, args.show, args.worst, expected)
    print(
        json.dumps(
            {
                "corpus": str(corpus),
                "trafilatura_version": trafilatura.__version__,
                "trafilatura_cached": bool(cache),
                "corpus_identity": identity,
                **result,
            }
        )
    )
    return 0


def score_folders(folders: list[Path], repeat: int) -> int:
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
            results, seconds = run(extract, pages, repeat)
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
