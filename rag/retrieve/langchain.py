"""Any NewsQA retriever as a LangChain ``BaseRetriever`` (for LCEL chains and tools)."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from rag.retrieve.base import Retriever
from rag.types import Passage


def to_document(p: Passage) -> Document:
    meta: dict[str, Any] = dict(p.metadata)
    meta.update(chunk_id=p.chunk_id, doc_id=p.doc_id, score=p.score)
    return Document(page_content=p.text, metadata=meta, id=p.chunk_id)


class NewsRetriever(BaseRetriever):
    """LangChain face of a NewsQA ``Retriever``.

    Attributes:
        retriever: the NewsQA retriever that does the work.
        k: passages per query.
    """

    retriever: Any
    k: int = 6

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        impl: Retriever = self.retriever
        return [to_document(p) for p in impl.retrieve(query, self.k)]
