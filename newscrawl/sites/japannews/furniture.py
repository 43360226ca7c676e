"""The Japan News' page furniture: the page elements that hold other articles' links, and the
lines of furniture in text, even when parsing fell back to a flat text dump.

Text furniture is matched line by line, never inside a line: a story paragraph that mentions
"popular" or "ranking" stays. Two kinds:
- fixed lines (modal sentences, the Google News prompt, the weekly-edition footer, copyright);
- list blocks: a header line (`"Politics" POPULAR ARTICLE`, `JN ACCESS RANKING`, "Latest Articles",
  "Most Read", ...) followed by its headlines, one per line, with or without `-` list markers, and
  its controls ("See all", "24 hours / week / month"). A block ends at the first line that reads
  like story prose: more than 30 words, a sentence ending in a full stop, or mostly lowercase
  words (the site's headlines are Title Case; its story sentences are not).
The boilerplate pipeline (newscrawl.pipelines.boilerplate) applies `strip_furniture` to the
items of the site's host, whichever path read them.
"""

from __future__ import annotations

import re
from collections import Counter

# Page chrome that may hold article links of any section: never a source of listing items or
# of the article's photos. An XPath condition on an element's ancestors.
IN_CHROME = (
    "ancestor::*[self::header or self::footer or self::nav or self::aside"
    " or contains(@class,'ranking') or contains(@class,'bloc_3')"
    " or contains(@class,'latestlist') or contains(@class,'popularlist')]"
)

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


def union(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of PATTERNS matches (each keeps its own flags)."""
    parts = []
    for rx in patterns:
        flags = "i" if rx.flags & re.IGNORECASE else ""
        parts.append(f"(?{flags}:{rx.pattern})" if flags else f"(?:{rx.pattern})")
    return re.compile("|".join(parts))


# Most lines are story text: one match rules out every kind of furniture at once.
ANY_FIXED = union(list(FIXED_LINES.values()))
ANY_HEADER = union(list(BLOCK_HEADERS.values()))
ANY_FURNITURE = union([ANY_FIXED, ANY_HEADER])
# Controls inside a list block: removed with it, and the block goes on after them.
BLOCK_CONTROLS = re.compile(
    r"^(?:See all|Read more|More|24 hours|Week|Month|(?:24 hours|week|month)"
    r"(?:\s*/\s*(?:24 hours|week|month))+)$",
    re.IGNORECASE,
)
# Unmarked headlines per block on the real site: 4, 5 or 8; room for layout changes.
BLOCK_CAP = 20
LIST_MARKER = re.compile(r"^(?:[-–—•*·]|\d{1,2}[.)])\s+")
# A story sentence ends in a full stop; the site's headlines may end in "?" or "!".
FULL_STOP_END = re.compile(r"[.。]['\"”’)]?$")
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


def strip_furniture(lines: list[str]) -> tuple[list[str], Counter[str]]:
    """LINES (stripped, none blank) without the site's furniture, and what was removed, by
    kind (the FIXED_LINES and BLOCK_HEADERS names)."""
    removed: Counter[str] = Counter()
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not ANY_FURNITURE.match(LIST_MARKER.sub("", line)):
            kept.append(line)
            index += 1
            continue
        kind = fixed_kind(line)
        if kind:
            removed[kind] += 1
            index += 1
            continue
        kind = header_kind(line)
        if kind:
            end = block_end(lines, index + 1)
            removed[kind] += end - index
            index = end
            continue
        kept.append(line)
        index += 1
    return kept, removed


def fixed_kind(line: str) -> str | None:
    """The kind of fixed line LINE is, if it is one."""
    bare = LIST_MARKER.sub("", line)
    if not ANY_FIXED.match(bare):
        return None
    return next((kind for kind, rx in FIXED_LINES.items() if rx.match(bare)), None)


def header_kind(line: str) -> str | None:
    """The kind of list block LINE opens, if it is a block header."""
    bare = LIST_MARKER.sub("", line)
    if not ANY_HEADER.match(bare):
        return None
    return next((kind for kind, rx in BLOCK_HEADERS.items() if rx.match(bare)), None)


def block_end(lines: list[str], start: int) -> int:
    """Index just past the headlines and controls that follow a block header."""
    end, unmarked = start, 0
    while end < len(lines):
        line = lines[end]
        if BLOCK_CONTROLS.match(line):
            end += 1
            continue
        if not is_headline(line):
            break
        if not LIST_MARKER.match(line):
            unmarked += 1
            if unmarked > BLOCK_CAP:
                break
        end += 1
    return end


def is_headline(line: str) -> bool:
    """A line of a list block: a marked item, or a short Title Case line that is no sentence."""
    if header_kind(line) or fixed_kind(line):
        return False  # the next block starts; strip_furniture handles it
    if LIST_MARKER.match(line) or line.startswith("#"):
        return True
    words = line.split()
    if len(words) > HEADLINE_MAX_WORDS:
        return False
    if ELLIPSIS.search(line):
        return True
    if FULL_STOP_END.search(line) and not ABBREVIATION_END.search(line):
        return False
    return _lowercase_share(words) <= LOWERCASE_SHARE


def _lowercase_share(words: list[str]) -> float:
    content = [w.strip("\"'“”‘’()[]") for w in words]
    content = [w for w in content if w and w.lower() not in MINOR_WORDS]
    if not content:
        return 1.0
    return sum(1 for w in content if w[0].islower()) / len(content)
