"""The README and docs/ hold together: every relative link names a file that exists, and every
`#anchor` a heading of that file (as GitHub makes anchors), so moving a section never leaves a
reader at a dead link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def headings(text: str) -> list[str]:
    """The headings of a Markdown text, outside fenced code."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"#+ (.*)", line)):
            found.append(match.group(1).strip())
    return found


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {anchor(h) for h in headings(path.read_text("utf-8"))}


def relative_links(path: Path) -> list[str]:
    return [
        link
        for link in LINK.findall(path.read_text("utf-8"))
        if not re.match(r"[a-z]+:", link)  # http:, https:, mailto:
    ]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(path: Path) -> None:
    broken = []
    for link in relative_links(path):
        target_name, _, fragment = link.partition("#")
        target = (path.parent / target_name).resolve() if target_name else path
        if not target.exists():
            broken.append(f"{link} (no such file)")
        elif fragment and target.suffix == ".md" and fragment not in anchors(target):
            broken.append(f"{link} (no such heading)")
    assert broken == []


def test_the_anchor_rule_matches_github() -> None:
    assert anchor("Any news site: the `news` spider") == "any-news-site-the-news-spider"
    assert anchor("Scheduled runs (cron)") == "scheduled-runs-cron"


def test_the_readme_opens_with_the_two_commands_and_a_contents_list() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    titles = headings(text)
    assert titles[:3] == ["newscrawl", "On a fresh machine", "Contents"]
    fresh = text.split("## Contents", 1)[0]
    assert "scripts/offline-crawl.sh" in fresh
    assert 'pip install -e ".[test]" && ruff check . && pytest' in fresh


def test_the_readme_links_every_doc() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    unlinked = [p.name for p in DOCS[1:] if f"(docs/{p.name}" not in text]
    assert unlinked == []
