"""The measures the extraction benchmarks share: word shingles, body precision and recall,
snippets, titles and times compared as the real-page corpus's README says."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any

WORD = re.compile(r"\w+")


def shingles(text: str | None, size: int = 5) -> Counter[tuple[str, ...]]:
    """The multiset of runs of SIZE consecutive lowercased \\w+ words (a shorter text is one
    shingle of all its words)."""
    words = WORD.findall((text or "").lower())
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def body_pr(expected: str, got: str | None, size: int = 4) -> tuple[float, float]:
    """Shingle precision and recall of GOT against EXPECTED."""
    want, have = shingles(expected, size), shingles(got, size)
    common = sum((want & have).values())
    precision = common / sum(have.values()) if have else float(not want)
    recall = common / sum(want.values()) if want else 1.0
    return precision, recall


def shingle_f1(expected: str | None, got: str | None, size: int = 5) -> float:
    want, have = shingles(expected, size), shingles(got, size)
    if not want and not have:
        return 1.0
    common = sum((want & have).values())
    if not common:
        return 0.0
    precision, recall = common / sum(have.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def snippets(expected: dict[str, Any], got: str | None) -> float | None:
    """The share of `with` snippets in GOT and of `without` snippets not in it; None when the
    page labels none."""
    body = (got or "").casefold()
    checks = [s.casefold() in body for s in expected.get("with") or []]
    checks += [s.casefold() not in body for s in expected.get("without") or []]
    return sum(checks) / len(checks) if checks else None


def plain_title(title: str | None) -> str:
    return " ".join((title or "").split()).casefold()


def same_time(expected: str | None, got: str | None, same_offset: bool = True) -> bool:
    """The same instant to the second (and, with SAME_OFFSET, the same UTC offset); both None
    is equal."""
    if expected is None or got is None:
        return expected is None and got is None
    try:
        want, have = datetime.fromisoformat(expected), datetime.fromisoformat(got)
    except ValueError:
        return False
    if want.tzinfo is None or have.tzinfo is None:
        return False
    same_instant = want.replace(microsecond=0) == have.replace(microsecond=0)
    return same_instant and (not same_offset or want.utcoffset() == have.utcoffset())
