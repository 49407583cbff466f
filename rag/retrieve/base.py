"""The retriever interface: one method, ``retrieve``."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable

from rag.temporal.values import as_yyyymmdd
from rag.types import Passage

Period = tuple[int, int]


class Retriever(ABC):
    """Finds the passages most likely to answer a question."""

    name: str = "retriever"

    @abstractmethod
    def retrieve(
        self,
        query: str,
        k: int,
        period: Period | None = None,
        as_of: dt.date | None = None,
    ) -> list[Passage]:
        """Return up to ``k`` passages, best first.

        Args:
            query: the (standalone) question.
            k: how many passages.
            period: inclusive YYYYMMDD bounds of a period in the question; passages whose
                event dates (or, when they have none, publication dates) fall inside it
                are preferred.
            as_of: the date the question is asked at: passages of articles published
                after it are never returned (no answers from the future). Articles with
                no known date stay visible.
        """


def overlaps(passage: Passage, period: Period) -> bool:
    """True when the passage mentions an event date inside the period, or, when it names
    no date at all, was published inside it (a report of the week is about that week)."""
    lo, hi = period
    emin = passage.metadata.get("event_min")
    emax = passage.metadata.get("event_max")
    if emin is not None and emax is not None:
        return int(emax) >= lo and int(emin) <= hi
    return passage.published is not None and lo <= as_yyyymmdd(passage.published) <= hi


def prefer_period(found: list[Passage], period: Period, k: int) -> list[Passage]:
    """The first ``k`` of ``found`` with in-period passages moved to the front (stable)."""
    inside = [p for p in found if overlaps(p, period)]
    outside = [p for p in found if not overlaps(p, period)]
    return (inside + outside)[:k]


def visible(passage: Passage, as_of: dt.date | None) -> bool:
    """False for a passage of an article published after ``as_of``."""
    return as_of is None or passage.published is None or passage.published <= as_of


def search_visible(
    search: Callable[[int], list[Passage]], n: int, as_of: dt.date | None, tries: int = 3
) -> list[Passage]:
    """Up to ``n`` visible passages from ``search(depth)``, searching deeper while articles
    from after ``as_of`` crowd the results out.

    Why not a store filter: a Chroma ``where`` range costs 0.2-0.7 s at 100k chunks, and
    for the usual "as of today" nothing is hidden, so the first search is the only one.
    """
    depth = n
    kept: list[Passage] = []
    for _ in range(tries):
        found = search(depth)
        kept = [p for p in found if visible(p, as_of)]
        if len(kept) >= n or len(found) < depth:
            break
        depth *= 4
    return kept[:n]
