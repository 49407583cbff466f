"""Keyword retrieval with BM25; ``score`` is the BM25 score."""

from __future__ import annotations

import datetime as dt

from rag.ranking import best_first
from rag.retrieve.base import Period, Retriever, prefer_period, search_visible
from rag.types import Passage
from vectorstore.index import NewsIndex


class BM25Retriever(Retriever):
    """Best chunks by BM25 over stemmed words (finds rare names dense search misses)."""

    name = "bm25"

    def __init__(self, index: NewsIndex) -> None:
        self.index = index

    def retrieve(
        self,
        query: str,
        k: int,
        period: Period | None = None,
        as_of: dt.date | None = None,
    ) -> list[Passage]:
        n = k * 3 if period else k
        # Equal scores (copies of one text) go by chunk id. Which of several copies tied at
        # the cut bm25s returns is its own (an unstable partition): not settled here.
        found = search_visible(lambda depth: self.index.keyword_search(query, depth), n, as_of)
        found = best_first(found, lambda p: p.score, key=lambda p: p.chunk_id)
        if period is None:
            return found[:k]
        return prefer_period(found, period, k)
