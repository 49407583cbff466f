"""Retrieval over the indexed sample articles: hybrid, BM25, dense, periods, LangChain."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.documents import Document

from rag.errors import ConfigError
from rag.retrieve import BM25Retriever, DenseRetriever, HybridRetriever, make_retriever
from rag.retrieve.base import overlaps
from rag.retrieve.dense import period_filter
from rag.retrieve.hybrid import rrf
from rag.retrieve.langchain import NewsRetriever
from rag.types import Passage

SEPT_2023 = (20230901, 20230930)
MAO_NING_DOCS = {"001_8bacbee5ccb4060f", "003_856a94d7b1fc46ae"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hybrid", "bm25", "dense"])
def test_mao_ning_in_top_3(assistant: Any, name: str) -> None:
    passages = make_retriever(name, assistant.index).retrieve("Who is Mao Ning?", 3)
    assert 1 <= len(passages) <= 3
    assert "Mao Ning" in passages[0].text
    assert {p.doc_id for p in passages if "Mao Ning" in p.text} == MAO_NING_DOCS
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.slow
def test_make_retriever_types_and_unknown_name(assistant: Any) -> None:
    index = assistant.index
    assert isinstance(make_retriever("hybrid", index), HybridRetriever)
    assert isinstance(make_retriever("bm25", index), BM25Retriever)
    assert isinstance(make_retriever("dense", index), DenseRetriever)
    with pytest.raises(ConfigError, match="unknown retriever 'tfidf'"):
        make_retriever("tfidf", index)


@pytest.mark.slow
def test_bm25_scores_only_matching_chunks(assistant: Any) -> None:
    passages = BM25Retriever(assistant.index).retrieve("Komlev", 5)
    assert [p.doc_id for p in passages] == ["002_aaca5e63689b7572"]
    assert "Komlev" in passages[0].text
    assert passages[0].score > 0
    assert BM25Retriever(assistant.index).retrieve("zzzyxw qqqq", 5) == []


@pytest.mark.slow
def test_dense_scores_are_cosine_similarities(assistant: Any) -> None:
    passages = DenseRetriever(assistant.index).retrieve("Putin's motorcade in Beijing", 4)
    assert len(passages) == 4
    assert all(-1.0 <= p.score <= 1.0 for p in passages)
    assert "Diaoyutai" in passages[0].text


@pytest.mark.slow
def test_hybrid_keeps_dense_score_and_metadata(assistant: Any) -> None:
    passages = HybridRetriever(assistant.index).retrieve("Who is Mao Ning?", 3)
    top = passages[0]
    assert 0 < top.score <= 2 / 61  # RRF over two lists, c = 60
    assert "dense_score" in top.metadata
    assert top.text == assistant.index.store.get([top.chunk_id])[top.chunk_id][0]
    assert top.end - top.start == len(top.text)


@pytest.mark.slow
def test_langchain_adapter_returns_documents(assistant: Any) -> None:
    retriever = NewsRetriever(retriever=make_retriever("hybrid", assistant.index), k=3)
    docs = retriever.invoke("Who is Mao Ning?")
    assert len(docs) == 3
    assert all(isinstance(d, Document) for d in docs)
    assert all(d.metadata["chunk_id"] == d.id for d in docs)
    assert all(d.metadata["chunk_id"].startswith(d.metadata["doc_id"] + ":") for d in docs)
    assert "Mao Ning" in docs[0].page_content
    assert docs[0].metadata["doc_id"] in MAO_NING_DOCS


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hybrid", "bm25", "dense"])
def test_period_prefers_chunks_with_events_in_that_month(assistant: Any, name: str) -> None:
    retriever = make_retriever(name, assistant.index)
    question = "Which meetings took place?"
    plain = retriever.retrieve(question, 4)
    in_sept = retriever.retrieve(question, 4, period=SEPT_2023)
    assert len(in_sept) == 4
    assert all(overlaps(p, SEPT_2023) for p in in_sept), [
        (p.doc_id, p.metadata.get("event_min"), p.metadata.get("event_max")) for p in in_sept
    ]
    if name != "dense":
        # Without the period, the best chunk is about August/September 2025.
        assert not overlaps(plain[0], SEPT_2023)


@pytest.mark.slow
def test_period_filter_is_a_chroma_where_on_event_bounds(assistant: Any) -> None:
    vector = assistant.embedder.embed_query("Which meetings took place?")
    found = assistant.index.dense_search(vector, 50, where=period_filter(SEPT_2023))
    assert found
    assert all(
        p.metadata["event_min"] <= SEPT_2023[1] and p.metadata["event_max"] >= SEPT_2023[0]
        for p in found
    )
    everything = assistant.index.dense_search(vector, 50)
    assert len(everything) == assistant.index.count() > len(found)


def _passage(chunk_id: str) -> Passage:
    return Passage(chunk_id=chunk_id, doc_id=chunk_id.split(":")[0], text=chunk_id, score=0.0)


def test_rrf_fuses_ranks() -> None:
    a, b, c = _passage("d:a"), _passage("d:b"), _passage("d:c")
    fused = rrf([[a, b], [b, c]], c=60)
    assert [p.chunk_id for p, _ in fused] == ["d:b", "d:a", "d:c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[1][1] == pytest.approx(1 / 61)
    assert fused[2][1] == pytest.approx(1 / 62)


def test_a_store_that_refuses_the_breadth_still_opens(
    fresh_assistant: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A distributed Chroma (SPANN) has no HNSW breadth to set: the collection keeps its
    own, the store opens, and a warning says so."""
    from chromadb.api.models.Collection import Collection

    def refuse(self: Any, **_kw: Any) -> None:
        raise ValueError("Trying to update HNSW config but schema has SPANN")

    monkeypatch.setattr(Collection, "modify", refuse)
    store = fresh_assistant().index.store
    assert store.search_ef == 100
    assert "Chroma kept the collection's own search breadth (Trying to update HNSW" in caplog.text


@pytest.mark.slow
def test_search_breadth_is_kept_by_the_collection(
    fresh_assistant: Any, make_assistant: Any
) -> None:
    """``search_ef`` becomes the collection's HNSW ``ef_search``, on a new collection and
    on an existing one (1000 unless set); 0 leaves the collection's own."""
    plain = fresh_assistant(search_ef=0)
    assert plain.index.store.search_ef == 100  # Chroma's default
    wide = fresh_assistant()
    assert wide.index.store.collection.configuration_json["hnsw"]["ef_search"] == 1000
    home = wide.settings.home
    assert make_assistant(home, search_ef=300).index.store.search_ef == 300
    assert make_assistant(home, search_ef=0).index.store.search_ef == 300  # kept as it is
    assert make_assistant(home).index.store.search_ef == 1000
    assert make_assistant(plain.settings.home).index.store.search_ef == 1000
