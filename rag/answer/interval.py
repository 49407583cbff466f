"""How long between two events: "How many months passed between the Vostochny summit and
Putin's visit to Pyongyang?", "Roughly how many years separate A from B?"; and which of two
came first ("Which came first: the Samarkand meeting or the Vostochny summit?").

Each event is dated by the retrieved sentence that names most of its words (at least two,
or its only one), often in two different articles; the answer is the interval in the asked
unit, rounded to the nearest whole one, with both dates and both sentences cited. Nothing is
guessed: when either event has no dated sentence, this kind of answer is not given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.ranking import level
from rag.temporal import value_range
from rag.temporal.anchored import event_terms, naming
from rag.temporal.values import from_yyyymmdd
from vectorstore.bm25_index import tokenize

_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}

_BETWEEN = re.compile(
    r"\bhow (?:many|much time)\s*(?P<unit>days|weeks|months|years)?\b.*?"
    r"\bbetween\s+(?P<a>.+?)\s+and\s+(?P<b>[^?]+)",
    re.I,
)
_SEPARATE = re.compile(
    r"\bhow many (?P<unit>days|weeks|months|years)\s+(?:separated?|lie between|lay between)\s+"
    r"(?P<a>.+?)\s+(?:from|and)\s+(?P<b>[^?]+)",
    re.I,
)


_SINCE = re.compile(r"\b(?:since|until|till)\b[^,;]*$", re.I)  # in the date's clause


@dataclass(frozen=True)
class IntervalQuestion:
    """The two events and the unit a "how long between" question asks about."""

    first: str
    second: str
    unit: str


def parse_interval(question: str) -> IntervalQuestion | None:
    """The events and unit of a "how many months between A and B" question, else None."""
    m = _SEPARATE.search(question) or _BETWEEN.search(question)
    if m is None:
        return None
    unit = (m.group("unit") or "days").lower().rstrip("s")
    return IntervalQuestion(m.group("a").strip(" ,"), m.group("b").strip(" ,"), unit)


# The order word ends its clause ("Which came first: A or B?", "... later, A or B?"), so
# "Which was later acquired by Google: Fitbit or Nest?" asks no order.
_WHICH_FIRST = re.compile(
    r"\bwhich\s+(?:came|happened|occurred|took\s+place|was)\s+"
    r"(?P<order>first|earlier|sooner|last|later)\s*[,:;—–-]\s*(?P<a>[^,:;?]+?),?\s+or\s+"
    r"(?P<b>[^?]+)",
    re.I,
)


@dataclass(frozen=True)
class OrderQuestion:
    """The two events a "which came first, A or B?" question names, and whether it asks
    for the later one."""

    first: str
    second: str
    latest: bool


def parse_order_choice(question: str) -> OrderQuestion | None:
    """The events of "Which came first: A or B?" ("... happened later, A or B?"), else None."""
    m = _WHICH_FIRST.search(question)
    if m is None:
        return None
    latest = m.group("order").lower() in ("last", "later")
    return OrderQuestion(m.group("a").strip(" ,:—–-"), m.group("b").strip(" ,.?"), latest)


def date_event(event: str, sentences: Sequence[Any]) -> tuple[Any, Any] | None:
    """(mention, sentence) dating ``event``: the dated sentence naming most of its words
    (at least two, or its only one); ties go to the better-scored sentence."""
    terms = event_terms(event)
    if not terms:
        return None
    best = None
    for s in sentences:
        dated = [
            m
            for m in s.dated
            if m.granularity in ("day", "month") and not _bounds_other(m, s, terms)
        ]
        overlap = naming(terms, s.terms)
        if dated and overlap and (best is None or (overlap, level(s.score)) > best[0]):
            best = ((overlap, level(s.score)), s, dated)
    if best is None:
        return None
    _, sentence, dated = best
    precise = [m for m in dated if m.granularity == "day"] or dated
    return precise[0], sentence


def _bounds_other(mention: Any, sentence: Any, terms: frozenset[str]) -> bool:
    """The date stands in a "since" clause ("the first meeting since the ceremony in early
    February") that names less of the event than the rest of the sentence does: it dates
    another event, which bounds this one. "Since the Times broke the news on Sept. 4, ..."
    still dates the news for a question about the news."""
    before = sentence.before(mention)
    opened = _SINCE.search(before) if before is not None else None
    if opened is None:
        return False
    start = opened.start()
    end = sentence.text.find(",", mention.end)
    end = len(sentence.text) if end < 0 else end
    clause = set(tokenize(sentence.text[start:end]))
    rest = set(tokenize(sentence.text[:start] + " " + sentence.text[end:]))
    return len(terms & clause) < len(terms & rest)


def interval_text(first_value: str, second_value: str, unit: str) -> str | None:
    """ "9 months": the interval between two ISO dates in ``unit``, to the nearest one."""
    day_a = from_yyyymmdd(value_range(first_value)[0])
    day_b = from_yyyymmdd(value_range(second_value)[0])
    count = round(abs((day_b - day_a).days) / _UNIT_DAYS[unit])
    if count == 0:
        return None
    return f"{count} {unit}{'' if count == 1 else 's'}"
