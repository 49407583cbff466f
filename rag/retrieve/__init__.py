"""Stage 6: retrieval. ``make_retriever`` picks an implementation by name."""

from __future__ import annotations

from rag.errors import ConfigError
from rag.retrieve.base import Period, Retriever
from rag.retrieve.bm25 import BM25Retriever
from rag.retrieve.dense import DenseRetriever
from rag.retrieve.hybrid import HybridRetriever
from vectorstore.index import NewsIndex

__all__ = [
    "BM25Retriever",
    "DenseRetriever",
    "HybridRetriever",
    "Period",
    "Retriever",
    "make_retriever",
]


def make_retriever(name: str, index: NewsIndex, model: str = "") -> Retriever:
    """The retriever called ``name`` ("learned", "hybrid", "dense" or "bm25") over ``index``
    (``model``: the learned one's JSON file, empty for the bundled one)."""
    if name == "learned":
        from rag.retrieve.learned import BUNDLED_PASSAGE_MODEL, LearnedRetriever
        from rag.retrieve.passage_features import PASSAGE_FEATURES, PASSAGE_VERSION
        from rag.trees import load_model

        path = model or BUNDLED_PASSAGE_MODEL
        loaded = load_model(path, "passage model", PASSAGE_FEATURES, PASSAGE_VERSION)
        return LearnedRetriever(index, loaded)
    if name == "hybrid":
        return HybridRetriever(index)
    if name == "dense":
        return DenseRetriever(index)
    if name == "bm25":
        return BM25Retriever(index)
    raise ConfigError(f"unknown retriever {name!r}; choose learned, hybrid, dense or bm25")
