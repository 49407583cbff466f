"""What a question asks about time: "when", the latest/earliest event, before/after, a period.

Why: the retriever filters and orders passages by their dates, and the answerer decides to
state a date, only when the question calls for it. A question is asked at a moment, its "as
of" date: relative expressions ("this week", "last weekend", "yesterday", "in May") resolve
against it with the same tagger as articles. Without one, only explicit periods ("in 2023",
"Sept. 2022") become ranges and "last week" stays unresolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from rag.temporal.tagger import find_dates
from rag.temporal.values import as_yyyymmdd, from_yyyymmdd, value_range

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
_NOT_EVENT_WORDS = frozenset(
    """and or to until till through when while as but was were is are had has did the in on
    at for of with""".split()
)
_RANGE_NEXT = re.compile(r"\s*(?:to|until|till|through|and|-|–)\s", re.IGNORECASE)
_RANGE_GAP = re.compile(r"^\s*(?:and|to|until|till|through|-|–)\s*$", re.IGNORECASE)
# Dates side by side: "in 2022 and 2025", "in 2019, 2022 or in 2025".
_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*(?:and|or))\s*(?:(?:in|during)\s+)?$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# "this week" in a question means the seven days up to the moment it is asked (news quizzes
# ask on Friday about the week behind them), not the calendar week.
_PAST_WEEK = re.compile(
    r"\b(?:(?:in\s+|over\s+|during\s+)?(?:this|the\s+past|this\s+past|the\s+last|past)\s+"
    r"(?:week|seven\s+days|7\s+days))\b",
    re.IGNORECASE,
)
_WEEKEND = re.compile(r"\b(?P<rel>last|this|past|this\s+past)\s+weekend\b", re.IGNORECASE)
_BARE_NAME = re.compile(
    r"(?:(?:in|on|early|late|mid)[\s-]+)*(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\.?",
    re.IGNORECASE,
)
_FORWARD = re.compile(r"\b(?:next|coming|upcoming|following)\s*$", re.IGNORECASE)
# Questions about the present or the newest state of things: among comparable passages the
# ones published shortly before the question's date should win.
_RECENT = re.compile(
    r"\b(?:recent(?:ly)?|lately|latest|newest|now|currently|current|these\s+days|"
    r"at\s+present|so\s+far|this\s+(?:week|month|year)|today|yesterday|new)\b|"
    r"^\W*(?:who|what|which|where|how\s+many|how\s+much)\b[^?]*?\b(?:is|are|has|have)\b",
    re.IGNORECASE,
)


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
        period: inclusive YYYYMMDD bounds of the period the question names (explicit, or
            relative and resolved against the "as of" date), or None.
        parts: the separate periods of a question that names them side by side ("in 2022
            and 2025": not 2023); ``period`` spans them all. Empty when the period is one
            stretch.
        stripped: the question without its temporal-intent words, for keyword search.
        as_of: the date the question is asked at, if known.
        recent: the question is about the present or the newest state ("Who is...",
            "latest", "this week"; not "the last time before X") and ``as_of`` is known:
            passages published shortly before it win among comparable ones.
    """

    asks_when: bool = False
    order: Order | None = None
    relation: Relation | None = None
    anchor: str | None = None
    period: tuple[int, int] | None = None
    parts: tuple[tuple[int, int], ...] = ()
    stripped: str = ""
    as_of: dt.date | None = None
    recent: bool = False


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
    return as_yyyymmdd(from_yyyymmdd(yyyymmdd) + dt.timedelta(days=days))


def _relative_periods(question: str, as_of: dt.date) -> list[tuple[int, int, tuple[int, int]]]:
    """Question-only readings the article tagger lacks: "this week" = the seven days up to
    ``as_of``, "last/this weekend". Returns (start, end, (lo, hi)) per match."""
    found: list[tuple[int, int, tuple[int, int]]] = []
    for m in _PAST_WEEK.finditer(question):
        found.append(
            (m.start(), m.end(), (as_yyyymmdd(as_of - dt.timedelta(days=6)), as_yyyymmdd(as_of)))
        )
    for m in _WEEKEND.finditer(question):
        if m["rel"].lower() == "this":  # the weekend of the week that holds ``as_of``
            saturday = as_of + dt.timedelta(days=5 - as_of.weekday())
        else:  # the latest weekend that is over by the time the question is asked
            saturday = as_of - dt.timedelta(days=(as_of.weekday() - 5) % 7)
            if saturday + dt.timedelta(days=1) >= as_of:
                saturday -= dt.timedelta(days=7)
        found.append(
            (m.start(), m.end(), (as_yyyymmdd(saturday), as_yyyymmdd(saturday + dt.timedelta(1))))
        )
    return found


def _not_after(question: str, start: int, value: str, as_of: dt.date) -> str:
    """A bare month or weekday in a question is the last one not after ``as_of`` ("in May"
    asked in March 2025 is May 2024), unless the question looks forward ("next May")."""
    lo, _ = value_range(value)
    if lo <= as_yyyymmdd(as_of) or _FORWARD.search(question[max(0, start - 12) : start]):
        return value
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"{int(value[:4]) - 1:04d}{value[4:]}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return (dt.date.fromisoformat(value) - dt.timedelta(days=7)).isoformat()
    return value


def _period(
    question: str,
    as_of: dt.date | None = None,
    anchor_at: tuple[int, int, Relation] | None = None,
) -> tuple[tuple[int, int] | None, list[tuple[int, int]], tuple[tuple[int, int], ...]]:
    """Periods: each dated mention's range, widened by since/before/after/between; and the
    separate ranges of dates named side by side ("in 2022 and 2025"). A date inside the
    anchor of a "last before"/"first after" relation (``anchor_at``: its span and
    "before"/"after") dates the anchor: "the last time before their September 2022 talks"
    asks about anything up to September 2022."""
    listed: list[tuple[int, int, str, tuple[int, int]]] = []
    lows: list[int] = []
    highs: list[int] = []
    spans: list[tuple[int, int]] = []
    special = _relative_periods(question, as_of) if as_of is not None else []
    for start, end, (lo, hi) in special:
        lo, hi = _one_sided(start, anchor_at, lo, hi)
        lows.append(lo)
        highs.append(hi)
        spans.append((start, end))
    for mention in find_dates(question, as_of):
        if any(start < mention.end and mention.start < end for start, end, _ in special):
            continue
        if mention.value is None:
            spans.append((mention.start, mention.end))  # "last week": not a keyword either
            continue
        value = mention.value
        if as_of is not None and _BARE_NAME.fullmatch(mention.text.strip()):
            value = _not_after(question, mention.start, value, as_of)
        lo, hi = value_range(value)
        prep_m = _PERIOD_PREP.search(question[max(0, mention.start - 30) : mention.start])
        prep = prep_m["prep"].lower() if prep_m else ""
        if prep == "since" or (prep == "from" and not _RANGE_NEXT.match(question, mention.end)):
            hi = OPEN_END  # "since 2022", "from 2020" without an end
        elif prep == "after":
            lo = lo if dates_an_event(question, mention.start, mention.end) else _shift_day(hi, 1)
            hi = OPEN_END
        elif prep == "before":
            hi = hi if dates_an_event(question, mention.start, mention.end) else _shift_day(lo, -1)
            lo = OPEN_START
        elif prep in ("until", "till", "by"):
            lo = OPEN_START
        else:
            lo, hi = _one_sided(mention.start, anchor_at, lo, hi)
        lows.append(lo)
        highs.append(hi)
        start = mention.start - (len(prep_m.group()) if prep_m else 0)
        spans.append((start, mention.end))
        listed.append((mention.start, mention.end, prep, (lo, hi)))
    if not lows:
        return None, spans, ()
    return (min(lows), max(highs)), spans, _side_by_side(question, listed, bool(special))


def _one_sided(
    start: int, anchor_at: tuple[int, int, Relation] | None, lo: int, hi: int
) -> tuple[int, int]:
    """A date at ``start`` inside the anchor (``anchor_at``) bounds the period on the
    relation's side only; any other date keeps ``lo``..``hi``."""
    if anchor_at is None or not anchor_at[0] <= start < anchor_at[1]:
        return lo, hi
    return (OPEN_START, hi) if anchor_at[2] == "before" else (lo, OPEN_END)


def _side_by_side(
    question: str, listed: list[tuple[int, int, str, tuple[int, int]]], relative: bool
) -> tuple[tuple[int, int], ...]:
    """The ranges of dates a question lists ("in 2022 and 2025", "in May or in July"); empty
    unless every date is one of the list: a range ("between 2022 and 2025", "from 2020 to
    2023") or a bound ("since 2022") is one stretch."""
    if relative or len(listed) < 2 or listed[0][2] not in ("", "in", "during", "of"):
        return ()
    for (_, end, _, _), (start, _, prep, _) in pairwise(listed):
        gap = question[end:start]
        if prep not in ("", "in", "during") or not _LIST_GAP.match(gap):
            return ()
    return tuple(sorted(r for _, _, _, r in listed))


def dates_an_event(text: str, start: int, end: int) -> bool:
    """True when the date at ``text[start:end]`` dates the noun after it ("the 2023
    Kim-Putin summit", "the 2023-24 season", "last year's summit"), so it says when an event
    was, not where a period starts or ends ("after 2023", "Before 2024 elections, ...",
    "before September 2022,")."""
    after = text[end:]
    if re.match(r"['’]s\s+[A-Za-z]", after):
        return True  # "last year's summit"
    if not re.search(r"\bthe\s+(?:(?:early|mid|late)[\s-]+)?$", text[:start], re.I):
        return False
    after = re.sub(r"^[-/–]\d{2,4}\b", "", after)  # "the 2023-24 season"
    following = re.match(r"\s+([A-Za-z][\w'’-]*)", after)
    return following is not None and following.group(1).lower() not in _NOT_EVENT_WORDS


def _join_ranges(question: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge spans separated only by a range word ("between 2022 and 2023")."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _RANGE_GAP.match(question[joined[-1][1] : start]):
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def parse_intent(question: str, as_of: dt.date | None = None) -> TemporalIntent:
    """Read the temporal intent of a question.

    Args:
        question: what the user typed.
        as_of: the date the question is asked at; relative expressions resolve against it
            (None leaves them unresolved).

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
    anchor_at: tuple[int, int, Relation] | None = None
    rel_m = _RELATION.search(question)
    if rel_m:
        word = rel_m["rel"].lower()
        relation = "before" if word in ("before", "prior to", "earlier than") else "after"
        anchor = rel_m["anchor"]
        opening = len(question) - len(question.lstrip(" \"'“‘"))
        if rel_m.start() == opening and "," in anchor:
            # A fronted clause ("Before the 2024 summit, when had ...?"): the anchor ends
            # at its comma.
            anchor = anchor.split(",", 1)[0]
        anchor = anchor.strip(" ,\"'") or None
        spans.append(rel_m.span("rel"))
        # "the last time before their September 2022 talks", "the first time after ...":
        # the anchor's date bounds the period on one side only. Without "last"/"first"
        # ("the summit held just before their September 2025 talks") it stays the period.
        if anchor and (order, relation) in (("latest", "before"), ("earliest", "after")):
            begin = question.index(anchor, rel_m.start("anchor"))
            anchor_at = (begin, begin + len(anchor), relation)
    period, period_spans, parts = _period(question, as_of, anchor_at)
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
        parts=parts,
        stripped=stripped,
        as_of=as_of,
        # "the last time (the most recent ...) before their 2022 talks" is the newest before
        # the anchor, not now.
        recent=as_of is not None
        and not (order == "latest" and relation == "before")
        and (order == "latest" or bool(_RECENT.search(question))),
    )
