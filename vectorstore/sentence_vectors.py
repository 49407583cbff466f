"""Sentence vectors computed once at ingest and read at answer time.

Why: most of an answer's time is embedding the sentences it scores (the question's 16 best
candidate sentences: about 100 ms on 2 cores at fp32, several times that on CPUs without
AVX-512). Those sentences are slices of indexed chunks, so ingest embeds every chunk's
sentences once and keeps them beside the index; the answerer reads them and embeds only
what the store lacks (the question, sentences of chunks indexed before the store existed).

A stored vector is the one the answerer would compute: the ONNX backends' vector of a text
depends on the text alone, never on its batch (``vectorstore.onnx_backend``), and the store
is keyed by the model's identity and weights (``Embedder.cache_key``). So an answer does not
depend on whether a sentence was stored. The store is only a speed-up: when its file cannot
be read or written it is switched off and the sentences are embedded as before.

Storage is one SQLite file of the index (``vectorstore.embedding_cache``: a 16-byte key and
384 float32 per sentence, about 1.6 kB). Rows are keyed by text, so the rows of deleted
articles are harmless; they stay until the file is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from vectorstore.embedding_cache import EmbeddingCache
from vectorstore.embeddings import Embedder
from vectorstore.errors import StoreError


class SentenceVectors:
    """The vectors of the indexed chunks' sentences, and a drop-in ``encode_cached``.

    Args:
        embedder: the index's embedding model (embeds what the store lacks).
        path: the SQLite file (created on first write).
    """

    def __init__(self, embedder: Embedder, path: Path) -> None:
        self.embedder = embedder
        self.path = path
        self._store: EmbeddingCache | None = None
        self.problem: str | None = None  # why the store was switched off

    @property
    def store(self) -> EmbeddingCache | None:
        """The SQLite store; None once it has failed."""
        if self.problem is not None:
            return None
        if self._store is None:
            self._store = EmbeddingCache(self.path, self.embedder.cache_key)
        return self._store

    def _off(self, exc: StoreError) -> None:
        self.problem = str(exc)
        if self._store is not None:
            self._store.close()
            self._store = None

    def add(self, texts: Iterable[str]) -> int:
        """Embed and keep the sentences the store lacks; returns how many were embedded.

        The vectors come from ``Embedder.encode_documents``, so a configured embedding
        cache serves sentences embedded by an earlier ingest of the same texts.
        """
        wanted = list(dict.fromkeys(t for t in texts if t.strip()))
        store = self.store
        if store is None or not wanted:
            return 0
        try:
            known = store.get_many(wanted)
            missing = [t for t in wanted if t not in known]
            if missing:
                store.put_many(missing, self.embedder.encode_documents(missing))
        except StoreError as exc:
            self._off(exc)
            return 0
        return len(missing)

    def encode_cached(self, texts: list[str]) -> np.ndarray:
        """Like ``Embedder.encode_cached``: stored vectors first, the model for the rest."""
        store = self.store
        known: dict[str, np.ndarray] = {}
        if store is not None and texts:
            try:
                known = store.get_many(texts)
            except StoreError as exc:
                self._off(exc)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, self.embedder.encode_cached(missing), strict=True))
        return self.embedder.stack(texts, known)

    def __len__(self) -> int:
        """Sentences stored (0 when the store is off)."""
        store = self.store
        if store is None:
            return 0
        try:
            return len(store)
        except StoreError as exc:
            self._off(exc)
            return 0
