"""The replica's deterministic, lazy article corpus and its ground truth (the manifest).

Only a few small per-article arrays are built up front (subsection code, publication time, post ID,
photo count, cross-listing); an article's text is generated on demand from (seed, index) with its
own `random.Random`, so a 100,000-article corpus costs a few megabytes and article i never needs
any other article to exist.
"""

from __future__ import annotations

import html
import random
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from newscrawl.replica import words

JST = timezone(timedelta(hours=9), "JST")
REAL_ORIGIN = "https://japannews.yomiuri.co.jp"
# The default corpus ends here; a larger corpus simply starts earlier.
CORPUS_END = datetime(2026, 10, 31, 21, 0, tzinfo=JST)
DEFAULT_IMAGE = "/wp-content/themes/thejapannews_ver1/images/ogp_default.png"
UNKNOWN_LAYOUT_SHARE = 0.10
G7_BLOCK = 64  # one article in every block of 64 goes to g7-summit: small share, never empty
# About one article in ten to twelve is rewritten. Not 0.10: at 0.10 one of the saved fixture pages
# (tests/fixtures/japannews/replica-*, seed 1, default size) would show its revision by default.
REVISION_SHARE = 0.08
# A revision lands 1 to 96 hours after publication: about half inside a 48-hour news window.
REVISION_MINUTES = (61, 96 * 60)
UPDATE_SUFFIX = " (UPDATE 1)"


@dataclass(frozen=True)
class Subsection:
    slug: str
    label: str
    section: str
    weight: float


@dataclass(frozen=True)
class Section:
    slug: str
    label: str
    subsections: tuple[Subsection, ...]


def _section(slug: str, label: str, subs: Sequence[tuple[str, str, float]]) -> Section:
    return Section(slug, label, tuple(Subsection(s, lab, slug, w) for s, lab, w in subs))


# Weights are percent of the corpus; g7-summit is placed by G7_BLOCK instead of by weight.
SECTIONS: tuple[Section, ...] = (
    _section(
        "politics",
        "Politics",
        [
            ("politics-government", "Politics & Government", 11.0),
            ("defense-security", "Defense & Security", 7.0),
            ("election", "Elections", 5.0),
            ("political-series", "Political Series", 5.4),
            ("g7-summit", "G7 Summit", 0.0),
        ],
    ),
    _section(
        "business",
        "Business",
        [("economy", "Economy", 10.0), ("companies", "Companies", 8.0), ("market", "Markets", 6.0)],
    ),
    _section(
        "society",
        "Society",
        [("general-news", "General News", 14.0), ("crime-courts", "Crime & Courts", 10.0)],
    ),
    _section(
        "world",
        "World",
        [("asia-pacific", "Asia-Pacific", 12.0), ("us-canada", "US & Canada", 10.0)],
    ),
)
SECTION_BY_SLUG: dict[str, Section] = {s.slug: s for s in SECTIONS}
SUBSECTIONS: tuple[Subsection, ...] = tuple(sub for s in SECTIONS for sub in s.subsections)
SUB_CODE: dict[str, int] = {sub.slug: code for code, sub in enumerate(SUBSECTIONS)}
G7_CODE = SUB_CODE["g7-summit"]
POLITICS_CODES = tuple(SUB_CODE[s.slug] for s in SECTION_BY_SLUG["politics"].subsections)
SECTION_CODE: dict[str, int] = {s.slug: code for code, s in enumerate(SECTIONS)}
SECTION_OF_CODE: tuple[int, ...] = tuple(SECTION_CODE[sub.section] for sub in SUBSECTIONS)
CROSS_LIST_SHARE = 0.08


@dataclass(frozen=True)
class Block:
    """A story block: `tag` is "p" or "h2"; `html` its inner markup; `text` its collapsed text."""

    tag: str
    html: str
    text: str


@dataclass(frozen=True)
class Image:
    path: str  # /wp-content/uploads/YYYY/MM/name.jpg
    attachment_id: int
    caption: str
    credit: str

    @property
    def thumb_path(self) -> str:
        return self.path.removesuffix(".jpg") + "-250x148.jpg"


@dataclass(frozen=True)
class Article:
    index: int
    post_id: int
    section: Section
    subsection: Subsection
    cross: Subsection | None
    published: datetime  # JST, real seconds (JSON-LD); pages show the minute
    modified: datetime
    title: str
    title_sep: str  # " &#045; " or " | " before "The Japan News" in <title>
    blocks: tuple[Block, ...]
    byline: str | None
    authors: tuple[str, ...]
    images: tuple[Image, ...]
    tags: tuple[str, ...]
    access: str
    layout: str  # "2024" or "unknown"
    has_meta: bool  # unknown layout only: False = no og/article meta and no JSON-LD
    cms_user: str
    date_in_time_tag: bool  # unknown layout: date line in <time> instead of <p>
    revised_at: datetime | None = None  # set when the page shows its "(UPDATE 1)" revision
    # set by fault modes only (replica/faults/): how the page misstates its times ("impossible",
    # "missing", "naive"; "" = as they are) and whether it shows no title at all
    time_fault: str = ""
    untitled: bool = False

    @property
    def date_slug(self) -> str:
        return self.published.strftime("%Y%m%d")

    @property
    def path(self) -> str:
        return f"/{self.section.slug}/{self.subsection.slug}/{self.date_slug}-{self.post_id}/"

    @property
    def description(self) -> str:
        return self.blocks[0].text

    @property
    def listed_under(self) -> tuple[str, ...]:
        subs = [self.subsection.slug]
        if self.cross is not None:
            subs.append(self.cross.slug)
        return tuple(subs)

    def excerpt(self, limit: int = 100) -> str:
        return cut(self.description, limit)


@dataclass(frozen=True)
class Revision:
    """An article's one "(UPDATE 1)" rewrite, due `at` (JST, whole minute)."""

    at: datetime
    note: str  # the paragraph appended to the story

    def apply(self, a: Article) -> Article:
        note = Block("p", html.escape(self.note, quote=False), self.note)
        return replace(
            a,
            title=updated_title(a.title),
            blocks=(*a.blocks, note),
            modified=self.at,
            revised_at=self.at,
        )


def updated_title(title: str) -> str:
    # a few headlines are born "(UPDATE 1)" (wire copy); their rewrite is the second update
    if title.endswith(UPDATE_SUFFIX):
        return title.removesuffix(UPDATE_SUFFIX) + " (UPDATE 2)"
    return title + UPDATE_SUFFIX


def cut(text: str, limit: int) -> str:
    """Cut at a word boundary near `limit` and add "..." as the site's lists do."""
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ")
    return head + "..."


def minute(t: datetime) -> datetime:
    return t.replace(second=0, microsecond=0)


def iso_jst(t: datetime) -> str:
    return t.astimezone(JST).isoformat(timespec="seconds")


def iso_utc(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_now(value: str) -> datetime:
    """Parse an ISO 8601 time; a time without offset means Japan time. Raises ValueError."""
    t = datetime.fromisoformat(value.strip())
    return t.replace(tzinfo=JST) if t.tzinfo is None else t


class Corpus:
    """All articles of one (size, seed), with an optional cut-off `now`.

    `now` hides articles published after it and revisions due after it; it may lie past the
    newest article (then every article is visible and later revisions show).
    """

    def __init__(self, articles: int = 1500, seed: int = 1, now: datetime | None = None) -> None:
        if articles < 1:
            raise ValueError("the corpus needs at least 1 article")
        if now is not None and now.tzinfo is None:
            now = now.replace(tzinfo=JST)
        self.size = articles
        self.seed = seed
        self.now = now
        self._build_index()
        cutoff = int(now.timestamp()) if now is not None else None
        self.visible = self.size if cutoff is None else bisect_right(self._times, cutoff)
        self._by_sub = self._index_lists(lambda i: self._listing_codes(i))
        self._by_section = self._index_lists(lambda i: (self._section_code(i),))
        self.article = lru_cache(maxsize=4096)(self._generate)

    # ----- the small up-front index ---------------------------------------------------------

    def _build_index(self) -> None:
        """Draw, per article, a fixed number of values from one seeded stream, in index order."""
        rng = random.Random(f"replica-index/{self.seed}")
        weights = [sub.weight for sub in SUBSECTIONS]
        codes = list(range(len(SUBSECTIONS)))
        self._codes = array("b")
        self._cross = array("b")
        self._photos = array("b")
        self._times = array("q")
        self._ids = array("l")
        t, post_id, g7_slot = 0, 0, 0
        for i in range(self.size):
            if i % G7_BLOCK == 0:
                g7_slot = rng.randrange(G7_BLOCK)
            code = rng.choices(codes, weights)[0]
            code = G7_CODE if i % G7_BLOCK == g7_slot else code
            roll = rng.random()
            photos = 0 if roll < 0.5 else (2 if roll > 0.94 else 1)
            # attachments share WordPress' post counter: the gap is 1 + the photos uploaded
            post_id += 1 + photos
            t += rng.randint(3600, 7200)  # ~90 minutes apart, with jitter
            self._codes.append(code)
            self._cross.append(self._draw_cross(rng, code))
            self._photos.append(photos)
            self._times.append(t)
            self._ids.append(post_id)
        shift_t = int(CORPUS_END.timestamp()) - rng.randint(0, 3599) - t
        shift_id = max(1000, 345_000 - 2 * self.size)
        for i in range(self.size):
            self._times[i] += shift_t
            self._ids[i] += shift_id

    @staticmethod
    def _draw_cross(rng: random.Random, code: int) -> int:
        roll, other = rng.random(), rng.choice(POLITICS_CODES)
        if code not in POLITICS_CODES or roll >= CROSS_LIST_SHARE or other == code:
            return -1
        return other

    def _listing_codes(self, i: int) -> tuple[int, ...]:
        cross = self._cross[i]
        return (self._codes[i],) if cross < 0 else (self._codes[i], cross)

    def _section_code(self, i: int) -> int:
        return SECTION_OF_CODE[self._codes[i]]

    def _index_lists(self, keys: Any) -> list[array]:
        lists: list[array] = []
        for i in range(self.size):
            for key in keys(i):
                while len(lists) <= key:
                    lists.append(array("l"))
                lists[key].append(i)
        return lists

    # ----- queries ------------------------------------------------------------------------

    @property
    def reference_now(self) -> datetime:
        """`now`, or (no cut-off) the hour after the newest article: keeps pages deterministic."""
        if self.now is not None:
            return self.now.astimezone(JST)
        last = datetime.fromtimestamp(self._times[-1], JST)
        return minute(last).replace(minute=0) + timedelta(hours=1)

    def published_at(self, i: int) -> datetime:
        return datetime.fromtimestamp(self._times[i], JST)

    def first_index_at(self, t: datetime) -> int:
        """Index of the first article published at or after `t` (may be past the visible ones)."""
        return bisect_left(self._times, int(t.timestamp()))

    def index_of_post(self, post_id: int) -> int | None:
        """The visible article index with this post ID, else None."""
        i = bisect_left(self._ids, post_id)
        return i if i < self.visible and self._ids[i] == post_id else None

    @property
    def last_post_id(self) -> int:
        """The highest post ID of the corpus, visible or not: no article has a higher one."""
        return self._ids[-1]

    def latest(self) -> range:
        """Visible article indices, newest first."""
        return range(self.visible - 1, -1, -1)

    def subsection_latest(self, slug: str) -> Sequence[int]:
        return self._newest_first(self._by_sub, SUB_CODE[slug])

    def section_latest(self, slug: str) -> Sequence[int]:
        return self._newest_first(self._by_section, SECTION_CODE[slug])

    def _newest_first(self, lists: list[array], key: int) -> Sequence[int]:
        items = lists[key] if key < len(lists) else array("l")
        end = bisect_left(items, self.visible)
        return _Reversed(items, end)

    def popular(self, pool: Sequence[int], count: int, salt: str) -> list[int]:
        """A deterministic 'ranking': `count` picks among the newest 300 of `pool`."""
        window = list(pool[: min(len(pool), 300)])
        rng = random.Random(f"{self.seed}/popular/{self.visible}/{salt}")
        return rng.sample(window, min(count, len(window)))

    # ----- article generation -------------------------------------------------------------

    def revision(self, i: int) -> Revision | None:
        """Article i's scheduled revision, shown or not at `now`; None for most articles."""
        # its own stream: the index and article streams (and so every old page) stay as they were
        rng = random.Random(f"replica-revision/{self.seed}/{i}")
        if rng.random() >= REVISION_SHARE:
            return None
        at = minute(self.published_at(i)) + timedelta(minutes=rng.randint(*REVISION_MINUTES))
        return Revision(at, rng.choice(words.REVISION_NOTES))

    def _generate(self, i: int) -> Article:
        if not 0 <= i < self.size:
            raise IndexError(i)
        article = _ArticleWriter(self, i).write()
        revision = self.revision(i)
        if revision is None or revision.at > self.reference_now:
            return article
        return revision.apply(article)

    # ----- ground truth -------------------------------------------------------------------

    def manifest_records(self) -> Iterator[dict[str, Any]]:
        """One ground-truth record per visible article, in post-ID order."""
        for i in range(self.visible):
            yield manifest_record(self._generate(i))


class _Reversed(Sequence[int]):
    """items[:end] newest first, without copying the array."""

    def __init__(self, items: array, end: int) -> None:
        self._items, self._end = items, end

    def __len__(self) -> int:
        return self._end

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(self._end))]
        if k < 0:
            k += self._end
        if not 0 <= k < self._end:
            raise IndexError(k)
        return self._items[self._end - 1 - k]


def manifest_record(a: Article) -> dict[str, Any]:
    meta = a.layout == "2024" or a.has_meta
    return {
        "url": REAL_ORIGIN + a.path,
        "id": f"japannews:{a.post_id}",
        "section": a.section.slug,
        "subsection": a.subsection.slug,
        "title": a.title,
        "published": iso_jst(minute(a.published)),
        "published_utc": iso_utc(minute(a.published)),
        "modified": iso_jst(minute(a.modified)) if meta else None,
        "authors": list(a.authors),
        "byline": a.byline,
        "body": "\n\n".join(b.text for b in a.blocks),
        "images": [
            {"url": REAL_ORIGIN + im.path, "caption": im.caption, "credit": im.credit}
            for im in a.images
        ],
        "tags": list(a.tags),
        # Only the 2024 layout carries the cXense article type; unknown-layout pages give no hint.
        "access": a.access if a.layout == "2024" else None,
        "description": a.description if meta else None,
        "layout": a.layout,
        "listed_under": list(a.listed_under),
        "revised_at": iso_jst(a.revised_at) if a.revised_at else None,
        # what a correct crawl exports for this article; fault modes may turn it off
        "expected_export": True,
        # the fault modes that affect this article (filled in by faults.amend_records)
        "faults": [],
    }


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def collapse(markup: str) -> str:
    """Text content of inline markup with whitespace collapsed (what an extractor sees)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", markup))).strip()


class _ArticleWriter:
    """Writes article i from its own random stream; the corpus index gives it the fixed facts."""

    def __init__(self, corpus: Corpus, i: int) -> None:
        self.corpus = corpus
        self.i = i
        self.rng = random.Random(f"replica-article/{corpus.seed}/{i}")
        self.sub = SUBSECTIONS[corpus._codes[i]]
        self.sec = SECTION_BY_SLUG[self.sub.section].slug
        self._sentences: list[str] = []  # a shuffled deck: no template repeats until it runs out

    def write(self) -> Article:
        c, i, rng = self.corpus, self.i, self.rng
        layout = "unknown" if rng.random() < UNKNOWN_LAYOUT_SHARE else "2024"
        has_meta = layout == "2024" or rng.random() < 0.5
        published = c.published_at(i)
        byline, authors = self._byline()
        cross = c._cross[i]
        return Article(
            index=i,
            post_id=c._ids[i],
            section=SECTION_BY_SLUG[self.sec],
            subsection=self.sub,
            cross=SUBSECTIONS[cross] if cross >= 0 else None,
            published=published,
            modified=self._modified(published),
            title=self._title(),
            title_sep=" | " if rng.random() < 0.15 else " &#045; ",
            blocks=self._blocks(),
            byline=byline,
            authors=authors,
            images=self._images(published),
            tags=self._tags() if layout == "unknown" else (),
            access="premium" if rng.random() < 0.05 else "free",
            layout=layout,
            has_meta=has_meta,
            cms_user=rng.choice(words.CMS_USERS),
            date_in_time_tag=rng.random() < 0.5,
        )

    # -- small parts --

    def _fill(self, template: str) -> str:
        return fill(self.rng, self.sec, template)

    def _title(self) -> str:
        title = self._fill(self.rng.choice(words.HEADLINE_TEMPLATES))
        if self.rng.random() < 0.04:
            title += " (UPDATE 1)"
        if self.sub.slug == "political-series":
            title = f"{self.rng.choice(words.SERIES_NAMES)} / {title}"
        return title

    def _modified(self, published: datetime) -> datetime:
        if self.rng.random() < 0.3:
            return published + timedelta(minutes=self.rng.randint(3, 600))
        return published

    def _byline(self) -> tuple[str | None, tuple[str, ...]]:
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            return None, ()
        if roll < 0.5:
            return "The Yomiuri Shimbun", ()
        count = r.choices([1, 2, 3], [0.6, 0.3, 0.1])[0]
        names = tuple(
            f"{r.choice(words.FIRST_NAMES)} {r.choice(words.LAST_NAMES)}" for _ in range(count)
        )
        if count == 1:
            role = "Correspondent" if self.sec == "world" and r.random() < 0.5 else "Staff Writer"
            return f"By {names[0]} / Yomiuri Shimbun {role}", names
        joined = " and ".join(names) if count == 2 else f"{names[0]}, {names[1]} and {names[2]}"
        return f"By {joined} / Yomiuri Shimbun Staff Writers", names

    def _images(self, published: datetime) -> tuple[Image, ...]:
        count = self.corpus._photos[self.i]
        post_id = self.corpus._ids[self.i]
        images = []
        for k in range(count):
            serial = self.rng.randint(50001, 50999)
            name = f"{published:%Y%m%d}-OYT1I{serial}-L.jpg"
            images.append(
                Image(
                    path=f"/wp-content/uploads/{published:%Y/%m}/{name}",
                    attachment_id=post_id - count + k,
                    caption=self._fill(self.rng.choice(words.CAPTIONS)),
                    credit=self.rng.choice(words.PHOTO_CREDITS),
                )
            )
        return tuple(images)

    def _tags(self) -> tuple[str, ...]:
        pool = words.TAGS[self.sec]
        return tuple(self.rng.sample(pool, self.rng.randint(1, 3)))

    # -- the story --

    def _blocks(self) -> tuple[Block, ...]:
        r = self.rng
        n = r.randint(3, 12)
        blocks = [self._paragraph(first=True)]
        headings = r.randint(1, 2) if r.random() < 0.4 and n >= 4 else 0
        # never first or last: a story does not end on a sub-heading
        heading_at = set(r.sample(range(2, n - 1), min(headings, n - 3)))
        heading_at -= {k + 1 for k in heading_at}  # and never two in a row
        used: set[str] = set()
        for k in range(1, n):
            if k in heading_at:
                text = r.choice([h for h in words.SUBHEADINGS if h not in used])
                used.add(text)
                blocks.append(Block("h2", html.escape(text, quote=False), text))
            else:
                blocks.append(self._paragraph(first=False))
        return tuple(blocks)

    def _paragraph(self, first: bool) -> Block:
        r = self.rng
        pieces = [self._sentence_html() for _ in range(r.randint(1, 4))]
        if first and r.random() < 0.25:
            pieces[0] = f"{r.choice(words.DATELINES[self.sec])} — {pieces[0]}"
        # the source wraps some paragraphs over several lines; collapsed text has single spaces
        markup = "".join(p + (" " if r.random() < 0.8 else "\n") for p in pieces).strip()
        return Block("p", markup, collapse(markup))

    def _sentence_html(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.08:
            phrase, href = r.choice(words.INLINE_LINKS)
            link = f'<a href="{href}" target="_blank" rel="noopener">{phrase}</a>'
            return r.choice(words.INLINE_SENTENCES).format(phrase=link, weekday="Monday")
        if roll < 0.13:
            before, em, after = r.choice(words.EMPHASIS_SENTENCES)
            tag = r.choice(["em", "strong"])
            return html.escape(before, quote=False) + f"<{tag}>{em}</{tag}>" + after
        if not self._sentences:
            self._sentences = r.sample(words.SENTENCE_TEMPLATES, len(words.SENTENCE_TEMPLATES))
        return html.escape(self._fill(self._sentences.pop()), quote=False)


def fill(rng: random.Random, section: str, template: str) -> str:
    """A headline or sentence TEMPLATE of words.py filled with SECTION's actors and topics."""
    actor, actor2 = rng.sample(words.ACTORS[section], 2)
    verb, topic = rng.choice(words.VERB_PHRASES[section]), rng.choice(words.TOPICS[section])
    return template.format(
        actor=actor,
        actor2=actor2,
        verb=verb,
        topic=topic,
        verb_lower=verb.lower(),
        topic_lower=topic.lower(),
        year=rng.randint(2025, 2028),
        weekday=rng.choice(words.WEEKDAYS),
        month=rng.choice(words.MONTHS),
        amount=rng.randint(2, 95),
        percent=rng.randint(18, 74),
        rank=rng.randint(11, 19),
        age=rng.randint(24, 81),
        ordinal=rng.choice(words.ORDINALS),
    )
