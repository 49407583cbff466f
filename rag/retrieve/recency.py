"""Recency: for questions about the present, fresh passages win among comparable ones.

Freshness is measured from the newest article among the candidates (not after the
question's "as of" date), not from ``as_of`` itself: "Who is the coach?" asked in July is
answered by the June report rather than the March one, even though neither is from July.

Why by rank and not by score in retrieval: the retrievers' scores live on different scales
(RRF, cosine, BM25), while "comparable" means "a few places apart" for all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rag.ranking import level
from rag.types import Passage


def newest(published: Iterable[dt.date | None], as_of: dt.date) -> dt.date | None:
    """The latest known publication date not after ``as_of`` (None when there is none)."""
    known = [d for d in published if d is not None and d <= as_of]
    return max(known) if known else None


def freshness(published: dt.date | None, anchor: dt.date | None, half_life_days: float) -> float:
    """1.0 for an article of ``anchor``'s day, halving every ``half_life_days`` before it;
    0 when either date is unknown or the article is newer than ``anchor``."""
    if published is None or anchor is None or published > anchor:
        return 0.0
    return float(0.5 ** ((anchor - published).days / half_life_days))


def prefer_recent(
    passages: list[Passage],
    as_of: dt.date,
    k: int,
    strength: float = 2.0,
    half_life_days: float = 14.0,
) -> list[Passage]:
    """The best ``k`` passages after moving fresh ones up by up to ``strength`` places.

    Args:
        passages: retrieved passages, best first (retrieve deeper than ``k`` so that a
            fresh passage just below the cut can move in).
        as_of: the date the question is asked at.
        k: how many to keep.
        strength: places gained by a passage of the newest article.
        half_life_days: days (before the newest article) after which the gain halves.
    """
    anchor = newest((p.published for p in passages), as_of)
    keyed = []
    for rank, p in enumerate(passages):
        fresh = freshness(p.published, anchor, half_life_days)
        # On the ``rag.ranking`` grid: ``0.5 ** x`` may differ in its last bit between
        # math libraries, which must not reorder two passages.
        keyed.append((level(rank - strength * fresh), level(-fresh), rank, p))
    keyed.sort(key=lambda item: item[:3])  # ties go to the fresher passage
    return [item[3] for item in keyed[:k]]
