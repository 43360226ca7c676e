"""Whether a page fetched from an article URL is an article at all; if not, what it is instead.

A site may answer an article URL with 200 and something else: a bot check, a login wall, an
error page, a section listing, or its chrome around nothing. Exported, such a page would be an
item with a junk title, and the crawl state would count the article as done: it would never be
fetched again. Both article paths (the `japannews` module and the generic one) ask `classify`
before they turn a page into an item; the spiders route what it refuses (newscrawl.spiders.base).

The reasons, each counted as `newscrawl/articles/not_article/<reason>` next to the total
`newscrawl/articles/not_article`:
- `interstitial` (newscrawl/articles/not_article/interstitial): a bot check or challenge page;
- `login_wall` (newscrawl/articles/not_article/login_wall): a login or subscription wall;
- `error_page` (newscrawl/articles/not_article/error_page): "Page not found" answered with 200;
- `listing` (newscrawl/articles/not_article/listing): a section or tag page: many headline
  links, little running text, no article metadata;
- `no_article` (newscrawl/articles/not_article/no_article): no article metadata and no running
  text of substance (a template that rendered empty);
- `redirected` (newscrawl/articles/not_article/redirected): not judged here; the spiders' own
  reason for an article URL that redirected to a page that is not an article of the site.

False refusals are the worse error (a lost article looks like a broken page), so a page is
refused only on strong evidence: a signature (title, heading or phrase of a small table of
general patterns) on a page without running text of substance, or no article metadata at all
together with no running text. `benchmarks/not_article_rate.py` measures the refusals on
1,831 real article pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree, html

from newscrawl.page import ARTICLE_TYPES, Page
from newscrawl.page.jsonld import ld_types

INTERSTITIAL = "interstitial"
LOGIN_WALL = "login_wall"
ERROR_PAGE = "error_page"
LISTING = "listing"
NO_ARTICLE = "no_article"
REDIRECTED = "redirected"
REASONS = (INTERSTITIAL, LOGIN_WALL, ERROR_PAGE, LISTING, NO_ARTICLE, REDIRECTED)

# Running text (words of sentence-like blocks outside links) that makes a page an article
# whatever signature it carries: a real story mentioning "Just a moment" or "Page not found",
# or a full article whose chrome says "Subscribe to continue reading" elsewhere. A wall shows a
# headline and a lead (40 to 80 words); a short real story has 150 words and more.
SUBSTANCE_WORDS = 120
# Below this, a page without article metadata holds no article: a listing when it links many
# headlines, else nothing at all. (The shortest real posts without metadata in the benchmark,
# a 25-word news item and a video with its teaser, hold more.)
THIN_WORDS = 20
BLOCK_MIN_WORDS = 8  # a block shorter than this is a label, a date or a menu, not running text
HEADLINE_LINK_WORDS = 4  # a link with this many words reads as a headline
LISTING_MIN_HEADLINES = 12  # a listing page links this many headlines at least


@dataclass(frozen=True)
class Signature:
    """A text pattern and its clues: literal strings, one of which every match holds, in text
    as `_plain` gives it (lowercased, whitespace one space). Most pages hold no clue, and `in`
    costs a fraction of the pattern's search (tests/sites/test_pagekind.py generates matches of
    each pattern and checks that a clue is in each)."""

    pattern: re.Pattern[str]
    clues: tuple[str, ...]

    def search(self, text: str) -> bool:
        return any(clue in text for clue in self.clues) and bool(self.pattern.search(text))


# Signatures: general patterns, matched on the page's <title> and h1 ("title"), on
# its visible text ("text"), all lowercased (a case-insensitive pattern of many alternatives
# costs Python's re several times more), or on its markup ("markup").
INTERSTITIAL_TITLE = re.compile(
    r"^\s*(?:just a moment|attention required|please wait|one moment, please|"
    r"security check|checking your browser|verifying (?:you are|that you are) human|"
    r"are you a robot|pardon our interruption|access denied|ddos-guard|human verification|"
    r"bot verification|captcha)\b",
)
INTERSTITIAL_TEXT = Signature(
    re.compile(
        r"checking if the site connection is secure|checking your browser before accessing|"
        r"enable javascript and cookies to continue|"
        r"needs to review the security of your connection|verify you are (?:a )?human|"
        r"please complete the security check|press (?:&|and) hold to confirm|"
        r"request unsuccessful\. incapsula incident|why have i been blocked|"
        r"please stand by, while we are checking your browser|ddos protection by",
    ),
    clues=(
        "checking ",
        "javascript and cookies",
        "security of your",
        "security check",
        "verify you are",
        "hold to confirm",
        "incapsula",
        "been blocked",
        "ddos protection",
    ),
)
# (Not Cloudflare's /cdn-cgi/challenge-platform/scripts/jsd/: it runs on ordinary pages too.)
INTERSTITIAL_MARKUP = re.compile(
    r"/cdn-cgi/challenge-platform/h/\w+/orchestrate/|_cf_chl_opt|__cf_chl_f_tk|challenge-form|"
    r"_Incapsula_Resource|captcha-delivery\.com/|/_sec/cp_challenge/",
    re.IGNORECASE,
)
LOGIN_WALL_TEXT = Signature(
    re.compile(
        r"\b(?:log ?in|sign ?in|subscribe|register)\s+(?:now\s+)?to\s+(?:read|continue reading|"
        r"keep reading|unlock|view|access)\b(?:\s+(?:this|the|full|rest))?|"
        r"\bto (?:continue|keep) reading,? (?:please )?(?:log ?in|sign ?in|subscribe|register)|"
        r"\bthis (?:article|story|content) is (?:only )?(?:for|available to|reserved for) "
        r"(?:paid |paying )?(?:subscribers|members)|"
        r"\b(?:subscribers|members)[- ]only (?:article|content|story)|"
        r"\bfor (?:subscribers|members) only\b|"
        r"\byou(?:'ve| have) reached (?:your|the) (?:limit|maximum) of free (?:articles|stories)|"
        r"\bcreate a free account to (?:continue|read)",
    ),
    clues=(
        "log in ",
        "login ",
        "sign in ",
        "signin ",
        "subscribe ",
        "register ",
        "continue reading",
        "keep reading",
        "this article is ",
        "this story is ",
        "this content is ",
        "ers only",
        "ers-only",
        "of free ",
        "create a free account",
    ),
)
ERROR_TITLE = re.compile(
    r"\b(?:page|article|story|content|file)\s+(?:was\s+)?(?:not|cannot be|could not be|"
    r"can't be|couldn't be)\s+found\b|^\s*(?:error\s*)?404\b|\b404\s*(?:error|not found|page)\b|"
    r"^\s*not found\s*$|^\s*(?:oops|sorry)\b.{0,40}\b(?:not|no longer|wrong|missing)\b|"
    r"\bpage (?:not available|unavailable|does not exist|doesn't exist|no longer exists)\b",
)
ERROR_TEXT = Signature(
    re.compile(
        r"\bthe page you (?:are|were|'re) looking for\b|\bthe page you requested\b|"
        r"\b(?:we|i) (?:can't|cannot|couldn't|could not) find (?:the|that|this) page\b|"
        r"\bthis page (?:does not|doesn't|no longer) exists?\b|"
        r"\bthe (?:article|page|story) you (?:are|were) (?:looking for|trying to) ",
    ),
    clues=(
        "page you",
        "find the page",
        "find that page",
        "find this page",
        "this page ",
        "article you ",
        "story you ",
    ),
)

# Elements whose text is never read: code, and what the page hides from readers.
SKIPPED = frozenset({"script", "style", "template", "svg", "select", "option", "textarea"})
# Elements whose text is not running text (it may still carry a signature).
FURNITURE = frozenset({"button", "label"})
# ...and these, unless they hold the page's h1, main or article: on a page with an unclosed
# element the parser puts the whole story inside a nav. (Not header or aside: some sites
# build their story sections out of them.)
CHROME = frozenset({"nav", "footer"})
INLINE = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em font i img input ins kbd label mark q s samp "
    "small span strong sub sup time u var wbr".split()
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Evidence:
    """What the classification reads of a page."""

    title: str  # the <title> (as `_plain` gives it, lowercased, and so on)
    headings: tuple[str, ...]  # h1 texts (as `_plain` gives them)
    text: str  # visible text, running or not (as `_plain` gives it)
    running_words: int  # words of sentence-like blocks outside links, nav and footer
    headline_links: int  # links whose text reads as a headline
    article_meta: bool  # article JSON-LD, og:type article or article:published_time
    challenge_markup: bool  # a bot-check script or form


def classify(page: str | bytes | html.HtmlElement | Page) -> str | None:
    """None for an article; else why the page is not one (a reason of REASONS).

    A page with article metadata and no signature anywhere in its text (most article pages)
    is an article without the walk over its elements that `read` makes."""
    page = Page.of(page)
    if _article_meta(page) and not _any_signature(page.root):
        return None
    return judge(read(page))


def _any_signature(root: html.HtmlElement) -> bool:
    """Whether a text or markup signature may be on a page with article metadata: searched in
    its text outside the SKIPPED elements (the text `read` gives `judge`, without its walk:
    scripts are most of a page's text and can never carry a verdict) and its markup. (Title
    signatures do not count on such a page, see `judge`.)"""
    text = _plain(" ".join(unskipped_text(root)))
    return _challenge_markup(root) or any(
        p.search(text) for p in (INTERSTITIAL_TEXT, LOGIN_WALL_TEXT, ERROR_TEXT)
    )


def unskipped_text(root: html.HtmlElement) -> list[str]:
    """The text nodes of ROOT's document outside the SKIPPED elements, in document order: what
    the XPath `//text()[not(ancestor::script or ancestor::style or ...)]` selects (the tests
    hold both ways of reading it to that). That XPath tests every ancestor of every text node.
    Here, all text nodes but those of the skipped elements (EXSLT's set:difference, in C),
    several times cheaper on replica and real pages alike. libxml2 checks each text node
    against each skipped one, so on a page with more text nodes than DIFFERENCE_MAX_TEXTS a
    walk that is linear in the page's size does it instead."""
    if _TEXT_COUNT(root) <= DIFFERENCE_MAX_TEXTS:
        return _UNSKIPPED_TEXT(root)
    return _walk_unskipped_text(root)


# Past this many text nodes (well above a typical article page's), the quadratic set:difference
# could cost more than the linear walk.
DIFFERENCE_MAX_TEXTS = 3000
# smart_strings=False: plain str results, without the back-reference to their element that
# lxml otherwise builds for every text node (nothing here reads them).
_TEXT_COUNT = etree.XPath("count(//text())")
_UNSKIPPED_TEXT = etree.XPath(
    "set:difference(//text(), (" + "|".join(f"//{tag}" for tag in sorted(SKIPPED)) + ")//text())",
    namespaces={"set": "http://exslt.org/sets"},
    smart_strings=False,
)


def _walk_unskipped_text(root: html.HtmlElement) -> list[str]:
    """`unskipped_text` by a walk over the elements, skipping each skipped subtree once. Top-level
    siblings count: a page with a second <html> after the first has them, and `//` reaches
    them."""
    out: list[str] = []
    append = out.append
    tops = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    for top in tops:
        if not isinstance(top.tag, str):  # a comment or a processing instruction
            continue
        # Comments and processing instructions hold no text node, but their tails are text.
        walk = etree.iterwalk(top, events=("start", "end", "comment", "pi"))
        for event, element in walk:
            if event == "start":
                if element.tag in SKIPPED:
                    walk.skip_subtree()  # its "end" still comes, with its tail
                elif element.text is not None:
                    append(element.text)
            elif element.tail is not None and element is not top:
                append(element.tail)
    return out


def judge(e: Evidence) -> str | None:
    """The verdict on the evidence (see the module's docstring)."""
    if e.running_words < SUBSTANCE_WORDS:
        if e.challenge_markup or _title_or_text(e, INTERSTITIAL_TITLE, INTERSTITIAL_TEXT):
            return INTERSTITIAL
        if LOGIN_WALL_TEXT.search(e.text):
            return LOGIN_WALL
        if _title_or_text(e, ERROR_TITLE, ERROR_TEXT):
            return ERROR_PAGE
    if e.article_meta:
        return None
    if e.running_words >= THIN_WORDS:
        return None
    return LISTING if e.headline_links >= LISTING_MIN_HEADLINES else NO_ARTICLE


def _title_or_text(e: Evidence, title: re.Pattern[str], text: Signature) -> bool:
    """A signature in the visible text; or in the <title> or the h1, unless the page carries
    article metadata: a story's headline may well read "Security check tightened at Narita"
    or "Access denied: court rejects appeal"."""
    names = () if e.article_meta else (e.title, *e.headings)
    return any(title.search(name) for name in names) or text.search(e.text)


def _plain(text: str) -> str:
    """Lowercased, whitespace collapsed, typographic apostrophes plain ("Can’t" -> "can't")."""
    return " ".join(text.lower().split()).replace("\u2019", "'").replace("\u02bc", "'")


# -- reading the page -------------------------------------------------------------------------
def read(page: str | bytes | html.HtmlElement | Page) -> Evidence:
    page = Page.of(page)
    walk = _Walk()
    root = page.root
    body = root.find("body")
    walk.run(body if body is not None else root)
    title = root.findtext(".//title") or ""
    return Evidence(
        title=_plain(title),
        headings=tuple(map(_plain, walk.headings)),
        text=_plain(" ".join(walk.text)),
        running_words=walk.running_words(),
        headline_links=walk.headline_links,
        article_meta=_article_meta(page),
        challenge_markup=_challenge_markup(root),
    )


def _challenge_markup(root: html.HtmlElement) -> bool:
    """A bot check's script or form: its source, id, action or inline code."""
    for element in root.iter("script", "form"):
        probe = " ".join((element.get("src", ""), element.get("id", ""), element.get("action", "")))
        if INTERSTITIAL_MARKUP.search(probe) or (
            element.text and INTERSTITIAL_MARKUP.search(element.text[:20000])
        ):
            return True
    return False


def _article_meta(page: Page) -> bool:
    """og:type article, article:published_time, or a JSON-LD object of an *Article type (not a
    *Posting one other than BlogPosting: the classifier's own, narrower test than
    newscrawl.page.jsonld.is_article)."""
    og_type = (page.meta("og:type") or "").lower()
    if "article" in og_type or page.meta("article:published_time"):
        return True
    for obj in page.json_ld:
        if any(t in ARTICLE_TYPES or t.endswith("Article") for t in ld_types(obj)):
            return True
    return False


def words(text: str) -> int:
    """Words of TEXT; a CJK character counts as half a word (those scripts need no spaces)."""
    if text.isascii():
        return len(text.split())
    cjk = len(CJK.findall(text))
    return len(CJK.sub(" ", text).split()) + cjk // 2


class _Walk:
    """One pass over the body: visible text, running text per block, headline links."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.headings: list[str] = []
        self.headline_links = 0
        # block element -> [words outside links, words inside links]; furniture blocks absent
        self.blocks: dict[Any, list[int]] = {}

    def run(self, top: html.HtmlElement) -> None:
        # Per open element: (block, linked, furniture). lxml drives the walk: no recursion
        # (pages nest thousands of elements deep at times) and no Python stack of elements.
        context: list[tuple[Any, bool, bool]] = [(top, False, False)]
        skipped: set[Any] = set()
        walk = etree.iterwalk(top, events=("start", "end"))
        for event, element in walk:
            if event == "end":
                if element in skipped:
                    skipped.discard(element)
                else:
                    context.pop()
                if element is not top:  # its tail is text of the element around it
                    self._add(element.tail, *context[-1])
                continue
            tag = element.tag
            if not isinstance(tag, str) or tag in SKIPPED or _hidden(element):
                skipped.add(element)  # a comment, code, or hidden: no text, nothing inside
                walk.skip_subtree()
                continue
            block, linked, furniture = context[-1]
            if tag not in INLINE:
                block = element
            if tag in FURNITURE or (tag in CHROME and _only_chrome(element)):
                furniture = True
            if tag == "a":
                linked = True
                if len(element.text_content().split()) >= HEADLINE_LINK_WORDS:
                    self.headline_links += 1
            elif tag == "h1":  # the page's own heading (h2s are any box's)
                self.headings.append(element.text_content())
            context.append((block, linked, furniture))
            self._add(element.text, block, linked, furniture)

    def _add(self, text: str | None, block: Any, linked: bool, furniture: bool) -> None:
        if not text or text.isspace():
            return
        self.text.append(text)
        if furniture:
            return
        counts = self.blocks.get(block)
        if counts is None:
            counts = self.blocks[block] = [0, 0]
        counts[linked] += words(text)

    def running_words(self) -> int:
        total = 0
        for outside, inside in self.blocks.values():
            if outside + inside >= BLOCK_MIN_WORDS and outside > inside:
                total += outside
        return total


def _only_chrome(element: html.HtmlElement) -> bool:
    return next(element.iter("h1", "main", "article"), None) is None


def _hidden(element: html.HtmlElement) -> bool:
    """Hidden by its style (a modal the page shows by script). Not the `hidden` attribute:
    frameworks stream the story into a hidden element and reveal it by script."""
    style = element.get("style")
    return bool(style and HIDDEN_STYLE.search(style))
