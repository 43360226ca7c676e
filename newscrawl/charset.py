"""Which charset a page's bytes are in, when the HTTP header and the page disagree.

Servers lie in both directions: a UTF-8 page under `charset=Shift_JIS` (or windows-1252, GBK,
KOI8-R ...), a windows-1252 page under `charset=UTF-8`. Trusting the header, as Scrapy and
browsers do, turns "Party’s" into "Party窶冱". The rule here, in order:

1. a byte order mark names the encoding;
2. bytes that are valid UTF-8 and hold non-ASCII are UTF-8 (text in another charset is almost
   never valid UTF-8 by chance);
3. else the first of the page's own declaration (meta charset, XML declaration), the header's
   charset and UTF-8 in which the body reads cleanly (`reads_cleanly`); when neither the page
   nor the header names a charset, windows-1252 last (what browsers and Scrapy assume then).

A body that reads cleanly in none of them is damaged: it is read as UTF-8 if it mostly is (a
UTF-8 page with a character cut in half), else in the first of those candidates, and the caller
flags it. Single-byte charsets (windows-1252, ISO-8859-x, KOI8-R) decode any bytes, so for them
"no decode error" proves nothing: a body that mostly reads as UTF-8, or one that gives C1
control characters, is not clean in them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

UTF8 = "utf-8"
UNLABELED = "cp1252"
# The item flag of a page that reads cleanly in no charset (the crawl's and `newscrawl extract`'s).
FLAG = "charset_damaged"
# What the markup is made of: a charset that does not read these bytes as ASCII is no candidate.
_MARKUP = b'<html><meta charset="x"></html>'
_C1 = re.compile("[\x80-\x9f]")
_SUSPECT = re.compile("[\ue000-\uf8ff\u2500-\u259f]")
# Latin-1 symbols and accented Latin letters, three or more in a row.
_LATIN_RUN = re.compile("[\u00a1-\u024f]{3,}")
# A word of ASCII letters with a Cyrillic, Greek or CJK letter inside it, or the other way round.
_OTHER_LETTER = "\u0370-\u052f\u3040-\u30ff\u4e00-\u9fff"
_MIXED_WORD = re.compile(f"[A-Za-z][{_OTHER_LETTER}]|[{_OTHER_LETTER}][A-Za-z]")


@dataclass(frozen=True)
class Reading:
    """The codec to read a body in (Python's name) and whether the body reads cleanly in it."""

    encoding: str
    clean: bool


def codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, with the WHATWG mapping browsers and Scrapy use
    (ISO-8859-1 is windows-1252, GBK is GB18030, Shift_JIS is cp932); None when unknown."""
    if not label:
        return None
    name = resolve_encoding(label) or label
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def choose(body: bytes, header: str | None, declared: str | None) -> Reading:
    """The reading of BODY given its header's charset label and the page's own (either None)."""
    bom, _ = read_bom(body)
    if bom:
        return Reading(bom, _decodes(body, bom))
    if body.isascii():
        return Reading(_first_ascii_compatible(codec(declared), codec(header)), True)
    if _decodes(body, UTF8):
        return Reading(UTF8, True)
    utf8ish = mostly_utf8(body)
    candidates = [name for name in (codec(declared), codec(header), UTF8) if name]
    if len(candidates) == 1:  # no charset named anywhere: the web's default for legacy pages
        candidates.append(UNLABELED)
    for name in candidates:
        if reads_cleanly(body, name, utf8ish):
            return Reading(name, True)
    return Reading(UTF8 if utf8ish else candidates[0], False)


def choose_for(body: bytes, content_type: str | None) -> Reading:
    """`choose` for a body and its Content-Type header value (None: no header)."""
    header = http_content_type_encoding(content_type) if content_type else None
    return choose(body, header, html_body_declared_encoding(body))


def decode(body: bytes, content_type: str | None = None) -> tuple[str, Reading]:
    """BODY as text by the rule above (undecodable bytes as U+FFFD), and its reading."""
    reading = choose_for(body, content_type)
    text = codecs.decode(body, reading.encoding, errors="replace")
    return text.removeprefix("\ufeff"), reading


def reads_cleanly(body: bytes, encoding: str, utf8ish: bool) -> bool:
    """Whether non-ASCII BODY (not valid UTF-8; `utf8ish`: mostly UTF-8 all the same) reads as
    text in ENCODING: no decode error, and for a single-byte charset neither UTF-8 lookalike
    bytes nor C1 control characters (which no text holds)."""
    if not ascii_compatible(encoding):
        return False
    try:
        text = codecs.decode(body, encoding)
    except UnicodeDecodeError:
        return False
    if encoding == UTF8:
        return True
    if utf8ish:
        return False  # a damaged UTF-8 page, not a page in ENCODING
    if single_byte(encoding) and _C1.search(text):
        return False
    return not _misread(text)


def _misread(text: str) -> bool:
    """What only a misreading gives, beyond a stray case:
    - private-use code points (cp932 and GB18030 map unassigned bytes there) and box-drawing
      and block elements (what KOI8-R makes of Shift_JIS or UTF-8 lead bytes);
    - accented Latin letters and Latin-1 symbols in runs of three and more, for half the
      non-ASCII text (Western text has them one at a time, inside words: "Größe"; CJK or
      Cyrillic bytes read as windows-1252 or ISO-8859-x give "Æüëܤ");
    - words that mix Latin and another script's letters ("kЭndigte": windows-1252 read as
      KOI8-R)."""
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    allowed = max(1, non_ascii // 50)
    if len(_SUSPECT.findall(text)) > allowed:
        return True
    runs = sum(len(run) for run in _LATIN_RUN.findall(text))
    if runs > max(allowed, non_ascii // 2):
        return True
    return len(_MIXED_WORD.findall(text)) > allowed


def mostly_utf8(body: bytes) -> bool:
    """Whether BODY, not wholly valid UTF-8, still mostly is: more of its non-ASCII characters
    decode than fail (a page in another charset has almost none that do)."""
    text = codecs.decode(body, UTF8, errors="replace")
    failed = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - failed > failed


@lru_cache(maxsize=64)
def single_byte(encoding: str) -> bool:
    """Whether ENCODING reads every byte as one character (a charset that decodes any bytes)."""
    return encoding != UTF8 and len(bytes(range(256)).decode(encoding, errors="replace")) == 256


@lru_cache(maxsize=64)
def ascii_compatible(encoding: str) -> bool:
    """Whether ENCODING reads ASCII markup as ASCII (UTF-16 and UTF-32 do not)."""
    try:
        return _MARKUP.decode(encoding) == _MARKUP.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _first_ascii_compatible(*names: str | None) -> str:
    return next((name for name in names if name and ascii_compatible(name)), UTF8)


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        codecs.decode(body, encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
