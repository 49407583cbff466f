"""What a question asks about time: "when", the latest/earliest event, before/after, a period.

Why: the retriever filters and orders passages by their dates, and the answerer decides to
state a date, only when the question calls for it. Questions have no publication date, so
only explicit periods ("in 2023", "Sept. 2022") are turned into ranges; "last week" in a
question stays unresolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from rag.temporal.tagger import find_dates
from rag.temporal.values import value_range

Order = Literal["latest", "earliest"]
Relation = Literal["before", "after"]

OPEN_START = 10101  # 0001-01-01: "before 2023" has no lower bound
OPEN_END = 99991231  # "since 2022" has no upper bound

_ASKS_WHEN = re.compile(
    r"^\W*(?:and\s+|so\s+|but\s+)?when\b|\b(?:since|until|till|by)\s+when\b|"
    r"\b(?:know|tell\s+me|remember|recall|find\s+out|ask|asked|wonder|learn)\s+when\b|"
    r"\bwhat\s+(?:date|day|year|month|time)\b|\bwhich\s+(?:date|day|year|month)\b|"
    r"\bhow\s+long\s+ago\b|\bin\s+what\s+year\b|\bon\s+what\s+date\b",
    re.IGNORECASE,
)
_PERIOD_UNITS = (
    r"(?:week|month|year|night|weekend|time\s+(?:this|that)|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|"
    r"October|November|December|spring|summer|autumn|fall|winter|decade|century)"
)
_LATEST = re.compile(
    rf"\b(?:latest|most\s+recent(?:ly)?|recently|lately|newest|last(?!\s+{_PERIOD_UNITS}\b))\b",
    re.IGNORECASE,
)
_EARLIEST = re.compile(
    r"\b(?:earliest|initially|originally|first(?:-ever)?|for\s+the\s+first\s+time)\b",
    re.IGNORECASE,
)
_RELATION = re.compile(
    r"\b(?P<rel>before|after|prior\s+to|earlier\s+than|later\s+than)\s+(?P<anchor>[^?.!;]+)",
    re.IGNORECASE,
)
_PERIOD_PREP = re.compile(
    r"\b(?P<prep>since|after|before|until|till|by|from|between|in|during|on|of)\s+(?:the\s+)?"
    r"(?:(?:early|mid|late)[\s-]+)?$",
    re.IGNORECASE,
)
_RANGE_NEXT = re.compile(r"\s*(?:to|until|till|through|and|-|–)\s", re.IGNORECASE)
_RANGE_GAP = re.compile(r"^\s*(?:and|to|until|till|through|-|–)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class TemporalIntent:
    """The temporal side of a question.

    Attributes:
        asks_when: the answer is a date or time ("When...", "What year...").
        order: "latest" or "earliest" when the question wants the most recent or the first
            of several events; None otherwise.
        relation: "before" or "after" when the question asks about events relative to an
            anchor; None otherwise.
        anchor: the words after before/after ("the Samarkand meeting"), or None.
        period: inclusive YYYYMMDD bounds of the explicit period the question names, or None.
        stripped: the question without its temporal-intent words, for keyword search.
    """

    asks_when: bool = False
    order: Order | None = None
    relation: Relation | None = None
    anchor: str | None = None
    period: tuple[int, int] | None = None
    stripped: str = ""


def _order(question: str) -> tuple[Order | None, list[tuple[int, int]]]:
    latest = _LATEST.search(question)
    earliest = _EARLIEST.search(question)
    hits = [(m, kind) for m, kind in ((latest, "latest"), (earliest, "earliest")) if m]
    if not hits:
        return None, []
    first_match, kind = min(hits, key=lambda h: h[0].start())
    order: Order = "latest" if kind == "latest" else "earliest"
    return order, [first_match.span()]


def _shift_day(yyyymmdd: int, days: int) -> int:
    day = dt.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)
    moved = day + dt.timedelta(days=days)
    return moved.year * 10000 + moved.month * 100 + moved.day


def _period(question: str) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """Explicit periods: each dated mention's range, widened by since/before/after/between."""
    lows: list[int] = []
    highs: list[int] = []
    spans: list[tuple[int, int]] = []
    for mention in find_dates(question, None):
        if mention.value is None:
            spans.append((mention.start, mention.end))  # "last week": not a keyword either
            continue
        lo, hi = value_range(mention.value)
        prep_m = _PERIOD_PREP.search(question[max(0, mention.start - 30) : mention.start])
        prep = prep_m["prep"].lower() if prep_m else ""
        if prep == "since" or (prep == "from" and not _RANGE_NEXT.match(question, mention.end)):
            hi = OPEN_END  # "since 2022", "from 2020" without an end
        elif prep == "after":
            lo, hi = _shift_day(hi, 1), OPEN_END
        elif prep == "before":
            lo, hi = OPEN_START, _shift_day(lo, -1)
        elif prep in ("until", "till", "by"):
            lo = OPEN_START
        lows.append(lo)
        highs.append(hi)
        start = mention.start - (len(prep_m.group()) if prep_m else 0)
        spans.append((start, mention.end))
    if not lows:
        return None, spans
    return (min(lows), max(highs)), spans


def _join_ranges(question: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans separated only by a range word ("between 2022 and 2023")."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _RANGE_GAP.match(question[joined[-1][1] : start]):
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def parse_intent(question: str) -> TemporalIntent:
    """Read the temporal intent of a question.

    Args:
        question: what the user typed.

    Returns:
        A ``TemporalIntent``; every field is empty/None for a question with no temporal side.
    """
    spans: list[tuple[int, int]] = []
    when = _ASKS_WHEN.search(question)
    if when:
        spans.append(when.span())
    order, order_spans = _order(question)
    spans.extend(order_spans)
    relation: Relation | None = None
    anchor: str | None = None
    rel_m = _RELATION.search(question)
    if rel_m:
        word = rel_m["rel"].lower()
        relation = "before" if word in ("before", "prior to", "earlier than") else "after"
        anchor = rel_m["anchor"].strip(" ,\"'") or None
        spans.append(rel_m.span("rel"))
    period, period_spans = _period(question)
    spans.extend(period_spans)
    spans = _join_ranges(question, sorted(spans))
    kept = []
    last = 0
    for start, end in sorted(spans):
        if start >= last:
            kept.append(question[last:start])
            last = end
        else:
            last = max(last, end)
    kept.append(question[last:])
    stripped = _SPACES.sub(" ", " ".join(kept)).strip(" ,")
    stripped = re.sub(r"\s+([?.!,])", r"\1", stripped)
    return TemporalIntent(
        asks_when=bool(when),
        order=order,
        relation=relation,
        anchor=anchor,
        period=period,
        stripped=stripped,
    )
