"""Expressions dated by another date in the text: "that year", "the same day", "the day",
"the second day", "then", "a year earlier", and "a year ago" in a comparison.

Why after the other rules: these words carry no date of their own. They refer to the nearest
date the text named before them (the narrative's time), and only when there is none to the
article's own day ("the day", "that day"). "Then" and "a year later" without an earlier date
stay untagged: nothing is invented.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator

from rag.temporal import patterns as p
from rag.temporal.candidates import Candidate, prefix, starts_word, word_before
from rag.temporal.resolve import day_value, month_value, safe_date, shift_month, week_month
from rag.temporal.rules_relative import anaphoric_day_offset, number

_PRECISION = {"year": 1, "month": 2, "day": 3}
_ORDINAL_VALUE = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1
)}  # fmt: skip
_PRONOUN_OR_NAME = r"(?:he|she|they|it|we|I|you|his|her|their|its|[A-Z])"

# Every rule here starts from its unit word ("day", "then", "years later") and reads the
# words before it with an end-anchored pattern: scanning for "the"/"a" would visit every
# article's every other word.
DAY = re.compile(r"day\b")
# "for the day", "earlier in the day", and "The day" opening a sentence.
_THE_DAY_BEFORE = re.compile(
    r"(?:\b(?i:for|during|in|throughout|on)\s+|^|(?<=[.!?]\s))(?P<the>[Tt]he)\s+$"
)
_THE_DAY_BLOCK_AFTER = re.compile(
    rf"[\w'’-]|\s+(?:before|after|of|when|that|on\s+which|in\s+which|to\b|{_PRONOUN_OR_NAME})"
)
# "the second day", "a third straight day", "the 8th day".
_NTH_DAY_BEFORE = re.compile(
    r"\b(?P<det>[Tt]he|an?)\s+(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))\s+"
    r"(?P<streak>(?:straight|consecutive|successive)\s+)?$"
)
_NTH_DAY_AFTER = re.compile(r"(?P<block>[\w'’-]|\s+of\s+[A-Z])|(?P<row>\s+in\s+a\s+row\b)?")
THEN = re.compile(r"then\b(?!-)")
_THEN_BEFORE = p.words("was were had been until till since by back from")
# "a year earlier", "two months later": a shift from the date named before.
SHIFTED = re.compile(r"(?P<dir>earlier|before|later|after)\b")
_SHIFTED_UNIT = re.compile(r"\b(?P<unit>day|week|month|year)s?\s+$")
_SHIFTED_COUNT = re.compile(rf"\b(?P<n>(?i:{p.NUM}))\s+$")
_SHIFTED_BLOCK_AFTER = re.compile(
    r"[\w-]|\s+(?:(?:than|the|a|an|his|her|its|their|this|that)\b|\d|[A-Z])"
)
_BEFORE_VERB = re.compile(r"\s+[a-z]")  # "14 days before returning home" is a duration
# Before "a year ago" these make it a comparison with a date the sentence names.
_COMPARED = re.compile(r"(?i:\b(?:from|than|over|versus|vs\.?|compared\s+(?:with|to))\s+)$")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+[A-Z\"“]")


def _truncate(value: str, granularity: str, unit: str) -> str | None:
    """Cut an antecedent's value to ``unit`` precision, or None when it is too coarse."""
    if unit == "week":
        return week_month(dt.date.fromisoformat(value)) if granularity == "day" else None
    if granularity not in _PRECISION or _PRECISION[granularity] < _PRECISION[unit]:
        return None
    return value[: {"year": 4, "month": 7, "day": 10}[unit]]


def _shift(value: str, granularity: str, unit: str, n: int) -> str | None:
    """Move a dated value by ``n`` units at its own precision, or None when it is coarser."""
    if granularity not in _PRECISION or _PRECISION[granularity] < _PRECISION.get(unit, 3):
        return None
    if granularity == "year":
        return f"{int(value[:4]) + n:04d}"
    if granularity == "month":
        months = 12 * n if unit == "year" else n
        return month_value(*shift_month(int(value[:4]), int(value[5:7]), months))
    day = dt.date.fromisoformat(value)
    if unit == "year":
        moved = safe_date(day.year + n, day.month, day.day) or safe_date(day.year + n, 2, 28)
        return day_value(moved) if moved else None
    if unit == "month":
        return None  # a month from a day has no day of its own
    return day_value(day + dt.timedelta(days=n * (7 if unit == "week" else 1)))


class _Context:
    """The kept mentions, sorted, with lookups of what came before a position."""

    def __init__(self, text: str, kept: list[Candidate]) -> None:
        self.text = text
        self.kept = kept
        self.ends = [c.end for c in kept]  # kept spans are sorted and disjoint

    def free(self, start: int, end: int) -> bool:
        """Whether no kept mention overlaps ``[start, end)``."""
        i = bisect.bisect_right(self.ends, start)
        return i >= len(self.kept) or self.kept[i].start >= end

    def before(self, pos: int, precision: str | None = None) -> Candidate | None:
        """The latest dated mention ending before ``pos`` (at least ``precision`` fine)."""
        i = bisect.bisect_right(self.ends, pos)
        for cand in reversed(self.kept[:i]):
            if cand.value is None or cand.granularity not in _PRECISION:
                continue
            if precision is None or _PRECISION[cand.granularity] >= _PRECISION[precision]:
                return cand
        return None

    def same_sentence(self, a: int, b: int) -> bool:
        return _SENTENCE_END.search(self.text, a, b) is None


def _day_or_article(ctx: _Context, pos: int, pub: dt.date | None) -> str | None:
    found = ctx.before(pos, "day")
    if found is not None and found.value is not None:
        return found.value[:10]
    return day_value(pub) if pub else None


def _same_period(ctx: _Context, pub: dt.date | None) -> Iterator[Candidate]:
    """ "that year", "the same day", "later that month": the latest earlier mention; "that
    day" with none is the article's day."""
    for word in p.PERIOD_WORD.finditer(ctx.text):
        m = prefix(p.SAME_PERIOD_PREFIX, ctx.text, word.start())
        if m is None or not ctx.free(m.start(), word.end()):
            continue
        unit = word["unit"]
        antecedent = ctx.before(m.start())
        value = None
        if antecedent is not None and antecedent.value is not None:
            value = _truncate(antecedent.value, antecedent.granularity, unit)
        elif unit == "day" and pub is not None:
            value = day_value(pub)
        if value is not None:
            yield Candidate(m.start(), word.end(), value, "month" if unit == "week" else unit, 0)


def _days(ctx: _Context, pub: dt.date | None) -> Iterator[Candidate]:
    """ "for the day", "The day ended ...", "the second day", "a third straight day"."""
    text = ctx.text
    for m in DAY.finditer(text):
        if not starts_word(text, m.start()):
            continue
        lo = max(0, m.start() - p.PREFIX_WINDOW)
        the = _THE_DAY_BEFORE.search(text, lo, m.start())
        if the is not None:
            start = the.start("the")
            if ctx.free(start, m.end()) and not _THE_DAY_BLOCK_AFTER.match(text, m.end()):
                if not text[max(0, start - 8) : start].lower().endswith("back in "):
                    yield Candidate(start, m.end(), _day_or_article(ctx, start, pub), "day", 0)
            continue
        nth = _NTH_DAY_BEFORE.search(text, lo, m.start())
        after = _NTH_DAY_AFTER.match(text, m.end())
        if nth is None or after is None or after["block"] or not ctx.free(nth.start(), m.end()):
            continue
        word = nth["ord"].lower()
        count = _ORDINAL_VALUE.get(word) or int(re.sub(r"\D", "", word))
        end = after.end() if after["row"] else m.end()
        if nth["det"].lower() != "the" or nth["streak"] or after["row"]:
            value = _day_or_article(ctx, nth.start(), pub)  # a streak reaches the day reported
        else:
            first = ctx.before(nth.start(), "day")
            if first is not None and first.value is not None:
                value = day_value(dt.date.fromisoformat(first.value) + dt.timedelta(count - 1))
            else:
                value = day_value(pub) if pub else None
        yield Candidate(nth.start(), end, value, "day", 0)


def _enclosing(ctx: _Context, pos: int, unit: str) -> Candidate | None:
    """The period named earlier in the same sentence that is coarser than ``unit`` (a month
    around "a week after ...", a year around "two months before ...")."""
    found = ctx.before(pos)
    if found is None or not ctx.same_sentence(found.end, pos):
        return None
    coarser = {"day": ("month", "year"), "week": ("month", "year"), "month": ("year",)}
    return found if found.granularity in coarser.get(unit, ()) else None


def _after(value: str, pub: dt.date | None) -> bool:
    """Whether a value lies after the article date (compared at the value's precision)."""
    return pub is not None and value > pub.isoformat()[: len(value)]


def _then(ctx: _Context, pub: dt.date | None) -> Iterator[Candidate]:
    """ "was then", "until then", "since then": the time of the latest earlier date."""
    for m in THEN.finditer(ctx.text):
        if not starts_word(ctx.text, m.start()):
            continue
        if word_before(ctx.text, m.start()) not in _THEN_BEFORE or not ctx.free(m.start(), m.end()):
            continue
        antecedent = ctx.before(m.start())
        if antecedent is None or antecedent.value is None:
            continue
        if (
            word_before(ctx.text, m.start()) == "back"
            and pub
            and antecedent.value > pub.isoformat()
        ):
            continue  # "back then" looks back: a later date is not what it means
        yield Candidate(m.start(), m.end(), antecedent.value, antecedent.granularity, 0)


def _shifted(ctx: _Context, pub: dt.date | None) -> Iterator[Candidate]:
    """ "a year earlier", "two days later": shifted from the latest earlier date; with none,
    "earlier/before" counts back from the article's date like "ago"."""
    text = ctx.text
    for m in SHIFTED.finditer(text):
        unit_m = _SHIFTED_UNIT.search(text, max(0, m.start() - 8), m.start())
        if unit_m is None or not starts_word(text, m.start()):
            continue
        count = _SHIFTED_COUNT.search(text, max(0, unit_m.start() - 40), unit_m.start())
        if count is None:
            continue
        n = number(count["n"])
        if n is None or not ctx.free(count.start(), m.end()):
            continue
        if _SHIFTED_BLOCK_AFTER.match(text, m.end()) or m["dir"] == "after":
            # "a week after the anniversary": an undated event; inside a period the sentence
            # names ("In January, a week after ..."), the offset stays in that period.
            enclosing = _enclosing(ctx, count.start(), unit_m["unit"])
            if enclosing is not None and enclosing.value is not None:
                yield Candidate(count.start(), m.end(), enclosing.value, enclosing.granularity, 0)
            continue
        if m["dir"] == "before" and _BEFORE_VERB.match(text, m.end()):
            continue
        unit = unit_m["unit"]
        sign = 1 if m["dir"].lower() == "later" else -1
        antecedent = ctx.before(count.start())
        value: str | None = None
        gran = unit
        if antecedent is not None and antecedent.value is not None:
            value = _shift(antecedent.value, antecedent.granularity, unit, sign * n)
            gran = antecedent.granularity
        elif sign < 0 and pub is not None and unit == "year":
            value = f"{pub.year - n:04d}"
        if value is not None and not _after(value, pub):
            yield Candidate(count.start(), m.end(), value, gran, 0)  # narrative: never after pub


def compared_agos(text: str, kept: list[Candidate]) -> list[Candidate]:
    """ "up from $3 a year ago" in a sentence about Tuesday compares with Tuesday a year back:
    the ago-year takes the day or month the sentence compares, shifted."""
    ctx = _Context(text, kept)
    out = list(kept)
    for i, cand in enumerate(kept):
        if cand.granularity != "year" or cand.value is None:
            continue
        m = p.YEARS_AGO.fullmatch(text, cand.start, cand.end)
        n = number(m["n"]) if m else None
        if n is None or not _COMPARED.search(text, max(0, cand.start - 20), cand.start):
            continue
        other = ctx.before(cand.start, "month")
        if other is None or other.value is None or not ctx.same_sentence(other.end, cand.start):
            continue
        value = _shift(other.value, other.granularity, "year", -n)
        if value is not None:
            out[i] = Candidate(cand.start, cand.end, value, other.granularity, cand.priority)
    return out


def _next_days(ctx: _Context) -> Iterator[Candidate]:
    """ "Kim met Putin on Sept. 12, and the next day ...": the day after the one the
    sentence named before it, not after the article's day (``relative_days`` dates these
    words from the article when the sentence names no day before them)."""
    for m in p.ANAPHORIC_DAY.finditer(ctx.text):
        found = ctx.before(m.start(), "day")
        if found is None or found.value is None or not ctx.same_sentence(found.end, m.start() + 1):
            continue
        day = dt.date.fromisoformat(found.value[:10]) + dt.timedelta(anaphoric_day_offset(m))
        yield Candidate(m.start(), m.end(), day_value(day), "day", 2)


def anaphoric(text: str, pub: dt.date | None, kept: list[Candidate]) -> list[Candidate]:
    """The mentions dated by other mentions, none overlapping ``kept`` (sorted, disjoint)."""
    ctx = _Context(text, kept)
    return [
        *_same_period(ctx, pub), *_days(ctx, pub), *_then(ctx, pub), *_shifted(ctx, pub),
        *_next_days(ctx),
    ]  # fmt: skip
