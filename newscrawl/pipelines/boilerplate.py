"""Remove page furniture from text fields, even when parsing fell back to a flat text dump.

Furniture is matched line by line, never inside a line: a story paragraph that mentions "popular"
or "ranking" stays. Two kinds:
- fixed lines (modal sentences, the Google News prompt, the weekly-edition footer, copyright);
- list blocks: a header line (`"Politics" POPULAR ARTICLE`, `JN ACCESS RANKING`, "Latest Articles",
  "Most Read", ...) followed by its headlines, one per line, with or without `-` list markers, and
  its controls ("See all", "24 hours / week / month"). A block ends at the first line that reads
  like story prose: more than 30 words, a sentence ending in a full stop, or mostly lowercase
  words (the site's headlines are Title Case; its story sentences are not).
And, in text the generic path extracted (the item's `generic_text`, or the flag `fallback_body`),
the furniture of any news site (kind "generic", newscrawl.sites.generic.is_furniture): "Read
more", "Related", newsletter and share prompts, photo credits. Not in a site module's exact text:
those rules would also take some story sentences ("Follow the guidance on X...").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from newscrawl.sites.generic import is_furniture

FIXED_LINES: dict[str, re.Pattern[str]] = {
    "modal": re.compile(
        r"^(?:Please disable the ad blocking feature\."
        r"|To use this site, please disable the ad blocking feature and reload the page\."
        r"|This website uses cookies to collect information about your visit\b.*"
        r"|Users accessing this site from EEA countries and UK are unable to view this site"
        r" without your consent\.(?: We apologize for any inconvenience caused\.)?"
        r"|We apologize for any inconvenience caused\."
        r"|Accept all|Reject all|Cookie settings)$"
    ),
    "google_news": re.compile(r"^Add TheJapanNews to your Google News feed\.?$"),
    "footer": re.compile(
        r"^(?:The Japan News\s*/\s*Weekly Edition|Weekly Edition|Read more|See all"
        r"|Our weekly ePaper presents the most noteworthy recent topics in an exciting,"
        r" readable fo?r?mat\.?"
        r"|(?:Copyright )?©.{0,20}(?:The Japan News|Yomiuri Shimbun).*)$"
    ),
    "hot_words": re.compile(r"^Hot word\s*:.*$"),
}

BLOCK_HEADERS: dict[str, re.Pattern[str]] = {
    "popular_article": re.compile(r'^["“]?[A-Z][\w&.,\' -]{0,40}["”]?\s+POPULAR ARTICLES?$'),
    "access_ranking": re.compile(r"^JN ACCESS RANKING$"),
    "latest_articles": re.compile(r"^(?:[A-Z][\w&.,' -]{0,60}\s+)?Latest Articles$"),
    "popular_articles": re.compile(
        r"^(?:Popular Articles|Most Read|Top Articles in [A-Z][\w &]{0,40}|Related Tags"
        r"|Related Articles|Popular articles in the past (?:24 hours|week|month)"
        r"(?:\s*/\s*(?:24 hours|week|month))*)$",
        re.IGNORECASE,
    ),
}


def _union(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of PATTERNS matches (each keeps its own flags)."""
    parts = []
    for rx in patterns:
        flags = "i" if rx.flags & re.IGNORECASE else ""
        parts.append(f"(?{flags}:{rx.pattern})" if flags else f"(?:{rx.pattern})")
    return re.compile("|".join(parts))


# Most lines are story text: one match rules out every kind of furniture at once.
ANY_FIXED = _union(list(FIXED_LINES.values()))
ANY_HEADER = _union(list(BLOCK_HEADERS.values()))
ANY_FURNITURE = _union([ANY_FIXED, ANY_HEADER])
# Controls inside a list block: removed with it, and the block goes on after them.
BLOCK_CONTROLS = re.compile(
    r"^(?:See all|Read more|More|24 hours|Week|Month|(?:24 hours|week|month)"
    r"(?:\s*/\s*(?:24 hours|week|month))+)$",
    re.IGNORECASE,
)
# Unmarked headlines per block on the real site: 4, 5 or 8; room for layout changes.
BLOCK_CAP = 20
LIST_MARKER = re.compile(r"^(?:[-–—•*·]|\d{1,2}[.)])\s+")
SENTENCE_END = re.compile(r"[.。]['\"”’)]?$")
# A headline may end in an abbreviation's full stop without being a sentence ("... in Sept.").
ABBREVIATION_END = re.compile(
    r"\b(?:U\.S|U\.K|U\.N|E\.U|Corp|Inc|Co|Cos|Ltd|Jr|Sr|St|Dr|Mr|Mrs|Ms|No|Gov|Govt|Gen|Lt|Col"
    r"|Univ|Dept|Pref|Assn|Bil|Tril|Mil|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$"
)
ELLIPSIS = re.compile(r"(?:\.\.\.|…)$")
HEADLINE_MAX_WORDS = 30
LOWERCASE_SHARE = 0.25
# Lowercase in Title Case headlines too.
MINOR_WORDS = frozenset(
    (
        "a an the and or but nor of to in on at for with by as from into onto over amid after"
        " before vs via per than up off out is are be was were not"
    ).split()
)


def strip_boilerplate(text: str, generic: bool = False) -> tuple[str, Counter[str]]:
    """The text without furniture (blocks joined by a blank line) and what was removed, by kind.
    GENERIC: the text came from the generic path (see the module docstring)."""
    removed: Counter[str] = Counter()
    kept: list[str] = []
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    index = 0
    while index < len(lines):
        line = lines[index]
        if not ANY_FURNITURE.match(LIST_MARKER.sub("", line)):
            if generic and is_furniture(line):
                removed["generic"] += 1
            else:
                kept.append(line)
            index += 1
            continue
        kind = _fixed_kind(line)
        if kind:
            removed[kind] += 1
            index += 1
            continue
        kind = _header_kind(line)
        if kind:
            end = _block_end(lines, index + 1)
            removed[kind] += end - index
            index = end
            continue
        kept.append(line)
        index += 1
    return "\n\n".join(kept), removed


def _fixed_kind(line: str) -> str | None:
    bare = LIST_MARKER.sub("", line)
    if not ANY_FIXED.match(bare):
        return None
    return next((kind for kind, rx in FIXED_LINES.items() if rx.match(bare)), None)


def _header_kind(line: str) -> str | None:
    bare = LIST_MARKER.sub("", line)
    if not ANY_HEADER.match(bare):
        return None
    return next((kind for kind, rx in BLOCK_HEADERS.items() if rx.match(bare)), None)


def _block_end(lines: list[str], start: int) -> int:
    """Index just past the headlines and controls that follow a block header."""
    end, unmarked = start, 0
    while end < len(lines):
        line = lines[end]
        if BLOCK_CONTROLS.match(line):
            end += 1
            continue
        if not _is_headline(line):
            break
        if not LIST_MARKER.match(line):
            unmarked += 1
            if unmarked > BLOCK_CAP:
                break
        end += 1
    return end


def _is_headline(line: str) -> bool:
    if _header_kind(line) or _fixed_kind(line):
        return False  # the next block starts; the main loop handles it
    if LIST_MARKER.match(line) or line.startswith("#"):
        return True
    words = line.split()
    if len(words) > HEADLINE_MAX_WORDS:
        return False
    if ELLIPSIS.search(line):
        return True
    if SENTENCE_END.search(line) and not ABBREVIATION_END.search(line):
        return False
    return _lowercase_share(words) <= LOWERCASE_SHARE


def _lowercase_share(words: list[str]) -> float:
    content = [w.strip("\"'“”‘’()[]") for w in words]
    content = [w for w in content if w and w.lower() not in MINOR_WORDS]
    if not content:
        return 1.0
    return sum(1 for w in content if w[0].islower()) / len(content)


class BoilerplatePipeline:
    def __init__(self, stats: StatsCollector, fields: tuple[str, ...] = ("body", "description")):
        self.stats = stats
        self.fields = fields

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        fields = tuple(
            crawler.settings.getlist("NEWSCRAWL_BOILERPLATE_FIELDS", ["body", "description"])
        )
        if not fields:
            raise NotConfigured("NEWSCRAWL_BOILERPLATE_FIELDS is empty")
        return cls(crawler.stats, fields=fields)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        generic = bool(adapter.get("generic_text")) or "fallback_body" in (
            adapter.get("flags") or []
        )
        for name in self.fields:
            value = adapter.get(name)
            if not isinstance(value, str) or not value:
                continue
            cleaned, removed = strip_boilerplate(value, generic)
            if removed:
                adapter[name] = cleaned or None
                self._count(removed)
        return item

    def _count(self, removed: Counter[str]) -> None:
        self.stats.inc_value("newscrawl/boilerplate/items")
        for kind, count in removed.items():
            self.stats.inc_value("newscrawl/boilerplate/removed", count)
            self.stats.inc_value(f"newscrawl/boilerplate/removed/{kind}", count)
