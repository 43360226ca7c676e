"""JSON-LD read leniently: every object of a page at any depth, and the helpers to read them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import html

from newscrawl.text import clean_text

ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"}
)

# What CMS templates and SEO plugins leave around or inside JSON-LD that JSON does not allow:
# HTML comments and CDATA markers wrapping the object, and trailing commas before } or ].
_WRAPPERS = re.compile(
    r"<!--|-->|/\*\s*<!\[CDATA\[\s*\*/|/\*\s*\]\]>\s*\*/|//\s*<!\[CDATA\[|//\s*\]\]>"
    r"|<!\[CDATA\[|\]\]>"
)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_COMMENT_TEXT = re.compile(r"<!--.*?-->", re.S)


def objects(scripts: Iterable[html.HtmlElement]) -> list[dict[str, Any]]:
    """Every JSON-LD object of SCRIPTS at any depth (@graph, lists, nested values), each object
    before those nested in it."""
    found: list[dict[str, Any]] = []
    for script in scripts:
        data = loads_lenient(script.text or "")
        if data is not None:
            found.extend(_walk(data))
    return found


def loads_lenient(text: str) -> Any:
    """TEXT as JSON; when it is not valid, once more without comment and CDATA wrappers and
    trailing commas (the repair only runs on text that failed, so valid JSON-LD costs nothing).
    None when it still is not JSON."""
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    repaired = _COMMENT_TEXT.sub(_keep_json_in_comment, text)
    repaired = _TRAILING_COMMA.sub(r"\1", _WRAPPERS.sub(" ", repaired))
    try:
        return json.loads(repaired, strict=False)
    except ValueError:
        return None


def _keep_json_in_comment(match: re.Match[str]) -> str:
    """An HTML comment inside the script: its text when it holds the JSON (the whole object
    commented out for old browsers), else nothing (a note such as "<!-- schema by plugin -->")."""
    inner = match.group(0)[4:-3]
    return inner if "{" in inner else " "


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _walk(entry)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk(value)


def ld_types(obj: dict[str, Any]) -> set[str]:
    """The object's @type names."""
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return {t for t in types if isinstance(t, str)}


def is_article(obj: dict[str, Any]) -> bool:
    """An article object: NewsArticle and the other *Article types, BlogPosting, and a live
    blog (LiveBlogPosting: its own datePublished, not that of an update it lists, is the
    page's; the walk yields the page's object before those nested in it)."""
    types = ld_types(obj)
    return bool(ARTICLE_TYPES & types) or any(t.endswith(("Article", "Posting")) for t in types)


def articles_first(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FOUND with the article objects first, each group in page order."""
    articles = [is_article(o) for o in found]
    ordered = [o for o, a in zip(found, articles, strict=True) if a]
    return ordered + [o for o, a in zip(found, articles, strict=True) if not a]


def ld_name(value: Any) -> str | None:
    """A name: the text itself, an object's "name", or the first entry of a list's."""
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, dict):
        return ld_name(value.get("name"))
    if isinstance(value, list) and value:
        return ld_name(value[0])
    return None


def ld_text(obj: dict[str, Any], key: str) -> str | None:
    """OBJ's KEY when it is a string with text, stripped; else None."""
    value = obj.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None
