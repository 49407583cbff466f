"""Rules for years named in words: "the fiscal year", "year-end", "year-earlier", "later in
the year", "nineteen ninety-six", "the year two thousand".

Why a module of their own: business and wire copy date results by "the year" and "year-end"
far more often than by a number, and spoken-style years ("nineteen ninety-six") are years
even though no digit marks them. Year words are dated to the article's year (or the one
before for "year-earlier"); spelled-out years need no anchor at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rag.temporal import patterns as p
from rag.temporal.candidates import Candidate, starts_word, word_before
from rag.temporal.resolve import month_value

_UNITS = ("one two three four five six seven eight nine").split()
_TEENS = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = ("twenty thirty forty fifty sixty seventy eighty ninety").split()
_TENS_RE = "|".join(_TENS)
_UNITS_RE = "|".join(_UNITS)
_TEENS_RE = "|".join(_TEENS)
# Two digits in words: "ninety-six", "eighty", "seventeen", "oh five".
_TWO = rf"(?:(?:{_TENS_RE})(?:[\s-](?:{_UNITS_RE}))?|{_TEENS_RE}|o(?:h)?[\s-](?:{_UNITS_RE}))"
_CENTURY = r"(?P<c>nineteen|eighteen|twenty)"
SPELLED_YEAR = re.compile(
    rf"(?i:\b{_CENTURY}[\s-]+(?P<yy>{_TWO}|hundred)(?![\w-]))"
    rf"|(?i:\b(?P<k>two\s+thousand)(?:(?:\s+and)?\s+(?P<n>{_TWO}|{_UNITS_RE}))?(?![\w-]))"
)
_YEAR_PREFIX = re.compile(r"(?:\b(?P<year>[Tt]he\s+year)\s+|(?P<mon>" + p.MONTH_FULL + r")\s+)$")
# After a bare "twenty ..." or "two thousand ..." a noun makes it a count ("two thousand people").
_COUNT_AFTER = re.compile(r"\s+[a-z]")
_YEAR_CONTEXT = p.words("in since until till by of from before after during year")

# Year words are found from the word "year" and the words around it: scanning for "the"
# would visit every other word of an article.
_YEAR_UNIT = re.compile(r"year\b")
# "the year", "the full year", "the current fiscal year": the article's year.
_THE_YEAR_BEFORE = re.compile(
    r"\b[Tt]he\s+(?:(?:current|full|fiscal|financial|calendar|whole|entire)[\s-]+)*$"
)
_THE_YEAR_BLOCK_AFTER = re.compile(
    r"[\w'’-]|\s+(?:before|after|earlier|later|ago|since|when|that|in\s+which|of|to\s+come|"
    r"ahead|\d|two\s+thousand|(?:he|she|they|it|we|you)\b|[A-Z])"
)
_TITLE_OF = re.compile(r"[A-Z]\w*\s+of\s+$")  # "Player of the year": a title
# "year-end", "the year's end"; "year-earlier", "year-ago" (the year before).
_YEAR_AFTER = re.compile(
    r"(?P<end>[-\s]end|['’]s\s+end)(?![\w-])|(?P<before>-(?:earlier|ago|before|previous))(?![\w-])"
)
_THE = re.compile(r"\b[Tt]he\s+$")
_IN_THE_YEAR = re.compile(r"\b(?i:earlier|later|early|late)\s+in\s+the\s+$")


def _words_to_int(words: str) -> int | None:
    """ "ninety-six" -> 96, "oh five" -> 5, "seventeen" -> 17; None for anything else."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w]
    if parts[:1] in (["oh"], ["o"]):
        parts = parts[1:]
    total = 0
    for part in parts:
        if part in _TENS:
            total += 20 + 10 * _TENS.index(part)
        elif part in _TEENS:
            total += 10 + _TEENS.index(part)
        elif part in _UNITS:
            total += 1 + _UNITS.index(part)
        else:
            return None
    return total


def _spelled_value(m: re.Match[str]) -> int | None:
    if m["c"]:
        century = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[m["c"].lower()]
        tail = 0 if m["yy"].lower() == "hundred" else _words_to_int(m["yy"])
        return None if tail is None else century + tail
    tail = _words_to_int(m["n"]) if m["n"] else 0
    return None if tail is None else 2000 + tail


def spelled_years(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Years in words: "nineteen ninety-six", "January nineteen ninety-seven", "the year two
    thousand". "nineteen ..." and "eighteen ..." are never counts; "twenty ..." and "two
    thousand ..." need a year context (a preposition, "the year", a month) and no noun after.
    """
    low = text.lower()
    if not any(word in low for word in ("nineteen", "eighteen", "twenty", "thousand")):
        return
    for m in SPELLED_YEAR.finditer(text):
        year = _spelled_value(m)
        if year is None:
            continue
        pre = _YEAR_PREFIX.search(text, max(0, m.start() - 20), m.start())
        ambiguous = (m["c"] or "").lower() == "twenty" or m["k"]
        if ambiguous and not (pre is not None and pre["year"]):
            if _COUNT_AFTER.match(text, m.end()):
                continue
            if pre is None and word_before(text, m.start()) not in _YEAR_CONTEXT:
                continue
        if pre is not None and pre["mon"]:
            month = p.MONTHS[pre["mon"].lower()]
            yield Candidate(pre.start(), m.end(), month_value(year, month), "month", 4)
        start = pre.start() if pre is not None and pre["year"] else m.start()
        yield Candidate(start, m.end(), f"{year:04d}", "year", 3)


def year_words(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """The article's year in words: "the year", "the fiscal year", "year-end", "later in the
    year"; "year-earlier" and "year-ago" (as in "the year-ago quarter") are the year before."""
    for m in _YEAR_UNIT.finditer(text):
        if not starts_word(text, m.start()):
            continue
        lo = max(0, m.start() - p.PREFIX_WINDOW)
        suffix = _YEAR_AFTER.match(text, m.end())
        if suffix is not None:
            the = _THE.search(text, lo, m.start()) if suffix["end"] else None
            shift = -1 if suffix["before"] else 0
            value = f"{pub.year + shift:04d}" if pub else None
            start = the.start() if the else m.start()
            yield Candidate(start, suffix.end(), value, "year", 1)
            continue
        value = f"{pub.year:04d}" if pub else None
        inside = _IN_THE_YEAR.search(text, lo, m.start())
        if inside is not None:
            yield Candidate(inside.start(), m.end(), value, "year", 1)
            continue
        the = _THE_YEAR_BEFORE.search(text, lo, m.start())
        if the is None or _THE_YEAR_BLOCK_AFTER.match(text, m.end()):
            continue
        if _TITLE_OF.search(text, max(0, the.start() - 30), the.start()):
            continue
        yield Candidate(the.start(), m.end(), value, "year", 1)
