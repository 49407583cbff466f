"""LangChain's own standard retriever tests (``langchain-tests``) on ``NewsRetriever``.

Why: ``NewsRetriever`` is how NewsQA plugs into other people's LCEL chains, agents and
tools; the standard suite is the contract those expect (``k`` in the constructor and per
call, sync and async). One subclass per NewsQA retriever, all over the shared index of
the bundled articles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_tests.integration_tests import RetrieversIntegrationTests

from rag.errors import InputError
from rag.retrieve import make_retriever
from rag.retrieve.langchain import NewsRetriever

pytestmark = pytest.mark.slow


class _NewsRetrieverStandardTests(RetrieversIntegrationTests):
    """The standard suite over one NewsQA retriever, named by ``kind``."""

    kind = "hybrid"
    _assistant: Any = None

    @pytest.fixture(autouse=True)
    def _shared_index(self, assistant: Any) -> None:
        # Autouse fixtures run before the suite's own ``retriever`` fixture and before the
        # tests that call ``retriever_constructor_params`` directly.
        type(self)._assistant = assistant

    @property
    def retriever_constructor(self) -> type[NewsRetriever]:
        return NewsRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": make_retriever(self.kind, self._assistant.index)}

    @property
    def retriever_query_example(self) -> str:
        # Words of many chunks, so that BM25 alone also finds at least 3.
        return "Kim Jong Un visit to China and meeting with Putin"


class TestHybridNewsRetriever(_NewsRetrieverStandardTests):
    kind = "hybrid"


class TestDenseNewsRetriever(_NewsRetrieverStandardTests):
    kind = "dense"


class TestBM25NewsRetriever(_NewsRetrieverStandardTests):
    kind = "bm25"


@pytest.mark.parametrize("kind", ["hybrid", "dense", "bm25"])
async def test_ainvoke_honours_k_and_matches_invoke(assistant: Any, kind: str) -> None:
    retriever = NewsRetriever(retriever=make_retriever(kind, assistant.index))
    query = "Kim Jong Un visit to China"
    sync_docs = retriever.invoke(query, k=2)
    async_docs = await retriever.ainvoke(query, k=2)
    assert len(async_docs) == 2
    assert all(isinstance(d, Document) for d in async_docs)
    assert [d.id for d in async_docs] == [d.id for d in sync_docs]
    assert len(await retriever.ainvoke(query)) == retriever.k  # the default stays 6


def test_per_call_period_and_as_of_reach_the_retriever(assistant: Any) -> None:
    retriever = NewsRetriever(retriever=make_retriever("bm25", assistant.index))
    everything = retriever.invoke("Kim Jong Un", k=6)
    assert any(d.metadata["published"] > "2024-01-01" for d in everything)
    early = retriever.invoke("Kim Jong Un", k=3, as_of=dt.date(2024, 1, 1))
    assert early and all(d.metadata["published"] <= "2024-01-01" for d in early), [
        d.metadata.get("published") for d in early
    ]


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_k_is_one_clear_error(assistant: Any, bad: Any) -> None:
    retriever = NewsRetriever(retriever=make_retriever("bm25", assistant.index))
    with pytest.raises(InputError, match="k must be a positive whole number"):
        retriever.invoke("Kim", k=bad)


def test_unknown_keyword_is_not_silently_ignored(assistant: Any) -> None:
    retriever = NewsRetriever(retriever=make_retriever("bm25", assistant.index))
    with pytest.raises(TypeError):
        retriever.invoke("Kim", top_k=1)
