"""Any NewsQA retriever as a LangChain ``BaseRetriever`` (for LCEL chains and tools).

It follows LangChain's retriever contract as ``langchain-tests``' standard suite checks it
(``tests/test_langchain_standard.py``): ``k`` set in the constructor or per call
(``retriever.invoke(query, k=1)``), the same in ``ainvoke``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables.config import run_in_executor

from rag.errors import InputError
from rag.retrieve.base import Period, Retriever
from rag.types import Passage


def to_document(p: Passage) -> Document:
    meta: dict[str, Any] = dict(p.metadata)
    meta.update(chunk_id=p.chunk_id, doc_id=p.doc_id, score=p.score)
    return Document(page_content=p.text, metadata=meta, id=p.chunk_id)


class NewsRetriever(BaseRetriever):
    """LangChain face of a NewsQA ``Retriever``.

    Per-call keyword arguments of ``invoke``/``ainvoke`` override the defaults for that
    call only: ``k``, ``period`` (inclusive YYYYMMDD bounds) and ``as_of`` (see
    ``Retriever.retrieve``). They are named parameters rather than ``**kwargs`` so that a
    misspelt one fails instead of being ignored.

    Attributes:
        retriever: the NewsQA retriever that does the work.
        k: passages per query when the call does not say.
    """

    retriever: Any
    k: int = 6

    def _search(
        self, query: str, k: int | None, period: Period | None, as_of: dt.date | None
    ) -> list[Document]:
        n = self.k if k is None else k
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InputError(f"k must be a positive whole number, not {n!r}")
        impl: Retriever = self.retriever
        return [to_document(p) for p in impl.retrieve(query, n, period=period, as_of=as_of)]

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        period: Period | None = None,
        as_of: dt.date | None = None,
    ) -> list[Document]:
        return self._search(query, k, period, as_of)

    async def _aget_relevant_documents(
        self,
        query: str,
        *,
        run_manager: AsyncCallbackManagerForRetrieverRun,
        k: int | None = None,
        period: Period | None = None,
        as_of: dt.date | None = None,
    ) -> list[Document]:
        # LangChain's default async path drops per-call arguments such as k; the search
        # itself is blocking (ONNX, Chroma, BM25), so it runs in the executor.
        return await run_in_executor(None, self._search, query, k, period, as_of)
