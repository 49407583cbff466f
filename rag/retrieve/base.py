"""The retriever interface: one method, ``retrieve``."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rag.types import Passage

Period = tuple[int, int]


class Retriever(ABC):
    """Finds the passages most likely to answer a question."""

    name: str = "retriever"

    @abstractmethod
    def retrieve(self, query: str, k: int, period: Period | None = None) -> list[Passage]:
        """Return up to ``k`` passages, best first.

        Args:
            query: the (standalone) question.
            k: how many passages.
            period: inclusive YYYYMMDD bounds of an explicit period in the question; passages
                whose event dates fall inside it are preferred.
        """


def overlaps(passage: Passage, period: Period) -> bool:
    """True when the passage mentions an event date inside the period."""
    lo, hi = period
    emin = passage.metadata.get("event_min")
    emax = passage.metadata.get("event_max")
    return emin is not None and emax is not None and int(emax) >= lo and int(emin) <= hi


def prefer_period(found: list[Passage], period: Period, k: int) -> list[Passage]:
    """The first ``k`` of ``found`` with in-period passages moved to the front (stable)."""
    inside = [p for p in found if overlaps(p, period)]
    outside = [p for p in found if not overlaps(p, period)]
    return (inside + outside)[:k]
