"""The project's one time library: parse a time string (`parse_time`), name a zone, write a moment
in UTC or Japan time. Every reader of times (site modules, the generic path, spiders, the
timestamps pipeline) uses it, so a backfill's window check and the exported item read a time the
same way.

A date without a time of day is never turned into midnight (`ParsedTime.day` alone); an offset
of a day or more is not a time; a zone name not in ZONE_NAMES is refused, never read as the
site's zone.

The choice of a page's `published` among its candidates is made here too (`choose`), once for
the backfill's window check and the exported item alike.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

from newscrawl.text import clean_text

TOKYO = ZoneInfo("Asia/Tokyo")
# Zone names dateutil does not know (The Japan News writes "JST"; others "ET", "BST", ...).
# A name not here is refused, never read as the site's zone.
ZONE_NAMES: dict[str, tzinfo] = {
    "UTC": UTC,
    "GMT": UTC,
    "Z": UTC,
    "JST": TOKYO,
    "KST": ZoneInfo("Asia/Seoul"),
    "HKT": ZoneInfo("Asia/Hong_Kong"),
    "SGT": ZoneInfo("Asia/Singapore"),
    "IST": ZoneInfo("Asia/Kolkata"),
    "ET": ZoneInfo("America/New_York"),
    "EST": ZoneInfo("America/New_York"),
    "EDT": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "CST": ZoneInfo("America/Chicago"),
    "CDT": ZoneInfo("America/Chicago"),
    "PT": ZoneInfo("America/Los_Angeles"),
    "PST": ZoneInfo("America/Los_Angeles"),
    "PDT": ZoneInfo("America/Los_Angeles"),
    "BST": ZoneInfo("Europe/London"),
    "CET": ZoneInfo("Europe/Paris"),
    "CEST": ZoneInfo("Europe/Paris"),
    "AEST": ZoneInfo("Australia/Sydney"),
    "AEDT": ZoneInfo("Australia/Sydney"),
}
# "Published on", "Updated:" before a time; "p.m." (dateutil reads "pm" only).
DATE_PREFIX = re.compile(
    r"(?i)^(?:published|posted|first published|updated|last updated|modified)\s*(?:on|at)?:?\s*"
)
MERIDIEM = re.compile(r"(?i)\b([ap])\.m\.")
# "09.30 BST", "6.05pm": a dotted time only before a zone name or am/pm ("2.30 million" is not
# a time, nor the "10.13" of "2024.10.13").
DOT_TIME = re.compile(
    r"(?<![+\-\u2212\d.])(\d{1,2})\.(\d{2})(?=\s*(?:[ap]m\b|[A-Z]{2,5}\b))", re.IGNORECASE
)
# "GMT+2", "UTC-05:30": dateutil reads these the POSIX way, with the sign inverted.
GMT_OFFSET = re.compile(r"\(?\b(?:GMT|UTC)\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?\b\)?")
# "(Updated 19:02 JST)" after the time: a second time, of something else.
UPDATE_CLAUSE = re.compile(r"(?i)[\s,;|(\[–—-]*\b(?:updated|last updated|modified)\b.*$")
# Japanese dates and times: "2024年10月13日 18時05分" is "2024-10-13 18:05".
KANJI_DATE = re.compile(r"(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日")
KANJI_TIME = re.compile(r"(\d{1,2})時\s*(\d{1,2})分")
# A time of day ("18:05", "6 pm"; dotted ones are made "HH:MM" first); not the "+09:00" of an
# offset.
HAS_TIME = re.compile(
    r"(?<![+\-\u2212\d])\d{1,2}:\d{2}|(?<![\d/.-])\b\d{1,2}\s*[ap]\.?m\b",
    re.IGNORECASE,
)
# What metadata says most often ("2024-10-13T18:05:00+09:00"): `_normalized` leaves it as it is
# (tests/test_times.py holds it to that: the same time with a space before it, which is
# rewritten, reads the same).
PLAIN_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?(?:Z|[+-]\d{2}:\d{2})?", re.ASCII
)
# ISO 8601 that names a calendar date; with a time of day only after "T" or a space (Python also
# reads "2024-10-13+09:00" as 09:00, and "2024-W41" as a Monday).
ISO_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}(?:Z|[+-]\d{2}(?::?\d{2})?)?")
ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}|\d{8}T\d{4}")
HAS_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
# dateutil fills a missing month or day from today: insist that the text names both.
MONTH_AND_DAY = re.compile(
    r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# The source of the day a page's address names ("/2019/10/22/"): see `choose`.
URL_SOURCE = "url"

# Month names of other languages (German, French, Spanish, Italian, Portuguese, Dutch, the
# Nordic languages, Polish and Russian in the genitive a date uses), read as English: dateutil
# knows only English. Abbreviations only where no word of another language is spelt so.
FOREIGN_MONTHS: dict[str, str] = {
    name: english
    for english, names in {
        "January": "januar jänner janvier janv enero gennaio janeiro januari stycznia января",
        "February": "februar feber février fevrier févr febrero febbraio fevereiro februari"
        " lutego февраля",
        "March": "märz mrz mär mars marzo março maart mrt marts marca марта",
        "April": "avril avr abril aprile kwietnia апреля",
        "May": "mai mayo maggio maio mei maj maja мая",
        "June": "juni juin junio giugno junho czerwca июня",
        "July": "juli juillet juil julio luglio julho lipca июля",
        "August": "août aout agosto augustus augusti sierpnia августа",
        "September": "septembre septiembre setiembre settembre setembro septembri września"
        " сентября",
        "October": "oktober okt octobre octubre ottobre outubro oktobre października октября",
        "November": "novembre noviembre novembro listopada ноября",
        "December": "dezember dez décembre decembre déc diciembre dic dicembre dezembro"
        " december desember grudnia декабря",
    }.items()
    for name in names.split()
}
# A month name of another language, read as one only next to a number ("3. Mai 2015", "mayo
# 3"): "Mai" and "Mei" are names too ("By Mei Lin, October 13, 2024").
FOREIGN_MONTH = re.compile(
    r"(?i)(?<!\w)(\d{1,2}(?:\.|er|º|o)?\s*(?:de\s+)?)?("
    + "|".join(sorted(FOREIGN_MONTHS, key=len, reverse=True))
    + r")(?!\w)(\.?)(,?\s*\d)?"
)
DAY_THEN_DOTTED_TIME = re.compile(r"\b(\d{4}-\d{2}-\d{2}),?\s+(\d{1,2})\.(\d{2})\b(?!\.\d)")
ENGLISH_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
# "3. August 2015", "3 de mayo de 2022", "1er janvier 2020": the day, the month, the year as
# dateutil reads them ("3 August 2015"), once the month is English.
DAY_MONTH_YEAR = re.compile(
    rf"(?i)\b(\d{{1,2}})(?:\.|er|º|o)?\s*(?:de\s+)?({ENGLISH_MONTH})\.?,?\s+(?:de\s+|del\s+)?"
    r"((?:19|20)\d{2})\b"
)
# "11.04.2012": day first, wherever dots part the numbers (no one writes the month first so).
DOTTED_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})(?![\d.])")


@dataclass(frozen=True)
class ParsedTime:
    """A full time (aware, in the offset the text gave) or only a calendar date."""

    moment: datetime | None = None
    day: date | None = None
    zone_given: bool = True  # False: the text named no zone and ZONE was assumed


@cache
def zone(name: str | None) -> tzinfo:
    return ZoneInfo(name) if name else TOKYO


def parse_time(raw: str | None, assumed: tzinfo = TOKYO) -> ParsedTime | None:
    """Read one raw time string (ASSUMED: the zone of a time that names none); None when it
    is not a date at all."""
    text = _normalized(raw)
    if not text or not (HAS_YEAR.search(text) or ISO_DATE_TIME.match(text)):
        return None
    if not ISO_DATE_TIME.match(text) and len(HAS_TIME.findall(text)) > 1:
        return None  # "18:05 ET (22:05 GMT)": which one? Refused.
    if ISO_DATE_ONLY.fullmatch(text):  # "2024-10-13", "2024-10-13+09:00"
        try:
            return ParsedTime(day=date.fromisoformat(text[:10]))
        except ValueError:
            return None
    value = _parse_iso(text) if ISO_DATE_TIME.match(text) else None
    if value is None:
        value = _parse_prose(text)
        if value is None:
            return None
        if not HAS_TIME.search(text):
            return ParsedTime(day=value.date())
    zone_given = value.tzinfo is not None
    if not zone_given:
        value = value.replace(tzinfo=assumed)
    try:
        value.astimezone(UTC).astimezone(value.tzinfo)
        offset = value.utcoffset()
    except (ValueError, OverflowError):  # an offset of a day or more ("+99:99"), or year 1 or 9999
        return None
    if offset is None:
        return None
    return ParsedTime(moment=value.replace(microsecond=0), zone_given=zone_given)


def _normalized(raw: str | None) -> str:
    """The time text as the parsers read it: no "Published on" prefix, no trailing update
    clause, "p.m." as "pm", "09.30" as "09:30", "GMT+2" as "+02:00", 年月日 as ISO."""
    if raw and PLAIN_ISO.fullmatch(raw):  # most times are; none of the rewrites below applies
        return raw
    text = KANJI_DATE.sub(_iso_day, DATE_PREFIX.sub("", clean_text(raw)))
    text = KANJI_TIME.sub(lambda m: f" {int(m[1]):02d}:{int(m[2]):02d}", text)
    text = DOTTED_DATE.sub(_dotted_day, _english_months(text))
    text = DAY_THEN_DOTTED_TIME.sub(r"\1 \2:\3", text)  # "11.04.2012 09.30": 09:30
    text = UPDATE_CLAUSE.sub("", text) if not ISO_DATE_TIME.match(text) else text
    text = DOT_TIME.sub(r"\1:\2", MERIDIEM.sub(r"\1m", text))
    return GMT_OFFSET.sub(_offset, text)


def _english_months(text: str) -> str:
    """Month names of other languages in English, and the day before the month and year as
    dateutil reads it: "3. Mai 2015" is "3 May 2015", "3 de mayo de 2022" is "3 May 2022"."""
    text = FOREIGN_MONTH.sub(_english_month, text)
    return DAY_MONTH_YEAR.sub(r"\1 \2 \3", text)


def _english_month(found: re.Match[str]) -> str:
    if not (found[1] or found[4]):
        return found[0]
    return f"{found[1] or ''}{FOREIGN_MONTHS[found[2].lower()]}{found[4] or ''}"


def names_a_date(text: str) -> bool:
    """Whether TEXT names a month and a day (in English or another language, or in numbers)."""
    return bool(MONTH_AND_DAY.search(text) or MONTH_AND_DAY.search(_english_months(text)))


def _dotted_day(found: re.Match[str]) -> str:
    day, month = int(found[1]), int(found[2])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return found[0]
    return f"{found[3]}-{month:02d}-{day:02d}"


def _iso_day(found: re.Match[str]) -> str:
    return f"{found[1]}-{int(found[2]):02d}-{int(found[3]):02d}"


def _offset(found: re.Match[str]) -> str:
    sign = "-" if found[1] in "-\u2212" else "+"
    return f" {sign}{int(found[2]):02d}:{found[3] or '00'}"


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None


def _parse_prose(text: str) -> datetime | None:
    if not MONTH_AND_DAY.search(text):
        return None
    # A zone name dateutil cannot resolve ("EST") would silently become Japan time: refuse it.
    with warnings.catch_warnings():
        warnings.simplefilter("error", dateutil_parser.UnknownTimezoneWarning)
        try:
            # fuzzy: "October 13, 2024 (Mainichi Japan)"; MONTH_AND_DAY above keeps it a date.
            return dateutil_parser.parse(text, tzinfos=ZONE_NAMES, fuzzy=True)
        # ArithmeticError: OverflowError, and decimal.InvalidOperation on "0:1000...0/0/2000".
        except (ValueError, ArithmeticError, TypeError, dateutil_parser.UnknownTimezoneWarning):
            return None


def jst_iso(moment: datetime) -> str:
    return moment.astimezone(TOKYO).isoformat(timespec="seconds")


def utc_iso(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    if utc.year < 1000:  # strftime's %Y does not pad years below 1000
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    # What strftime("%Y-%m-%dT%H:%M:%SZ") gives, without its cost (it calls the C library).
    day = f"{utc.year}-{utc.month:02d}-{utc.day:02d}"
    return f"{day}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


def utc_now() -> str:
    """Now, as every `crawled_at` and `seen_at` is written."""
    return utc_iso(datetime.now(UTC))


# A published time later than the crawl plus this is refused (NEWSCRAWL_FUTURE_SKEW's default).
FUTURE_SKEW = timedelta(minutes=10)


@dataclass(frozen=True)
class Choice:
    """The time chosen among a page's candidates: a full MOMENT (in the offset its text gave,
    or in the assumed zone: ZONE_ASSUMED), else only a DAY, else nothing; with the RAW text and
    SOURCE it came from. UNPARSED and REFUSED name the sources of the candidates read before
    the choice that are no time at all, or a time out of bounds (REFUSED_FUTURE: one of them
    lies in the future)."""

    moment: datetime | None = None
    day: date | None = None
    raw: str | None = None
    source: str | None = None
    zone_assumed: bool = False
    refused_future: bool = False
    unparsed: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()


def choose(
    candidates: Iterable[tuple[str, str]],
    assumed: tzinfo,
    now: datetime | None = None,
    future_skew: timedelta = FUTURE_SKEW,
) -> Choice:
    """The publication time among CANDIDATES ((source, raw) in order of trust, read in zone
    ASSUMED when they name none): the first full time that names its zone, wherever it stands;
    else the first full time whose zone was assumed; else the first date alone.

    Two checks follow. A page's address that names a day (a URL_SOURCE candidate) was set when
    the story was first published: a choice more than a day away from it is another story's or
    an update's time, and gives way to the first candidate near that day, else to the day alone.
    A time given in UTC that the page also shows in an offset of its own (the same instant) is
    given in that offset: the publisher's calendar day.

    With NOW, a time is plausible only from 1990 up to NOW plus FUTURE_SKEW (a date alone up to
    that moment's Japan date); without, every time is."""
    candidates = list(candidates)
    picked = _pick(candidates, assumed, now, future_skew)
    chosen = _near_url_day(picked.chosen, candidates, assumed, now, future_skew)
    return replace(
        _in_local_offset(chosen, candidates, assumed) if chosen else Choice(),
        refused_future=picked.refused_future,
        unparsed=tuple(picked.unparsed),
        refused=tuple(picked.refused),
    )


@dataclass
class _Picked:
    chosen: Choice | None = None
    refused_future: bool = False
    unparsed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _pick(
    candidates: list[tuple[str, str]], assumed: tzinfo, now: datetime | None, skew: timedelta
) -> _Picked:
    """The first full time that names its zone, else the first whose zone was assumed, else the
    first date alone; a full time more than a day (URL_DAY_SLACK: the two may be written in
    different zones) from a date alone before it is passed over.
    With the sources read before the choice that were no time or out of bounds."""
    picked = _Picked()
    zone_assumed: tuple[datetime, str, str] | None = None
    day_only: tuple[date, str, str] | None = None
    for source, raw in candidates:
        parsed = parse_time(raw, assumed)
        if parsed is None:
            picked.unparsed.append(source)
        elif parsed.moment is not None and _plausible(parsed.moment, now, skew):
            if day_only and not _near(parsed.moment.date(), day_only[0]):
                continue  # a more trusted candidate gave another day: this time is not that one
            if parsed.zone_given:
                picked.chosen = Choice(parsed.moment, raw=raw, source=source)
                return picked
            zone_assumed = zone_assumed or (parsed.moment, raw, source)
        elif parsed.day is not None and _plausible_day(parsed.day, now, skew):
            day_only = day_only or (parsed.day, raw, source)
        else:
            # Later than the crawl, or before 1990: a date alone is held to the same bounds.
            picked.refused_future = picked.refused_future or _future(parsed, now, skew)
            picked.refused.append(source)
    if zone_assumed:
        moment, raw, source = zone_assumed
        picked.chosen = Choice(moment, raw=raw, source=source, zone_assumed=True)
    elif day_only:
        day, raw, source = day_only
        picked.chosen = Choice(day=day, raw=raw, source=source)
    return picked


# How far from the day its address names a page's time may be (the address may be written in
# another zone than the time).
URL_DAY_SLACK = timedelta(days=1)


def _near_url_day(
    chosen: Choice | None,
    candidates: list[tuple[str, str]],
    assumed: tzinfo,
    now: datetime | None,
    skew: timedelta,
) -> Choice | None:
    url = next(((raw, _iso_date(raw)) for source, raw in candidates if source == URL_SOURCE), None)
    if chosen is None or url is None or url[1] is None or _near(_day_of(chosen), url[1]):
        return chosen
    if chosen.moment is not None and not chosen.zone_assumed:
        return chosen  # a time that names its zone outranks a day in an address (a draft's slug)
    near = [
        (source, raw)
        for source, raw in candidates
        if source != URL_SOURCE
        and (parsed := parse_time(raw, assumed))
        and _near(_day_of(parsed), url[1])
    ]
    if chosen_near := _pick(near, assumed, now, skew).chosen:
        return chosen_near
    if not _plausible_day(url[1], now, skew):  # an address naming 2099, or 1950
        return chosen
    return Choice(day=url[1], raw=url[0], source=URL_SOURCE)


def _iso_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _day_of(found: Choice | ParsedTime) -> date | None:
    return found.moment.date() if found.moment is not None else found.day


def _near(day: date | None, other: date) -> bool:
    return day is not None and abs(day - other) <= URL_DAY_SLACK


def _in_local_offset(chosen: Choice, candidates: list[tuple[str, str]], assumed: tzinfo) -> Choice:
    """CHOSEN in the offset the page shows it in, when CHOSEN is in UTC and a candidate without
    a zone reads the same minute some whole half hours away (at most 14 hours): "9:25pm" beside
    "02:25:54Z" is UTC-5. (A page that names an offset for the same instant gave both: the more
    trusted is kept.)"""
    moment = chosen.moment
    if moment is None or chosen.zone_assumed or moment.utcoffset() != timedelta(0):
        return chosen
    # Only a text that shows the minute is read (parsing every candidate would be slow).
    minute = (f":{moment.minute:02d}", f".{moment.minute:02d}")
    for _source, raw in candidates:
        if not any(m in raw for m in minute):
            continue
        parsed = parse_time(raw, assumed)
        shown = parsed.moment if parsed and not parsed.zone_given else None
        if shown and (offset := _shown_offset(moment, shown)):
            return replace(chosen, moment=moment.astimezone(timezone(offset)))
    return chosen


def _shown_offset(utc: datetime, shown: datetime) -> timedelta | None:
    """The offset a clock reading SHOWN (its zone assumed) gives the instant UTC, if any."""
    if shown.second not in (0, utc.second):
        return None
    offset = shown.replace(tzinfo=None, second=0) - utc.replace(tzinfo=None, second=0)
    if offset and abs(offset) <= timedelta(hours=14) and not offset % timedelta(minutes=30):
        return offset
    return None


def _plausible(moment: datetime, now: datetime | None, skew: timedelta) -> bool:
    return now is None or EARLIEST <= moment <= now + skew


def _plausible_day(day: date, now: datetime | None, skew: timedelta) -> bool:
    return now is None or EARLIEST.date() <= day <= _latest_day(now, skew)


def _latest_day(now: datetime, skew: timedelta) -> date:
    return (now + skew).astimezone(TOKYO).date()


def _future(parsed: ParsedTime, now: datetime | None, skew: timedelta) -> bool:
    if now is None:
        return False
    if parsed.moment is not None:
        return parsed.moment > now + skew
    return parsed.day is not None and parsed.day > _latest_day(now, skew)
