"""Check a crawl's JSON lines export against the replica's ground truth (`--manifest`).

What a careless consumer of the file would meet counts: lines are split with `str.splitlines()`
(which also splits at U+2028, U+2029, U+0085 and other separators), and a line that is not a
JSON object valid against the article schema is corrupt.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from newscrawl.items import article_schema

# Fields the replica knows exactly; the crawl must export them as the manifest says.
COMPARED = (
    "id", "section", "subsection", "title", "published", "published_utc", "modified",
    "authors", "byline", "body", "images", "tags", "access",
)  # fmt: skip

# Faults under which a correct crawl exits non-zero: something is really lost or broken (articles
# that stay down, a robots.txt that forbids everything, a site in outage, pages without articles).
# Every other fault is recovered from, or refused for safety within NEWSCRAWL_MAX_REFUSED_SHARE.
# biglisting: a listing page too large to read leaves its walk incomplete (issue 13).
UNHEALTHY_FAULTS = frozenset({"down", "robots5xx", "outage", "blank", "biglisting"})


@dataclass
class Verification:
    expected: int  # manifest articles the crawl should export
    exported: int  # valid lines
    lost: list[str] = field(default_factory=list)  # expected, not exported
    duplicates: int = 0  # lines of an article exported before
    corrupt: int = 0  # lines that are not a valid article
    unexpected: list[str] = field(default_factory=list)  # exported, not expected
    mismatched: list[str] = field(default_factory=list)  # "url field" exported otherwise

    @property
    def exact(self) -> bool:
        """Every expected article exactly once, as the manifest says, and nothing else."""
        problems = (self.lost, self.unexpected, self.mismatched)
        return not any(problems) and not self.duplicates and not self.corrupt


def expected_records(manifest: Iterable[dict[str, Any]], section: str) -> dict[str, dict]:
    """The records a crawl of SECTION should export, by URL."""
    return {
        r["url"]: r for r in manifest if r["section"] == section and r.get("expected_export", True)
    }


def verify(text: str, manifest: Iterable[dict[str, Any]], section: str) -> Verification:
    expected = expected_records(manifest, section)
    validator = Draft202012Validator(article_schema())
    seen: Counter[str] = Counter()
    result = Verification(expected=len(expected), exported=0)
    for line in text.splitlines():
        item = _article(line, validator)
        if item is None:
            result.corrupt += 1
            continue
        result.exported += 1
        seen[item["url"]] += 1
        record = expected.get(item["url"])
        if record is None:
            result.unexpected.append(item["url"])
            continue
        result.mismatched += [
            f"{item['url']} {name}" for name in COMPARED if item.get(name) != record.get(name)
        ]
    result.duplicates = sum(count - 1 for count in seen.values())
    result.lost = sorted(set(expected) - set(seen))
    return result


def _article(line: str, validator: Draft202012Validator) -> dict[str, Any] | None:
    try:
        item = json.loads(line)
    except ValueError:
        return None
    if not isinstance(item, dict) or any(validator.iter_errors(item)):
        return None
    return item
