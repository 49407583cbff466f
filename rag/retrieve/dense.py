"""Dense retrieval: cosine similarity of MiniLM embeddings in Chroma."""

from __future__ import annotations

from typing import Any

from rag.retrieve.base import Period, Retriever
from rag.types import Passage
from vectorstore.index import NewsIndex


def period_filter(period: Period) -> dict[str, Any]:
    """Chroma ``where`` for chunks with an event date overlapping ``period``."""
    lo, hi = period
    return {"$and": [{"event_max": {"$gte": lo}}, {"event_min": {"$lte": hi}}]}


class DenseRetriever(Retriever):
    """Nearest chunks by embedding; ``score`` is the cosine similarity."""

    name = "dense"

    def __init__(self, index: NewsIndex) -> None:
        self.index = index

    def retrieve(self, query: str, k: int, period: Period | None = None) -> list[Passage]:
        vector = self.index.embedder.embed_query(query)
        found = self.index.dense_search(vector, k)
        if period is None:
            return found
        in_period = self.index.dense_search(vector, k, where=period_filter(period))
        return _merge_preferring(in_period, found, k)


def _merge_preferring(first: list[Passage], rest: list[Passage], k: int) -> list[Passage]:
    seen = {p.chunk_id for p in first}
    return (first + [p for p in rest if p.chunk_id not in seen])[:k]
