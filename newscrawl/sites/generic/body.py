"""The generic reader's body: trafilatura's blocks (newscrawl.page: Page.main_blocks_split)
without furniture, the headline, byline and date lines, the site's name and the writers' bios."""

from __future__ import annotations

from lxml import etree

from newscrawl.page import Page
from newscrawl.page.time_candidates import DATE_LINE_MAX_WORDS
from newscrawl.sites.generic.authors import BY
from newscrawl.sites.generic.furniture import LINK_LIST_HEADING, is_furniture, is_link_title
from newscrawl.text import clean_text, text_of
from newscrawl.times import HAS_YEAR, MONTH_AND_DAY

AUTHOR_BIO_MAX_WORDS = 40
# A date line holds this many words at most ("Published October 13, 2024 at 6:05 pm").
DATE_ONLY_MAX_WORDS = 8
LISTED_DATES_MIN = 3
_HEAD_TITLE = etree.XPath("/html/head/title")


def body(
    page: Page,
    title_text: str | None = None,
    site_names: set[str] | frozenset[str] = frozenset(),
    people: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """Story paragraphs: trafilatura's blocks without generic furniture, the headline (also as
    the document titles give it, site name included: share widgets repeat it), the byline and
    date lines, the site's name (a logo's text), a bio line of one of the PEOPLE who wrote it,
    and the link titles listed under a "Related" heading."""
    kept: list[str] = []
    in_link_list = False
    titles = _document_titles(page)
    blocks = page.main_blocks_split
    listed = _listed_dates(blocks)
    for index, block in enumerate(blocks):
        if block in titles:
            continue
        if in_link_list and is_link_title(block):
            continue
        in_link_list = bool(LINK_LIST_HEADING.match(block))
        if in_link_list or is_furniture(block) or block == title_text:
            continue
        if _is_meta_line(block) and index not in listed:
            continue
        if block.lower() in site_names or _is_author_bio(block, people):
            continue
        kept.append(block)
    return kept


def _is_author_bio(block: str, people: list[str] | tuple[str, ...]) -> bool:
    """ "Ann Lee, Lecturer in Ecology, University of the North" or "Ann Lee is a reporter ...":
    a short line that opens with the name of one who wrote the story (writers do not name
    themselves in their story's paragraphs)."""
    if len(block.split()) > AUTHOR_BIO_MAX_WORDS:
        return False
    return any(block.startswith((f"{name}, ", f"{name} is ")) for name in people)


def _document_titles(page: Page) -> set[str]:
    """The page's <title> and og:title as written."""
    found = {clean_text(text_of(element)) for element in _HEAD_TITLE(page.tree)}
    og = page.meta("og:title")
    return {t for t in (*found, clean_text(og) if og else "") if t}


def _listed_dates(blocks: list[str]) -> set[int]:
    """The indexes of date lines in a run of LISTED_DATES_MIN or more: a table's rows, an
    events list or a changelog, story text. (Measured on the real-page corpus: a date line by
    the byline, or an "Updated ..." and "Published ..." pair, is furniture; a run is not.)"""
    listed: set[int] = set()
    run: list[int] = []
    for index, block in enumerate([*blocks, ""]):
        if _is_date_line(block):
            run.append(index)
            continue
        if len(run) >= LISTED_DATES_MIN:
            listed.update(run)
        run = []
    return listed


def _is_date_line(block: str) -> bool:
    words = block.split()
    return (
        len(words) <= DATE_ONLY_MAX_WORDS
        and not block.endswith(".")
        and bool(HAS_YEAR.search(block) and MONTH_AND_DAY.search(block))
    )


def _is_meta_line(block: str) -> bool:
    words = block.split()
    if len(words) > DATE_LINE_MAX_WORDS or block.endswith("."):
        return False
    return bool(BY.match(block)) or _is_date_line(block)
