"""Keyword retrieval with BM25; ``score`` is the BM25 score."""

from __future__ import annotations

from rag.retrieve.base import Period, Retriever, prefer_period
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
        return prefer_period(found, period, k)
