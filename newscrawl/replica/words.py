"""Word lists and phrase templates the corpus draws headlines, prose and people from.

Plain data only: the generator in corpus.py decides how they combine. The prose deliberately holds
the traps a text cleaner meets on the real site: curly quotes, em dashes, the yen sign, accented
letters, and ordinary sentences that mention "popular" or "ranking" (a boilerplate filter keyed on
those words must not eat them).
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Takeo", "Tatsuya", "Yuki", "Hiroshi", "Kenji", "Aya", "Mariko", "Shinichi", "Naoko", "Ryo",
    "Daisuke", "Emi", "Satoshi", "Kaori", "Masaki", "Tomoko", "Jun", "Haruka", "Kazuhiro", "Miho",
    "Yusuke", "Sayaka", "Koichi", "Nobuyuki", "Akira", "Rie", "Takashi", "Yoko", "Shota", "Mayumi",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Maeda", "Tanoue", "Suzuki", "Takahashi", "Watanabe", "Ito", "Yamamoto", "Nakamura",
    "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura", "Hayashi",
    "Shimizu", "Yamazaki", "Mori", "Ikeda", "Hashimoto", "Ishikawa", "Ogawa", "Okada", "Fujita",
    "Goto", "Nishimura", "Fukuda", "Ota", "Miura", "Okamoto", "Matsuda", "Nakajima", "Harada",
)  # fmt: skip

# WordPress user names of CMS accounts: the JSON-LD "author" is one of these, never the byline.
CMS_USERS: tuple[str, ...] = (
    "読売新聞 編集局", "ジャパンニューズ編集部", "読売新聞オンライン", "jn_editor", "国際部 デスク",
    "政治部 編集", "経済部 編集", "社会部 編集",
)  # fmt: skip

PHOTO_CREDITS: tuple[str, ...] = ("The Yomiuri Shimbun", "Yomiuri Shimbun file photo", "Reuters")

SERIES_NAMES: tuple[str, ...] = (
    "Political Pulse", "Road to the Upper House Election", "Inside the Kantei", "Diet Watch",
)  # fmt: skip

SUBHEADINGS: tuple[str, ...] = (
    "Nuclear umbrella", "Voter turnout", "Fiscal concerns", "Next steps", "Mixed reactions",
    "Supply chain risks", "Background", "Regional impact", "Diplomatic push", "Rising costs",
    "Key challenges", "Public reaction", "Security environment", "Behind the decision",
    "Labor shortage", "Calls for caution", "A long road", "Market jitters", "Local voices",
)  # fmt: skip

DATELINES: dict[str, tuple[str, ...]] = {
    "politics": ("WASHINGTON", "SEOUL", "HIROSHIMA", "OSAKA", "BRUSSELS"),
    "business": ("NEW YORK", "OSAKA", "NAGOYA", "SINGAPORE", "FRANKFURT"),
    "society": ("OSAKA", "SAPPORO", "FUKUOKA", "KYOTO", "SENDAI"),
    "world": ("WASHINGTON", "BEIJING", "SEOUL", "BANGKOK", "NEW YORK", "OTTAWA", "MANILA"),
}

# Per top-level section: who acts, what they do, and what about.
ACTORS: dict[str, tuple[str, ...]] = {
    "politics": (
        "Ishiba", "Kishida", "LDP", "Komeito", "CDPJ", "Cabinet", "Diet", "Government",
        "Defense Ministry", "Foreign Minister Iwaya", "Chief Cabinet Secretary Hayashi",
        "Opposition Parties", "Japan Innovation Party", "DPFP", "Ruling Bloc", "SDF",
    ),
    "business": (
        "BOJ", "Toyota", "Nissan", "Honda", "SoftBank", "Sony", "Rakuten", "Seven & i",
        "Japan Airlines", "Keidanren", "Finance Ministry", "Mitsubishi UFJ", "Panasonic",
        "Fast Retailing", "Nippon Steel", "Economy Ministry",
    ),
    "society": (
        "Police", "Tokyo District Court", "Supreme Court", "Osaka Prefecture", "Health Ministry",
        "Tokyo Metropolitan Government", "Prosecutors", "JR East", "Education Ministry",
        "Fire Department", "Kyoto City", "Meteorological Agency", "Hokkaido Town",
    ),
    "world": (
        "U.S.", "China", "South Korea", "North Korea", "Trump", "Xi", "Taiwan", "Philippines",
        "Canada", "Australia", "ASEAN", "India", "Vietnam", "Pentagon", "White House",
    ),
}  # fmt: skip

VERB_PHRASES: dict[str, tuple[str, ...]] = {
    "politics": (
        "Boost Defense Spending", "Review Political Funds Law", "Dissolve Lower House",
        "Seek Coalition Partner", "Tighten Export Controls", "Expand Childcare Support",
        "Revise Constitution", "Strengthen Cybersecurity", "Cut Gasoline Tax",
        "Deepen Security Ties", "Delay Consumption Tax Hike", "Reform Pension System",
    ),
    "business": (
        "Raise Interest Rates", "Hike Wages", "Cut Production", "Expand EV Lineup",
        "Build Chip Plant", "Merge Operations", "Boost Dividends", "Post Record Profit",
        "Curb Yen Weakness", "Enter India Market", "Slash Costs", "Raise Prices",
    ),
    "society": (
        "Arrest Suspect", "Open Trial", "Tighten Safety Rules", "Issue Heavy Rain Warning",
        "Expand School Lunches", "Ban Street Drinking", "Restore Rail Service",
        "Introduce Tourist Tax", "Hand Down Sentence", "Search for Missing Hikers",
    ),
    "world": (
        "Impose Tariffs", "Hold Summit", "Launch Missile", "Expand Military Drills",
        "Sign Trade Pact", "Restrict Rare Earth Exports", "Resume Talks", "Deploy Warships",
        "Lift Sanctions", "Host Ministerial Meeting", "Tighten Visa Rules",
    ),
}  # fmt: skip

TOPICS: dict[str, tuple[str, ...]] = {
    "politics": (
        "Upper House Election", "Defense Budget", "Political Funds Scandal", "G7 Summit",
        "Diet Session", "Cabinet Approval Rating", "LDP Presidential Race", "Security Treaty",
    ),
    "business": (
        "Weak Yen", "Spring Wage Talks", "Nikkei Average", "Chip Shortage", "Rice Prices",
        "Inbound Tourism", "Trade Surplus", "Bond Yields",
    ),
    "society": (
        "Heat Wave", "Fraud Ring", "Noto Quake Recovery", "Cherry Blossom Season",
        "Bear Sightings", "Overtourism", "Falling Birthrate", "Typhoon Damage",
    ),
    "world": (
        "Taiwan Strait", "Korean Peninsula", "South China Sea", "U.S. Tariffs",
        "Ukraine Ceasefire", "Middle East Crisis", "APEC Meeting", "Climate Talks",
    ),
}  # fmt: skip

HEADLINE_TEMPLATES: tuple[str, ...] = (
    "{actor} to {verb} Amid {topic} Concerns",
    "{actor} Vows to {verb}",
    "{actor}, {actor2} Agree to {verb}",
    "{actor} Moves to {verb} Ahead of {topic}",
    "{topic}: {actor} Faces Pressure to {verb}",
    "{actor} Plans to {verb} by End of Fiscal {year}",
    "{actor} Weighs Options on {topic}",
    "{actor} & {actor2} Split Over {topic}",
    "“{topic}” Tops Agenda as {actor} Seeks to {verb}",
    '{actor} Calls "{topic}" a Turning Point',
    "{actor}’s Bid to {verb} Stalls",
    "{topic} — {actor} Signals Readiness to {verb}",
    "Experts Doubt {actor}’s Plan to {verb}",
    "{actor} Unveils Plan to {verb}",
)  # fmt: skip

SENTENCE_TEMPLATES: tuple[str, ...] = (
    "{actor} said Tuesday it would {verb_lower} in response to the {topic_lower}.",
    "Officials from {actor} and {actor2} met in Tokyo on {weekday} to discuss the {topic_lower}.",
    "“We will respond firmly and calmly,” a senior official of {actor} told reporters.",
    "The move is expected to cost about ¥{amount} billion, according to government sources.",
    "Critics argue the plan does little to address the {topic_lower}, which has weighed on "
    "households for months.",
    "According to a Yomiuri Shimbun survey conducted from {weekday} to Sunday, {percent}% of "
    "respondents supported the idea.",
    "The cabinet’s approval ranking fell to its lowest level since the administration took office.",
    "The subsidy proved popular among young families in rural areas.",
    "{actor} is set to {verb_lower} before the end of {month}, sources said.",
    "Some lawmakers have questioned whether {actor} can {verb_lower} without broad public support.",
    "The issue is likely to become a focal point of the {topic_lower} debate in the Diet.",
    "Japan’s ranking in the global index slipped to {rank}th place this year.",
    "The café owner, who declined to be named, said business had halved since {month}.",
    "A delegation visited the Élysée Palace in Paris last month to exchange views.",
    "{actor} has long insisted that the {topic_lower} must be handled step by step — a stance "
    "that has frustrated some partners.",
    "The popular hot spring resort drew about {amount},000 visitors during the holiday.",
    "Analysts said the decision reflected growing concern over the {topic_lower}.",
    "The government plans to compile a package of measures worth ¥{amount} trillion.",
    "“It’s a difficult situation, but we have no choice,” said a {age}-year-old resident.",
    "The figure marks the {ordinal} consecutive monthly increase, the ministry said.",
    "Talks between {actor} and {actor2} are expected to resume in {month}.",
    "The new rules will take effect in April, following a review by an expert panel.",
    "A protégé of the former prime minister, he is seen as a likely candidate for the post.",
    "The character, a Pokémon-style mascot, has become a symbol of the campaign.",
    'Officials described the outcome as "a realistic compromise" after weeks of negotiations.',
    "The S&P 500 and the Nikkei Stock Average both ended the session higher.",
)  # fmt: skip

# Inline markup candidates: (plain phrase, marked-up HTML). The collapsed text is identical.
INLINE_LINKS: tuple[tuple[str, str], ...] = (
    ("the Foreign Ministry", "https://www.mofa.go.jp/"),
    ("the Defense Ministry", "https://www.mod.go.jp/en/"),
    ("the Bank of Japan", "https://www.boj.or.jp/en/"),
    ("the Cabinet Office", "https://www.cao.go.jp/index-e.html"),
)

INLINE_SENTENCES: tuple[str, ...] = (
    "Details were posted on the website of {phrase} on {weekday}.",
    "A spokesperson for {phrase} declined to comment on the report.",
    "The statement was issued by {phrase} late at night.",
)

EMPHASIS_SENTENCES: tuple[tuple[str, str, str], ...] = (
    ("The plan is ", "not", " a temporary measure, the minister stressed."),
    ("Officials called it ", "the most serious", " challenge in a decade."),
    ("The report was titled ", "Japan in 2040", ", and it was released on Friday."),
)

CAPTIONS: tuple[str, ...] = (
    "{actor} officials attend a meeting in Tokyo on {weekday}.",
    "Prime Minister Shigeru Ishiba speaks at a press conference at the Prime Minister’s Office "
    "in Tokyo.",
    "People walk past a screen showing the {topic_lower} in Tokyo.",
    "Members of the Self-Defense Forces take part in a drill.",
    "The National Diet Building in Nagatacho, Tokyo",
    "A view of the site in {month}",
)  # fmt: skip

TAGS: dict[str, tuple[str, ...]] = {
    "politics": (
        "Ishiba Cabinet", "Liberal Democratic Party", "Japan-U.S. Relations", "Diet",
        "House of Councillors Election", "Political Funds", "Defense",
    ),
    "business": ("Bank of Japan", "Yen", "Semiconductors", "Inflation", "Automobiles", "Stocks"),
    "society": ("Crime", "Weather", "Tourism", "Courts", "Disasters", "Education"),
    "world": ("China", "North Korea", "Trump Administration", "Taiwan", "Ukraine", "South Korea"),
}  # fmt: skip

# The paragraph a "(UPDATE 1)" revision appends to a story: the usual wire-style notes.
REVISION_NOTES: tuple[str, ...] = (
    "This article has been updated with comments from the chief cabinet secretary.",
    "This article has been updated with additional details from the ministry.",
    "This article has been updated with reaction from opposition parties.",
    "This article has been updated with the latest figures released by the government.",
    "This article has been updated to include comments from company officials.",
    "This article has been updated with information from the police.",
    "This article has been updated with a statement from the prime minister’s office.",
)  # fmt: skip

HOT_WORDS: tuple[str, ...] = (
    "Osaka Expo",
    "Trump Tariffs",
    "Ishiba Cabinet",
    "Rice Prices",
    "Bear Attacks",
    "Weak Yen",
)

WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

ORDINALS: tuple[str, ...] = ("second", "third", "fourth", "fifth", "sixth")
