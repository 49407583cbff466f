"""Chroma: embedded on disk by default, or a Chroma server.

Embeddings are always computed by NewsQA's own ``Embedder`` and handed over; Chroma's
default embedding function (which downloads a model) is never used, and its telemetry
is switched off.

The collection is used through ``chromadb`` directly; ``ChromaStore.vectorstore`` gives
langchain-chroma's ``Chroma`` over the same collection for LangChain code, built on
first use. Why not always through langchain-chroma: importing it costs about 0.4 s, a
quarter of a question's start-up from the command line, for two calls NewsQA makes
itself (open the collection, query by vector).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from vectorstore.embeddings import Embedder
from vectorstore.errors import ConfigError, StoreError

log = logging.getLogger(__name__)

Vectors = Sequence[Sequence[float]] | np.ndarray  # rows of floats, or a 2-D array

_MAX_BATCH = 2000  # below Chroma's max batch size on every backend


def _chroma_settings() -> Any:
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def make_client(path: Path | None = None, url: str | None = None) -> Any:
    """An embedded ``PersistentClient`` at ``path``, or an ``HttpClient`` for ``url``.

    Raises:
        ConfigError: the URL is not ``http(s)://host:port``.
        StoreError: the server cannot be reached or the folder cannot be opened.
    """
    import chromadb

    try:
        if url:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ConfigError(f"Chroma URL must look like http://host:port, not {url!r}")
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=_chroma_settings(),
            )
        assert path is not None
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except ConfigError:
        raise
    except Exception as exc:
        where = url or str(path)
        raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from None


class ChromaStore:
    """One Chroma collection of chunks, in cosine space.

    Args:
        embedder: computes the vectors (Chroma never embeds on its own).
        collection: collection name.
        path: folder of the embedded store (ignored when ``url`` is given).
        url: a Chroma server, e.g. ``http://127.0.0.1:8000``.
        search_ef: how wide the collection's HNSW search looks (its ``ef_search``, kept
            by Chroma); 0 leaves the collection's own (Chroma's default for a new one: 100).
            Set on an embedded store's collection and on a server's empty one; a
            server's collection with chunks keeps its own, so readers with other settings
            do not reset a shared collection under each other.
    """

    def __init__(
        self,
        embedder: Embedder,
        collection: str = "newsqa",
        path: Path | None = None,
        url: str | None = None,
        search_ef: int = 0,
    ) -> None:
        self.embedder = embedder
        self.client = make_client(path, url)
        try:
            # What langchain-chroma's ``Chroma`` does on construction: same collection.
            self.collection = self.client.get_or_create_collection(
                name=collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        except Exception as exc:
            where = url or str(path)
            raise StoreError(
                f"cannot open the Chroma collection {collection!r} at {where}: {exc}"
            ) from None
        self._langchain: Any = None
        if search_ef and self.search_ef != search_ef:
            self._set_search_ef(search_ef, shared=url is not None)

    def _set_search_ef(self, n: int, shared: bool) -> None:
        """Make ``n`` the collection's search breadth, unless it is a server's collection
        that already holds chunks (``shared``: other readers may want another breadth).
        Where the store refuses (a distributed Chroma's SPANN index has no HNSW breadth, a
        read-only token), the collection keeps its own: the breadth tunes recall, it is no
        reason to stop."""
        try:
            if shared and self.collection.count() > 0:
                return
            self.collection.modify(configuration={"hnsw": {"ef_search": n}})
        except Exception as exc:
            log.warning("Chroma kept the collection's own search breadth (%s)", exc)

    @property
    def search_ef(self) -> int:
        """The collection's HNSW search breadth (``ef_search``)."""
        config: Any = self.collection.configuration_json or {}
        return int((config.get("hnsw") or {}).get("ef_search") or 0)

    @property
    def vectorstore(self) -> Any:
        """langchain-chroma's ``Chroma`` over this collection (built on first use)."""
        if self._langchain is None:
            from langchain_chroma import Chroma

            from vectorstore.langchain_embeddings import LangChainEmbeddings

            self._langchain = Chroma(
                client=self.client,
                collection_name=self.collection.name,
                embedding_function=LangChainEmbeddings(self.embedder),
                collection_metadata={"hnsw:space": "cosine"},
            )
        return self._langchain

    def count(self) -> int:
        return int(self.collection.count())

    def upsert(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        embeddings: Vectors,
    ) -> None:
        """Write chunks with precomputed embeddings (in batches Chroma accepts)."""
        for i in range(0, len(ids), _MAX_BATCH):
            j = i + _MAX_BATCH
            self.collection.upsert(
                ids=list(ids[i:j]),
                documents=list(texts[i:j]),
                # A None value stores nothing on a new chunk and removes the field from a
                # stored one (Chroma merges an upsert into the stored metadata).
                metadatas=list(metadatas[i:j]),
                embeddings=np.asarray(embeddings[i:j], dtype=np.float32),
            )

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        """Merge fields into stored chunks' metadata (a None value removes the field);
        texts and vectors stay."""
        for i in range(0, len(ids), _MAX_BATCH):
            j = i + _MAX_BATCH
            self.collection.update(ids=list(ids[i:j]), metadatas=list(metadatas[i:j]))

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), _MAX_BATCH):
            self.collection.delete(ids=list(ids[i : i + _MAX_BATCH]))

    def get(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Texts and metadata by id (ids that are not stored are left out)."""
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        return {
            i: (doc or "", dict(meta or {}))
            for i, doc, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or [])
        }

    def ids_of(self, doc_id: str) -> list[str]:
        got = self.collection.get(where={"doc_id": doc_id}, include=[])
        return list(got["ids"])

    def _pages(self, include: Any, batch: int) -> Iterator[dict[str, Any]]:
        """Chroma ``get`` results page by page, so that a large collection streams."""
        offset = 0
        while True:
            got: Any = self.collection.get(include=include, limit=batch, offset=offset)
            if not got["ids"]:
                return
            yield got
            offset += len(got["ids"])

    def iter_all(
        self, batch: int = 5000, include_text: bool = True
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every (id, text, metadata)."""
        include = ["documents", "metadatas"] if include_text else ["metadatas"]
        for got in self._pages(include, batch):
            docs = got.get("documents") or [""] * len(got["ids"])
            for i, doc, meta in zip(got["ids"], docs, got["metadatas"] or []):
                yield i, doc or "", dict(meta or {})

    def all_texts(self, batch: int = 5000) -> Iterator[tuple[str, str]]:
        """Every (id, text), without metadata (what the BM25 rebuild reads)."""
        for got in self._pages(["documents"], batch):
            docs = got.get("documents") or [""] * len(got["ids"])
            yield from zip(got["ids"], (doc or "" for doc in docs))

    def all_ids(self, batch: int = 20000) -> Iterator[str]:
        """Every chunk id, without texts or metadata (cheap even at 100k chunks)."""
        for got in self._pages([], batch):
            yield from got["ids"]

    def query(
        self, embedding: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, str, dict[str, Any], float]]:
        """Nearest chunks as (id, text, metadata, cosine similarity), best first.

        Chroma 1.x returns fewer than ``k`` (or none) when the collection is smaller, so
        there is no ``count()`` round trip first (it cost ~4 ms per query).
        """
        got: Any = self.collection.query(
            query_embeddings=[list(map(float, embedding))],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0])
        # Chroma returns the cosine *distance*; turn it into a similarity. Rows without a
        # text are left out, as langchain-chroma does.
        return [
            (str(i), doc, dict(meta or {}), 1.0 - float(dist))
            for i, doc, meta, dist in rows
            if doc is not None
        ]
