from __future__ import annotations

import pytest

from newscrawl.items import ArticleItem
from newscrawl.pipelines.boilerplate import BoilerplatePipeline, strip_boilerplate
from newscrawl.sites.japannews import strip_furniture

# The Japan News' furniture: the rules of the site that an item's URL is on.
URL = "https://japannews.yomiuri.co.jp/politics/politics-government/20241013-216478/"

STORY = [
    "WASHINGTON — Japan and the United States agreed on Saturday to deepen talks.",
    "The cabinet's approval ranking fell to 30%, the lowest since it took office.",
    "Nuclear umbrella",
    "The measure is popular among voters, a survey showed.",
    "Is this the most popular policy of the year? Analysts are divided.",
]
POPULAR = [
    '"Politics" POPULAR ARTICLE',
    "Ishiba Vows to Dissolve Lower House",
    "Japan, China Hold Talks on Seafood Ban",
    "LDP Presidential Race: Who Will Win?",
    "Cabinet Approval Rating Falls to Record Low...",
    "Opposition Parties Agree on Joint Candidates",
]
RANKING = [
    "JN ACCESS RANKING",
    "- Typhoon Hits Okinawa",
    "- Yen Weakens Against Dollar",
    "- Popular Hot Spring Town Sees Record Visitors",
    "- Nikkei Average Hits Record High",
    "- Emperor Visits Quake-Hit Area",
]
FIXED = [
    "Add TheJapanNews to your Google News feed.",
    "Please disable the ad blocking feature.",
    "To use this site, please disable the ad blocking feature and reload the page.",
    "This website uses cookies to collect information about your visit for purposes such as "
    "showing you personalized ads and content, and analyzing our website traffic. By clicking "
    "“Accept all,” you will allow the use of these cookies.",
    "Users accessing this site from EEA countries and UK are unable to view this site without "
    "your consent. We apologize for any inconvenience caused.",
    "The Japan News / Weekly Edition",
    "Our weekly ePaper presents the most noteworthy recent topics in an exciting, readable fomat.",
    "Read more",
    "© 2024 The Japan News - by The Yomiuri Shimbun",
]
LISTS = [
    "Politics & Government Latest Articles",
    "Ishiba to Meet Biden in Lima...",
    "Latest Articles",
    "Yen Weakens Against Dollar",
    "Popular Articles",
    "Hot Spring Town Sees Record Visitors",
]
CLEAN = "\n\n".join(STORY)


@pytest.mark.parametrize(
    ("furniture", "separator"),
    [
        (POPULAR + RANKING, "\n"),  # a flat text dump: one line each
        (POPULAR + RANKING, "\n\n"),
        ([line.lstrip("- ") for line in RANKING] + POPULAR, "\n"),  # no list markers
        (["- " + line for line in POPULAR] + RANKING, "\n"),
        (FIXED, "\n"),
        (LISTS, "\n"),
        (FIXED + LISTS + POPULAR + RANKING, "\n\n"),
    ],
)
def test_furniture_after_the_story_is_removed(furniture, separator):
    cleaned, removed = strip_boilerplate(separator.join(STORY + furniture), strip_furniture)
    assert cleaned == CLEAN
    assert sum(removed.values()) == len(furniture)


def test_modal_before_the_story_is_removed():
    cleaned, _ = strip_boilerplate("\n".join(FIXED[1:5] + STORY), strip_furniture)
    assert cleaned == CLEAN


def test_story_mentioning_popular_or_ranking_stays():
    cleaned, removed = strip_boilerplate(CLEAN, strip_furniture)
    assert cleaned == CLEAN
    assert not removed


def test_block_stops_at_story_prose():
    text = "\n".join([*POPULAR, "The story goes on after the inset, officials said.", *STORY])
    cleaned, _ = strip_boilerplate(text, strip_furniture)
    assert cleaned.split("\n\n")[0] == "The story goes on after the inset, officials said."


def test_pipeline_cleans_body_and_description_and_counts(crawler):
    item = ArticleItem(url=URL, body="\n".join(STORY + POPULAR + RANKING), description="Read more")
    pipeline = BoilerplatePipeline.from_crawler(crawler)
    pipeline.process_item(item)
    assert item["body"] == CLEAN
    assert item["description"] is None
    stats = crawler.stats
    assert stats.get_value("newscrawl/boilerplate/removed") == len(POPULAR + RANKING) + 1
    assert stats.get_value("newscrawl/boilerplate/removed/popular_article") == len(POPULAR)
    assert stats.get_value("newscrawl/boilerplate/removed/access_ranking") == len(RANKING)


@pytest.mark.parametrize(
    "furniture",
    [
        # 2026 snapshots: "Most Read" with a "See all" control, the tab line.
        [
            "Most Read",
            "See all",
            "Ishiba Vows to Dissolve Lower House",
            "Yen Weakens Against Dollar",
        ],
        [
            "Popular articles in the past 24 hours / week / month",
            "Typhoon Hits Okinawa",
            "24 hours",
            "Emperor Visits Quake-Hit Area",
        ],
        # Headlines ending in an abbreviation's full stop, or a question or exclamation mark.
        [
            "Popular Articles",
            "Japan Seeks Closer Ties With U.S.",
            "Toyota Motor Corp.",
            "- Next One",
        ],
        ["JN ACCESS RANKING", "LDP Presidential Race: Who Will Win?", "Japan Wins Gold!"],
        # Many marked items: no cap.
        ["Popular Articles", *[f"- Headline Number {n}" for n in range(25)]],
        ["Top Articles in Sports", "Ohtani Hits 50th Home Run", "Sumo Champion Retires"],
        ["© The Yomiuri Shimbun"],
    ],
)
def test_2026_furniture_is_removed(furniture):
    cleaned, removed = strip_boilerplate("\n".join(STORY + furniture), strip_furniture)
    assert cleaned == CLEAN
    assert sum(removed.values()) == len(furniture)


def test_story_question_after_a_block_stays():
    text = "\n".join(
        ['"Politics" POPULAR ARTICLE', "- Ishiba Vows", "Will the LDP survive?", "Nuclear umbrella"]
    )
    cleaned, _ = strip_boilerplate(text, strip_furniture)
    assert cleaned == "Will the LDP survive?\n\nNuclear umbrella"


def test_generic_furniture_only_in_generic_text():
    """ "Read more" and share prompts are any site's furniture, but only text the generic path
    extracted is held to those rules: a site module's exact story keeps its sentences."""
    story = "Residents were told to follow official updates on X and other platforms."
    text = f"{story}\n\nRead more: Council budget vote delayed\n\nShare this article"
    assert strip_boilerplate(text, strip_furniture)[0] == text
    cleaned, removed = strip_boilerplate(text, strip_furniture, generic=True)
    assert cleaned == story and removed["generic"] == 2


def test_another_modules_items_keep_the_japan_news_rules_lines(crawler):
    """The Japan News' furniture rules are its own: an item of another site module's host is
    held to that module's rules only (The Japan Times declares none)."""
    body = "\n".join(STORY + RANKING + LISTS)
    url = "https://www.japantimes.co.jp/news/2024/10/13/japan/politics/a-story/"
    item = ArticleItem(url=url, body=body)
    BoilerplatePipeline.from_crawler(crawler).process_item(item)
    assert item["body"] == body
    assert crawler.stats.get_value("newscrawl/boilerplate/removed") is None


def test_a_host_without_a_module_is_held_to_every_modules_rules(crawler):
    """Such a host may serve a known site's pages: the offline replica of The Japan News read
    through the generic path loses the site's furniture."""
    item = ArticleItem(
        url="http://127.0.0.1:8000/politics/politics-government/20241013-216478/",
        body="\n".join(STORY + POPULAR + RANKING),
        generic_text=True,
    )
    BoilerplatePipeline.from_crawler(crawler).process_item(item)
    assert item["body"] == CLEAN


def test_a_generic_read_of_the_site_loses_its_furniture_too(crawler):
    """`news -a site=generic` on The Japan News ("japannewsweb"): the host's rules apply, and
    the generic rules on the description the generic path gave."""
    item = ArticleItem(
        url=URL,
        site="japannewsweb",
        body="\n\n".join(STORY + POPULAR),
        description="Share this article",
        generic_text=True,
    )
    BoilerplatePipeline.from_crawler(crawler).process_item(item)
    assert item["body"] == CLEAN
    assert item["description"] is None
    stats = crawler.stats
    assert stats.get_value("newscrawl/boilerplate/removed/popular_article") == len(POPULAR)
    assert stats.get_value("newscrawl/boilerplate/removed/generic") == 1


def test_a_site_modules_fallback_body_is_held_to_the_generic_rules(crawler):
    item = ArticleItem(
        url=URL, body=f"{CLEAN}\n\nRead more: Council budget vote delayed", flags=["fallback_body"]
    )
    BoilerplatePipeline.from_crawler(crawler).process_item(item)
    assert item["body"] == CLEAN
    assert crawler.stats.get_value("newscrawl/boilerplate/removed/generic") == 1
