"""Learned passage ranking: a deep pool from both retrievers, re-ranked by a tree model.

Why: rank fusion alone (``HybridRetriever``) leaves most answer-bearing passages below the
top 5 on real news questions; a ranker trained on 2,000 of them (``newsqa train-reader``)
weighs both lists' evidence with the passage's coverage of the question, its headline and
its freshness (``rag.retrieve.passage_features``). Served with numpy alone
(``rag.trees.TreeModel``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from rag.ranking import best_first
from rag.retrieve.base import Period, Retriever
from rag.retrieve.bm25 import BM25Retriever
from rag.retrieve.dense import DenseRetriever
from rag.retrieve.passage_features import passage_rows
from rag.trees import TreeModel
from rag.types import Passage
from vectorstore.index import NewsIndex

BUNDLED_PASSAGE_MODEL = Path(__file__).with_name("passage_model.json")


class PassagePool:
    """The pooled passages of both lists for one question, with their feature rows."""

    def __init__(
        self, index: NewsIndex, query: str, depth: int, period: Period | None, as_of: dt.date | None
    ) -> None:
        dense = DenseRetriever(index).retrieve(query, depth, period, as_of)
        keyword = BM25Retriever(index).retrieve(query, depth, period, as_of)
        self.dense = {p.chunk_id: (i, p.score) for i, p in enumerate(dense)}
        self.keyword = {p.chunk_id: (i, p.score) for i, p in enumerate(keyword)}
        pooled: dict[str, Passage] = {}
        for p in [*dense, *keyword]:  # dense first: a tie keeps the dense order
            pooled.setdefault(p.chunk_id, p)
        self.passages = list(pooled.values())
        self.rows = passage_rows(
            query, self.passages, self.dense, self.keyword, depth, as_of, period
        )


class LearnedRetriever(Retriever):
    """Both retrievers ``depth`` deep, pooled, re-ranked by the passage model; ``score`` is
    the model's calibrated probability that the passage holds the answer.

    Args:
        index: the index both retrievers read.
        model: the passage model (``load_model(BUNDLED_PASSAGE_MODEL)``).
        depth: how deep each list goes before re-ranking.
    """

    name = "learned"

    def __init__(self, index: NewsIndex, model: TreeModel, depth: int = 50) -> None:
        self.index = index
        self.model = model
        self.depth = depth

    def retrieve(
        self,
        query: str,
        k: int,
        period: Period | None = None,
        as_of: dt.date | None = None,
    ) -> list[Passage]:
        pool = PassagePool(self.index, query, max(self.depth, k), period, as_of)
        if not pool.passages:
            return []
        probs = [float(v) for v in self.model.probability(pool.rows)]
        order = best_first(range(len(pool.passages)), probs.__getitem__)  # ties: pool order
        out = []
        for i in order[:k]:
            p = pool.passages[i]
            meta = dict(p.metadata)
            if p.chunk_id in pool.dense:
                meta["dense_score"] = pool.dense[p.chunk_id][1]
            out.append(replace(p, score=probs[i], metadata=meta))
        return out
