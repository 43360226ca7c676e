"""Property-based tests of the boilerplate pipeline (issue 5, item 4).

A story is never shortened; any of the site's furniture appended to it, in any order, is removed
exactly; the pipeline never raises and a second run changes nothing.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscrawl.extract import pipeline_crawler
from newscrawl.items import ArticleItem
from newscrawl.pipelines.boilerplate import BoilerplatePipeline, strip_boilerplate
from newscrawl.sites.japannews import strip_furniture
from newscrawl.text import clean_text

PIPELINE = BoilerplatePipeline.from_crawler(pipeline_crawler())
PROPERTY = settings(max_examples=200, deadline=None)
# The furniture is the site's: its items are on its host.
URL = "https://japannews.yomiuri.co.jp/politics/politics-government/20241013-216478/"

# --- story text ---------------------------------------------------------------------------------

LOWER = (
    "the government said on monday that it would raise its forecast for economic growth after"
    " exports rose sharply in the quarter while consumers kept spending despite higher prices and"
    " a weak yen officials told reporters according to sources familiar with the matter popular"
    " ranking latest articles most read weekly edition cookies accept all read more see all"
).split()
NAMES = (
    "Japan Tokyo Osaka Ishiba Kishida Biden Xi Beijing Washington LDP Nikkei Toyota Yomiuri"
    " Shimbun Diet Okinawa Hokkaido U.S. China Russia Ukraine BOJ NHK JR Ohtani Dodgers"
).split()
NUMBERS = st.sampled_from(["2024", "30%", "¥1.2 trillion", "$5 billion", "No. 1", "3.5", "10,000"])
WORD = st.one_of(
    st.sampled_from(LOWER), st.sampled_from(LOWER), st.sampled_from(LOWER), st.sampled_from(NAMES)
)
# Quoted furniture inside prose: a sentence may mention anything.
MENTION = st.sampled_from(
    [
        '"Latest Articles"',
        "Latest Articles",
        "POPULAR ARTICLE",
        "JN ACCESS RANKING",
        "Add TheJapanNews to your Google News feed.",
        "Please disable the ad blocking feature.",
        "Related Tags",
        "Read more",
        "© The Yomiuri Shimbun",
    ]
)
DATELINES = st.sampled_from(
    ["", "", "TOKYO — ", "WASHINGTON — ", "OSAKA — ", "BEIJING (Reuters) — ", "NEW YORK (AP) — "]
)


# Strategies drawn from inside the composites below are made once, here: one made at each draw
# costs Hypothesis more than the draw itself.
MORE_WORDS = st.lists(st.one_of(WORD, WORD, WORD, NUMBERS, MENTION), min_size=2, max_size=24)
ENDS = st.sampled_from([".", ".", ".", "?", "!", '."', ".”", ")."])


@st.composite
def sentences(draw) -> str:
    # Any word but the first may be a mention of furniture: a paragraph that opens with
    # "© The Yomiuri Shimbun" is a copyright line, not story prose.
    words = [draw(WORD)]
    words += draw(MORE_WORDS)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(words) - 1))
        words[at] = f"“{words[at]},”" if draw(st.booleans()) else f"{words[at]},"
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    return text + draw(ENDS)


SENTENCES = st.lists(sentences(), min_size=1, max_size=4)


@st.composite
def story_paragraphs(draw) -> str:
    text = draw(DATELINES) + " ".join(draw(SENTENCES))
    return text


# Furniture phrases: a paragraph of arbitrary text that holds none of them is plain story.
FURNITURE_PHRASES = (
    "popular article", "access ranking", "latest articles", "most read", "top articles",
    "related tags", "related articles", "popular articles", "google news", "ad blocking",
    "cookie", "eea countries", "inconvenience", "accept all", "reject all", "weekly edition",
    "weekly epaper", "read more", "see all", "hot word", "©",
)  # fmt: skip


def plain(text: str) -> bool:
    return not any(phrase in text.lower() for phrase in FURNITURE_PHRASES)


ARBITRARY_PARAGRAPHS = st.text(min_size=1, max_size=200).map(clean_text).filter(bool).filter(plain)
# Sub-headings as the site writes them ("Nuclear umbrella"): sentence case, no full stop. One that
# is word for word a furniture line ("Most read", "Read more") cannot be told from furniture.
SUBHEADINGS = (
    st.lists(st.sampled_from(LOWER), min_size=1, max_size=4)
    .map(lambda words: " ".join(words).capitalize())
    .filter(plain)
)
PARAGRAPHS = st.one_of(story_paragraphs(), story_paragraphs(), SUBHEADINGS, ARBITRARY_PARAGRAPHS)
# A body as the spider writes it: clean paragraphs, one blank line apart.
STORIES = st.lists(PARAGRAPHS, min_size=1, max_size=8).map("\n\n".join)

# --- furniture, as the site shows it (docs: /work/shared/site-japannews.md) ----------------------

SECTIONS = [
    "Politics", "Society", "Business", "World", "Sports", "Science & Nature", "Culture",
    "Editorial & Columns", "JN Specialties", "Features", "News Services",
]  # fmt: skip
SUBSECTIONS = [
    "Politics & Government", "Defense & Security", "Elections", "Crime & Courts",
    "Imperial Family", "Economy", "Companies", "Markets", "Asia-Pacific", "U.S. & Canada",
    "Europe", "Wider World", "AP", "Reuters", "AFP-Jiji", "Yomiuri Editorial", "Political Pulse",
    "Noto Peninsula Earthquake", "G7 Summit", "Baseball",
]  # fmt: skip
# Headlines are Title Case: a subject, a verb, an object, minor words lowercase.
SUBJECTS = (
    "Japan|Japan's Cabinet|Tokyo|Ishiba|Kishida|LDP|Yen|Nikkei|Typhoon|Okinawa|Emperor|Toyota"
    "|Toyota Motor Corp.|China|U.S.|Japan, U.S.|Ohtani|Dodgers|BOJ|Govt.|Kyoto Univ. Team"
    "|Tourists|Rice Prices|Hot Spring Town|Opposition Parties|Exports|2 Dead, 5 Injured"
).split("|")
VERBS = (
    "Vows|Hits|Falls|Rises|Seeks|Eyes|Plans|Agree|Weakens|Boosts|Holds|Sees|Uses|Wins|Signs"
    "|to Dissolve|to Boost|to Meet|Set to Raise|Considering"
).split("|")
OBJECTS = (
    "Lower House|Record High|Record Low|Talks|Trade Deal|Interest Rate|Defense Budget|Tariffs"
    "|Seafood Ban|Record Visitors|iPS Cells|'Nuclear Umbrella'|“Abenomics”|50th Home Run|Gold"
    "|¥1.2 Tril.|3%|Biden|Xi|Dollar|Quake-Hit Area|Joint Candidates|Closer Ties"
).split("|")
PREPOSITIONS = ["", "", "on", "in", "for", "with", "amid", "Against", "Over", "After"]
ENDINGS = ["", "", "", "?", "!", "...", "…", " (UPDATE 1)", " in Sept.", " With U.S.", " Corp."]


HEADLINE_PARTS = {
    "subject": st.sampled_from(SUBJECTS),
    "verb": st.sampled_from(VERBS),
    # Distinct objects: the pipeline tells a headline by its Title Case (at most a quarter of its
    # words lowercase, documented); "iPS Cells" twice in one headline would be half lowercase.
    "objects": st.lists(st.sampled_from(OBJECTS), min_size=1, max_size=3, unique=True),
    "preposition": st.sampled_from(PREPOSITIONS),
    "prefix": st.sampled_from(["LDP Race", "Series", "Yomiuri Poll", "Editorial"]),
    "ending": st.sampled_from(ENDINGS),
}


@st.composite
def headlines(draw) -> str:
    part = HEADLINE_PARTS
    title = f"{draw(part['subject'])} {draw(part['verb'])}"
    for noun in draw(part["objects"]):
        preposition = draw(part["preposition"])
        title += f" {preposition} {noun}".replace("  ", " ")
    if draw(st.booleans()):
        title = f"{draw(part['prefix'])}: {title}"
    title += draw(part["ending"])
    if len(title) > 65 and draw(st.booleans()):  # list titles cut to ~65 characters + "..."
        title = title[:65].rstrip() + "..."
    return title


MARKERS = st.sampled_from(["", "", "- ", "• ", "1. "])
HEADLINES = {count: st.lists(headlines(), min_size=count, max_size=count) for count in (3, 4, 5, 8)}


@st.composite
def list_block(draw, header, count, controls=()) -> list[str]:
    marker = draw(MARKERS)
    lines = [header]
    items = [marker + line for line in draw(HEADLINES[count])]
    for control in controls:  # "See all", "24 hours": anywhere in the list
        items.insert(draw(st.integers(0, len(items))), control)
    return lines + items


def quoted(section: str) -> st.SearchStrategy[str]:
    return st.sampled_from([f'"{section}" POPULAR ARTICLE', f"“{section}” POPULAR ARTICLE"])


BLOCKS = st.one_of(
    st.sampled_from(SECTIONS).flatmap(quoted).flatmap(lambda header: list_block(header, 5)),
    list_block("JN ACCESS RANKING", 5),
    st.sampled_from(SUBSECTIONS).flatmap(lambda sub: list_block(f"{sub} Latest Articles", 4)),
    list_block("Latest Articles", 4),
    list_block("Popular Articles", 8),
    list_block("Most Read", 5, controls=["See all"]),
    list_block("Popular articles in the past 24 hours / week / month", 5, controls=["24 hours"]),
    st.sampled_from(["Sports", "Business", "Science & Nature"]).flatmap(
        lambda section: list_block(f"Top Articles in {section}", 5)
    ),
    list_block("Related Articles", 3),
    st.lists(
        st.sampled_from(["#Politics", "#LDP", "#Ishiba Shigeru", "Japan-U.S. Relations", "BOJ"]),
        min_size=1,
        max_size=5,
    ).map(lambda tags: ["Related Tags", *tags]),
)
FIXED = st.sampled_from(
    [
        ["Add TheJapanNews to your Google News feed."],
        ["Please disable the ad blocking feature."],
        ["To use this site, please disable the ad blocking feature and reload the page."],
        [
            "This website uses cookies to collect information about your visit for purposes such"
            " as showing you personalized ads and content, and analyzing our website traffic. By"
            " clicking “Accept all,” you will allow the use of these cookies."
        ],
        [
            "Users accessing this site from EEA countries and UK are unable to view this site"
            " without your consent. We apologize for any inconvenience caused."
        ],
        ["Accept all", "Reject all", "Cookie settings"],
        [
            "The Japan News / Weekly Edition",
            "Our weekly ePaper presents the most noteworthy recent topics in an exciting,"
            " readable fomat.",
            "Read more",
        ],
        ["© 2024 The Japan News - by The Yomiuri Shimbun"],
        ["Hot word : Ishiba Cabinet / U.S. Tariffs / Rice Shortage"],
    ]
)
# One piece of furniture: its lines one per line (a flat text dump) or a blank line apart.
FURNITURE = st.tuples(st.one_of(BLOCKS, FIXED), st.sampled_from(["\n", "\n\n"])).map(
    lambda piece: piece[1].join(piece[0])
)


def run(body: str | None, description: str | None = None) -> ArticleItem:
    return PIPELINE.process_item(ArticleItem(url=URL, body=body, description=description))


# --- properties ---------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
@example("JN ACCESS RANKING\n\u2028- A\x85Latest Articles\r\n", "Read more")
def test_never_raises_and_a_second_run_changes_nothing(body, description):
    once = run(body, description)
    twice = run(once["body"], once["description"])
    assert twice["body"] == once["body"]
    assert twice["description"] == once["description"]


@PROPERTY
@given(STORIES, st.lists(FURNITURE, max_size=6))
def test_story_and_furniture_a_second_run_changes_nothing(story, furniture):
    once = run("\n\n".join([story, *furniture]))
    assert run(once["body"])["body"] == once["body"]


@PROPERTY
@given(STORIES)
def test_a_story_is_never_changed(story):
    cleaned, removed = strip_boilerplate(story, strip_furniture)
    assert cleaned == story
    assert not removed
    assert run(story, story)["body"] == story


@PROPERTY
@given(STORIES, st.lists(FURNITURE, max_size=8))
def test_furniture_after_a_story_in_any_order_is_removed(story, furniture):
    body = "\n\n".join([story, *furniture])
    item = run(body, description=story)
    assert item["body"] == story
    assert item["description"] == story


@PROPERTY
@given(
    st.lists(PARAGRAPHS, min_size=1, max_size=8),
    st.lists(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", "\n\n\n"]), min_size=8, max_size=8),
    st.lists(FURNITURE, min_size=1, max_size=4),
)
def test_removing_furniture_only_rejoins_paragraphs(paragraphs, separators, furniture):
    # Documented: once something is removed, the blocks left are joined by one blank line.
    body = "".join(p + sep for p, sep in zip(paragraphs, separators, strict=False))
    assert run(body + "\n".join(furniture))["body"] == "\n\n".join(paragraphs)


@PROPERTY
@given(STORIES, st.lists(FIXED.map("\n".join), min_size=1, max_size=4))
def test_modals_before_the_story_are_removed(story, modals):
    # The hidden ad-block and cookie modals come before everything in the page.
    assert run("\n".join([*modals, story]))["body"] == story


@PROPERTY
@given(st.lists(FURNITURE, min_size=1, max_size=6))
def test_furniture_alone_leaves_nothing(furniture):
    assert run("\n\n".join(furniture), "\n".join(furniture)).get("body") is None
