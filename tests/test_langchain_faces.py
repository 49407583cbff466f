"""The LangChain faces of NewsQA that the command line does not load: the chain as an LCEL
runnable (callbacks see each stage) and the embedder inside langchain-chroma.

Why: both are built on first use so that a command-line question does not import LangChain
(``tests/test_cli_imports.py``); these tests keep the faces themselves working.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.embeddings import Embeddings

from vectorstore.langchain_embeddings import LangChainEmbeddings

pytestmark = pytest.mark.slow


class _Stages(BaseCallbackHandler):
    """Records the run names of the chain's stages as LangChain reports them."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
        name = kwargs.get("name")
        if name:
            self.names.append(name)


def test_the_chain_runs_as_an_lcel_runnable_with_named_stages(assistant: Any) -> None:
    chain = assistant.chain()
    state = {
        "question": "When did Kim last visit China?",
        "standalone": "When did Kim last visit China?",
        "k": None,
        "as_of": dt.date(2025, 9, 30),
    }
    stages = _Stages()
    answer = chain.runnable.invoke(state, config={"callbacks": [stages]})
    assert [n for n in stages.names if n in {"retrieve", "answer", "cite"}] == [
        "retrieve",
        "answer",
        "cite",
    ]
    assert "2 September 2025" in answer.text
    assert answer.citations
    again = chain.invoke(state)
    assert again.text == answer.text
    assert [c.chunk_id for c in again.citations] == [c.chunk_id for c in answer.citations]


def test_the_embedder_serves_langchain_chroma(assistant: Any) -> None:
    index = assistant.index
    faced = LangChainEmbeddings(assistant.embedder)
    assert isinstance(faced, Embeddings)
    query = "Which meetings took place?"
    assert faced.embed_query(query) == assistant.embedder.embed_query(query)
    docs = index.store.vectorstore.similarity_search("Kim Jong Un visit to China", k=3)
    assert len(docs) == 3
    assert all(d.page_content for d in docs)
