"""The real-page corpus mode of benchmarks/score_generic.py: `newscrawl extract`'s generic path
(pipelines included) beside trafilatura on the pages of ../shared/corpora/real-pages, scored as
that corpus's README says. The pages are read from the corpus folder, never copied.

Per page and per extractor, on the fields the page labels:
- body: word 4-gram shingles (tokens \\w+), precision and recall per page; a source's body F1
  is the F1 of the mean precision and the mean recall;
- snippets: the share of `with` snippets found in the body and of `without` snippets absent
  from it (case-insensitive substrings);
- title: equal after collapsing whitespace and case-folding;
- published: the same instant to the second, with an offset (where the page labels one);
- date: the same calendar day as `published_date` (where the page labels one);
- ms: wall time of the call, parsing included.
A page ours refuses (the crawl would drop it, or its line names no URL) scores as empty, and is
listed under its source.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura
from scrapy.exceptions import DropItem

from benchmarks.scoring import body_pr, plain_title, same_time, snippets
from newscrawl.extract import Extractor
from newscrawl.spiders.arguments import ArgumentError

EMPTY = {"title": None, "published": None, "published_date": None, "body": None}
FIELDS = ("body", "snippets", "title", "published", "date")
NAMES = ("ours", "trafilatura")


def corpus_records(corpus: Path, source: str | None, limit: int | None) -> list[dict[str, Any]]:
    records = []
    for line in (corpus / "pages.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if source is None or record["id"].startswith(source):
            records.append(record)
    return records[:limit] if limit else records


def corpus_identity(corpus: Path) -> dict[str, str]:
    """What names this corpus's version: its index's digest and its sources' commits."""
    digest = hashlib.sha256((corpus / "pages.jsonl").read_bytes()).hexdigest()[:16]
    sources = corpus / "SOURCES.json"
    commits = json.loads(sources.read_text("utf-8")) if sources.exists() else {}
    return {"pages_sha256": digest, **commits}


class Extractors:
    """Ours (one pipeline set for the process, as `newscrawl extract --batch`) and theirs."""

    def __init__(self) -> None:
        self.extractor = Extractor()

    def ours(self, page: bytes, url: str) -> dict[str, Any]:
        try:
            item = self.extractor.extract(page, url, site_name="generic")
        except (DropItem, ArgumentError) as why:  # dropped, or no URL given nor named
            return {**EMPTY, "refused": str(why)}
        return {name: item[name] for name in EMPTY}

    @staticmethod
    def theirs(page: bytes, url: str) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True)
        if doc is None:
            return EMPTY
        return {"title": doc.title, "published": None, "published_date": doc.date, "body": doc.text}


_EXTRACTORS: Extractors | None = None


def _run_one(corpus: Path, record: dict[str, Any], cached: dict[str, Any] | None) -> dict[str, Any]:
    global _EXTRACTORS  # one per worker process: its pipelines are built once
    _EXTRACTORS = _EXTRACTORS or Extractors()
    page = gzip.decompress((corpus / record["html"]).read_bytes())
    row: dict[str, Any] = {"id": record["id"], "url": record["url"]}
    calls: dict[str, Callable[[bytes, str], dict[str, Any]]] = {
        "ours": _EXTRACTORS.ours,
        "trafilatura": _EXTRACTORS.theirs,
    }
    for name, call in calls.items():
        if name == "trafilatura" and cached is not None:
            row[name] = cached
            continue
        start = time.perf_counter()
        got = call(page, record["url"])
        row[name] = {**got, "ms": 1000 * (time.perf_counter() - start)}
    for name in NAMES:
        row[name]["score"] = score_page(record["expected"], row[name])
    return row


def run_corpus(
    corpus: Path, records: list[dict[str, Any]], jobs: int, cache: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """Each record's row, in order: both extractors' fields, ms and scores."""
    if jobs <= 1:
        for record in records:
            yield _run_one(corpus, record, cache.get(record["id"]))
        return
    with ProcessPoolExecutor(jobs) as pool:
        futures = [
            pool.submit(_run_one, corpus, record, cache.get(record["id"])) for record in records
        ]
        for future in futures:
            yield future.result()


def score_page(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if expected.get("body"):
        row["body"] = body_pr(expected["body"], got["body"])
    if (snippet := snippets(expected, got["body"])) is not None:
        row["snippets"] = snippet
    if expected.get("title"):
        row["title"] = plain_title(expected["title"]) == plain_title(got["title"])
    if expected.get("published"):
        row["published"] = same_time(expected["published"], got["published"], False)
    if expected.get("published_date"):
        row["date"] = _day(got) == expected["published_date"][:10]
    return row


def _day(got: dict[str, Any]) -> str | None:
    value = got.get("published_date") or got.get("published")
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return value[:10]


def summarize(rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
    scores = [row[name]["score"] for row in rows]
    out: dict[str, Any] = {"pages": len(rows)}
    bodies = [s["body"] for s in scores if "body" in s]
    if bodies:
        precision = sum(p for p, _ in bodies) / len(bodies)
        recall = sum(r for _, r in bodies) / len(bodies)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out["body_f1"] = [round(f1, 3), len(bodies)]
        out["body_precision"], out["body_recall"] = round(precision, 3), round(recall, 3)
    for key in FIELDS[1:]:
        values = [s[key] for s in scores if key in s]
        if values:
            out[key] = [round(sum(values) / len(values), 3), len(values)]
    refused = [row["id"] for row in rows if row[name].get("refused")]
    if refused:
        out["refused"] = refused
    out["ms_per_page"] = round(sum(row[name]["ms"] for row in rows) / (len(rows) or 1), 2)
    return out


def by_source(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    sources = sorted({row["id"].split("/", 1)[0] for row in rows})
    result = {}
    for source in [*sources, "all"]:
        picked = [r for r in rows if source == "all" or r["id"].startswith(source + "/")]
        result[source] = {name: summarize(picked, name) for name in NAMES}
    return result


def print_table(result: dict[str, dict[str, Any]]) -> None:
    for source, figures in result.items():
        print(f"== {source} ({figures['ours']['pages']} pages)")
        for key in ("body_f1", "body_precision", "body_recall", *FIELDS[1:], "ms_per_page"):
            cells = [figures[name].get(key) for name in NAMES]
            if cells[0] is None and cells[1] is None:
                continue
            shown = [f"{c[0]} of {c[1]}" if isinstance(c, list) else str(c) for c in cells]
            print(f"  {key:<15} ours {shown[0]:>14}   trafilatura {shown[1]:>14}")
        if refused := figures["ours"].get("refused"):
            print(f"  refused by ours (scored as empty): {len(refused)}: {', '.join(refused)}")
        print()


def page_value(row: dict[str, Any], name: str, field: str) -> float | None:
    """One page's score of FIELD as a number (body: F1 of its precision and recall)."""
    value = row[name]["score"].get(field)
    if value is None:
        return None
    if field == "body":
        precision, recall = value
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(value)


def show_worst(rows: list[dict[str, Any]], field: str, count: int, expected: dict) -> None:
    """The COUNT pages where ours does worst on FIELD (ties: where trafilatura does best)."""
    scored = [r for r in rows if page_value(r, "ours", field) is not None]
    scored.sort(key=lambda r: (page_value(r, "ours", field), -page_value(r, "trafilatura", field)))
    print(f"== the {count} worst pages on {field}, ours (trafilatura)")
    for row in scored[:count]:
        ours, theirs = (page_value(row, name, field) for name in NAMES)
        print(f"{row['id']:<22} {ours:.3f} ({theirs:.3f})  {row['url']}")
        key = {"date": "published_date", "snippets": "body"}.get(field, field)
        if field in ("body", "snippets"):
            precision_recall = row["ours"]["score"].get("body")
            print(f"    precision, recall: {precision_recall}")
            continue
        print(f"    expected {expected[row['id']].get(key)!r}")
        print(f"    ours     {row['ours'].get(key)!r}")
        print(f"    theirs   {row['trafilatura'].get(key)!r}")


def load_cache(path: Path | None) -> dict[str, Any]:
    """trafilatura's rows saved by an earlier --save run (its fields, ms and version), for
    development runs that score ours only."""
    if path is None or not path.exists():
        return {}
    cache = {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row.get("trafilatura_version") == trafilatura.__version__:
            theirs = row["trafilatura"]
            theirs.pop("score", None)
            cache[row["id"]] = theirs
    return cache
