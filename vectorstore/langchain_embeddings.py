"""NewsQA's ``Embedder`` as LangChain ``Embeddings`` (for langchain-chroma and LCEL users).

Why an adapter and not a base class of ``Embedder``: ``langchain_core.embeddings`` imports
LangChain's runnables and callbacks (about 0.17 s), which a command-line question never
uses; only the code that hands the embedder to LangChain pays for it.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from vectorstore.embeddings import Embedder


class LangChainEmbeddings(Embeddings):
    """The same vectors as ``embedder``, through LangChain's interface.

    Args:
        embedder: computes (and caches) the vectors.
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)
