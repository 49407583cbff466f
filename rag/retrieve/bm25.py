"""Keyword retrieval with BM25; ``score`` is the BM25 score."""

from __future__ import annotations

from rag.retrieve.base import Period, Retriever
from rag.types import Passage
from vectorstore.index import NewsIndex


class BM25Retriever(Retriever):
    """Best chunks by BM25 over stemmed words (finds rare names dense search misses)."""

    name = "bm25"

    def __init__(self, index: NewsIndex) -> None:
        self.index = index

    def retrieve(self, query: str, k: int, period: Period | None = None) -> list[Passage]:
        found = self.index.keyword_search(query, k * 3 if period else k)
        if period is None:
            return found[:k]
        inside = [p for p in found if overlaps(p, period)]
        outside = [p for p in found if not overlaps(p, period)]
        return (inside + outside)[:k]


def overlaps(passage: Passage, period: Period) -> bool:
    """True when the passage mentions an event date inside the period."""
    lo, hi = period
    emin = passage.metadata.get("event_min")
    emax = passage.metadata.get("event_max")
    return emin is not None and emax is not None and int(emax) >= lo and int(emin) <= hi
