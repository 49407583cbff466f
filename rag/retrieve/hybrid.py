"""Hybrid retrieval: dense and BM25 lists fused with reciprocal rank fusion (RRF).

RRF needs no score calibration between the two lists: each passage gets
``sum(1 / (c + rank))`` over the lists it appears in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rag.ranking import best_first
from rag.retrieve.base import Period, Retriever, overlaps
from rag.retrieve.bm25 import BM25Retriever
from rag.retrieve.dense import DenseRetriever
from rag.types import Passage
from vectorstore.index import NewsIndex


def rrf(lists: list[list[Passage]], c: int = 60) -> list[tuple[Passage, float]]:
    """Fuse ranked lists; returns (passage, fused score), best first (ties on the
    ``rag.ranking`` grid: first seen, dense before keyword)."""
    scores: dict[str, float] = {}
    first: dict[str, Passage] = {}
    for ranked in lists:
        for rank, p in enumerate(ranked, start=1):
            scores[p.chunk_id] = scores.get(p.chunk_id, 0.0) + 1.0 / (c + rank)
            first.setdefault(p.chunk_id, p)
    order = best_first(scores, scores.__getitem__)
    return [(first[i], scores[i]) for i in order]


class HybridRetriever(Retriever):
    """Dense + BM25 fused by RRF; ``score`` is the fused score.

    Each passage keeps its dense similarity in ``metadata["dense_score"]`` (when dense
    search found it) for answerers that calibrate on it.

    Args:
        index: the index both retrievers read.
        depth: each list is this many times ``k`` deep before fusion.
        c: the RRF constant.
    """

    name = "hybrid"

    def __init__(self, index: NewsIndex, depth: int = 3, c: int = 60) -> None:
        self.dense = DenseRetriever(index)
        self.bm25 = BM25Retriever(index)
        self.depth = depth
        self.c = c

    def retrieve(
        self,
        query: str,
        k: int,
        period: Period | None = None,
        as_of: dt.date | None = None,
    ) -> list[Passage]:
        n = k * self.depth
        dense = self.dense.retrieve(query, n, period, as_of)
        keyword = self.bm25.retrieve(query, n, period, as_of)
        dense_scores = {p.chunk_id: p.score for p in dense}
        fused = rrf([dense, keyword], self.c)
        if period is not None:
            bonus = 1.0 / (self.c + 1)
            fused = best_first(
                ((p, s + (bonus if overlaps(p, period) else 0.0)) for p, s in fused),
                lambda x: x[1],
            )
        out = []
        for p, score in fused[:k]:
            meta = dict(p.metadata)
            if p.chunk_id in dense_scores:
                meta["dense_score"] = dense_scores[p.chunk_id]
            out.append(replace(p, score=score, metadata=meta))
        return out
