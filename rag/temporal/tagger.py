"""``find_dates``: run every rule, keep the longest non-overlapping readings.

Why longest-first: the rules overlap on purpose ("Monday, Oct. 26" is read as a weekday, a
month-day and the pair); the longest reading carries the most information, and ties go to
the more specific rule via ``Candidate.priority``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable

from rag.temporal import rules_absolute as ra
from rag.temporal import rules_anaphoric as ra_
from rag.temporal import rules_relative as rr
from rag.temporal import rules_years as ry
from rag.temporal.candidates import Candidate
from rag.types import DateMention

Rule = Callable[[str, "dt.date | None"], Iterable[Candidate]]

# Anchors outside these years cannot be shifted safely (date arithmetic would overflow); no
# real publication date is there, so such an anchor is treated as unknown.
_ANCHOR_YEARS = range(1000, 9000)

_RULES: tuple[Rule, ...] = (
    ra.iso_dates,
    ra.numeric_dates,
    ra.month_days,
    ra.month_years,
    ra.years,
    ra.holidays,
    rr.bare_months,
    rr.days_of_month,
    rr.weekdays,
    rr.relative_days,
    rr.relative_periods,
    rr.agos,
    rr.forward_counts,
    rr.seasons,
    rr.weekends,
    ry.year_words,
    ry.spelled_years,
)


def _select(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidates that do not overlap, then order them by position."""
    ranked = sorted(candidates, key=lambda c: (c.start - c.end, -c.priority, c.start))
    starts: list[int] = []  # starts of the kept spans, sorted; kept spans never overlap
    kept: dict[int, Candidate] = {}
    for cand in ranked:
        if cand.end <= cand.start:
            continue
        i = bisect.bisect_left(starts, cand.start)
        if i < len(starts) and starts[i] < cand.end:
            continue  # the next kept span starts inside this one
        if i > 0 and kept[starts[i - 1]].end > cand.start:
            continue  # the previous kept span reaches into this one
        starts.insert(i, cand.start)
        kept[cand.start] = cand
    return [kept[start] for start in starts]


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Find and resolve the date expressions in ``text``.

    Args:
        text: the text to search (an article, a chunk or a sentence).
        published: the publication date that relative expressions ("on Wednesday",
            "last month") are resolved against; None when unknown, in which case those
            expressions are still returned but with value None.

    Returns:
        Mentions sorted by start offset, never overlapping, each with ``text`` equal to
        ``text[start:end]``.
    """
    if not text:
        return []
    if published is not None and published.year not in _ANCHOR_YEARS:
        published = None
    candidates: list[Candidate] = []
    for rule in _RULES:
        candidates.extend(rule(text, published))
    candidates.extend(list(rr.offsets(text, candidates)))
    kept = _select(candidates)
    extra = ra_.anaphoric(text, published, kept)
    if extra:
        kept = _select(kept + extra)
    kept = ra_.compared_agos(text, kept)
    return [
        DateMention(text[c.start : c.end], c.start, c.end, c.value, c.granularity) for c in kept
    ]
