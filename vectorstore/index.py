"""The index: Chroma chunks plus the BM25 index and story table derived from them.

Writers take a file lock (one writing process per index; a second one gets a clear
"index is busy" error) and, inside the process, a write lock that readers respect, so
that no question ever sees half of an article's chunks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vectorstore.bm25_index import BM25Index, fingerprint
from vectorstore.chroma_store import ChromaStore, Vectors
from vectorstore.embeddings import Embedder
from vectorstore.errors import ConfigError, IndexBusyError
from vectorstore.sentence_vectors import SentenceVectors
from vectorstore.story_table import StoryTable
from vectorstore.types import Passage

# Up to this many articles, their chunks are fetched with a ``where doc_id in`` filter;
# beyond it one pass over the whole collection is cheaper than many filtered gets.
_FILTERED_GET_MAX = 200


@dataclass(frozen=True)
class ArticleInfo:
    """One indexed article, as listed by ``newsqa articles`` and the chat app."""

    doc_id: str
    title: str | None
    outlet: str | None
    published: str | None
    chunks: int


class RWLock:
    """Many readers or one writer (writers wait for readers to finish, and vice versa)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._readers:
                self._cond.wait()
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


def passage_from(chunk_id: str, text: str, meta: dict[str, Any], score: float) -> Passage:
    """Rebuild a ``Passage`` from what Chroma stores."""
    published = meta.get("published")
    return Passage(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", chunk_id.split(":")[0])),
        text=text,
        score=score,
        title=meta.get("title"),
        outlet=meta.get("outlet"),
        published=dt.date.fromisoformat(published) if published else None,
        position=int(meta.get("position", 0)),
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        metadata=meta,
    )


class NewsIndex:
    """Dense and keyword search over the same chunks.

    Args:
        embedder: the embedding model.
        home: folder for the BM25 index, the story table, the sentence vectors and the lock
            file (and the embedded Chroma store).
        collection: Chroma collection name.
        chroma_url: a Chroma server URL; None for the embedded store under ``home``.
        search_ef: the collection's HNSW search breadth, set when it differs (0: leave it).
    """

    def __init__(
        self,
        embedder: Embedder,
        home: Path,
        collection: str = "newsqa",
        chroma_url: str | None = None,
        search_ef: int = 0,
    ) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.embedder = embedder
        self.home = home
        suffix = "" if chroma_url is None else "-" + collection
        self.store = ChromaStore(
            embedder, collection, path=home / "chroma", url=chroma_url, search_ef=search_ef
        )
        self.bm25 = BM25Index(home / f"bm25{suffix}")
        self.stories = StoryTable(home / f"stories{suffix}.sqlite")
        self.sentences = SentenceVectors(embedder, home / f"sentences{suffix}.sqlite")
        self.rw = RWLock()
        self._lock_path = home / "index.lock"
        self._bm25_ready = False

    # --- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index for writing: the cross-process file lock, then the write lock.

        Raises:
            IndexBusyError: another process holds the index.
        """
        from filelock import FileLock, Timeout

        lock = FileLock(str(self._lock_path), timeout=0.5)
        try:
            lock.acquire()
        except Timeout:
            raise IndexBusyError(
                f"the index at {self.home} is busy: another process is writing to it; "
                "try again when it has finished"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def doc_chunk_ids(self, doc_id: str) -> set[str]:
        return set(self.store.ids_of(doc_id))

    def replace_document(
        self,
        doc_id: str,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        embeddings: Vectors,
    ) -> int:
        """Make the stored chunks of ``doc_id`` exactly these; returns chunks removed.

        Call inside ``writing()``. Readers wait while the swap happens.
        """
        with self.rw.write():
            old = self.doc_chunk_ids(doc_id)
            self.store.upsert(ids, texts, metadatas, embeddings)
            stale = sorted(old - set(ids))
            self.store.delete(stale)
        return len(stale)

    def add_chunks(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        embeddings: Vectors,
    ) -> None:
        """Write chunks of articles that have none stored yet. Call inside ``writing()``."""
        with self.rw.write():
            self.store.upsert(ids, texts, metadatas, embeddings)

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict[str, Any]]) -> None:
        """Merge fields into stored chunks' metadata; a field set to None is removed.
        Texts and vectors stay: nothing is embedded again. Call inside ``writing()``."""
        with self.rw.write():
            self.store.update_metadata(ids, metadatas)

    def delete_document(self, doc_id: str) -> int:
        """Remove every chunk of an article, and its story row; returns how many chunks.

        Call inside ``writing()``.
        """
        with self.rw.write():
            ids = sorted(self.doc_chunk_ids(doc_id))
            self.store.delete(ids)
            self.stories.remove([doc_id])
        return len(ids)

    def set_story(self, doc_id: str, story_id: str) -> None:
        """Record ``story_id`` on every chunk of an article (metadata merge, no re-embedding).

        Why: chunks written before stories existed carry none; the story table rebuild
        groups them and stamps them so ``story_members`` finds them. Call inside
        ``writing()``.
        """
        with self.rw.write():
            ids = sorted(self.doc_chunk_ids(doc_id))
            if ids:
                self.store.collection.update(ids=ids, metadatas=[{"story_id": story_id}] * len(ids))

    def rebuild_bm25(self) -> None:
        """Rebuild the BM25 index from Chroma's chunks and save it."""
        with self.rw.read():
            items = list(self.store.all_texts())
        self.bm25.build(items)
        self.bm25.save()
        self._bm25_ready = True

    def ensure_bm25(self) -> None:
        """Load the saved BM25 index, rebuilding it if it does not match Chroma."""
        if self._bm25_ready:
            return
        loaded = self.bm25.load()
        with self.rw.read():
            ids = list(self.store.all_ids())
        if not loaded or self.bm25.fingerprint != fingerprint(ids):
            self.rebuild_bm25()
        self._bm25_ready = True

    # --- reading -------------------------------------------------------------------------

    def count(self) -> int:
        return self.store.count()

    def dense_search(
        self, embedding: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[Passage]:
        with self.rw.read():
            rows = self.store.query(embedding, k, where)
        self._check_embedder(meta for _, _, meta, _ in rows)
        return [passage_from(i, text, meta, score) for i, text, meta, score in rows]

    def _check_embedder(self, metadatas: Iterable[dict[str, Any]]) -> None:
        """Refuse to compare a question with chunks embedded by another model or backend.

        Raises:
            ConfigError: a chunk records another embedder (chunks written before
                NewsQA recorded it carry none and are not checked).
        """
        mine = self.embedder.identity
        for meta in metadatas:
            theirs = meta.get("embedder")
            if theirs and theirs != mine:
                raise ConfigError(
                    f"the index was embedded with {theirs} but the embedder is now {mine}: "
                    "run `newsqa ingest` on your articles again to re-embed them, "
                    "or set NEWSQA_EMBEDDING_BACKEND to the index's backend"
                )

    def keyword_search(self, query: str, k: int) -> list[Passage]:
        self.ensure_bm25()
        with self.rw.read():
            hits = self.bm25.search(query, k)
            found = self.store.get([i for i, _ in hits])
        return [passage_from(i, *found[i], score=score) for i, score in hits if i in found]

    def articles(self) -> list[ArticleInfo]:
        """Every indexed article with its chunk count, newest first."""
        counts: dict[str, int] = {}
        info: dict[str, dict[str, Any]] = {}
        with self.rw.read():
            for _, _, meta in self.store.iter_all(include_text=False):
                doc_id = str(meta.get("doc_id"))
                counts[doc_id] = counts.get(doc_id, 0) + 1
                info.setdefault(doc_id, meta)
        result = [
            ArticleInfo(
                doc_id=d,
                title=info[d].get("title"),
                outlet=info[d].get("outlet"),
                published=info[d].get("published"),
                chunks=n,
            )
            for d, n in counts.items()
        ]
        return sorted(result, key=lambda a: (a.published or "", a.doc_id), reverse=True)

    def story_members(self, story_id: str) -> list[ArticleInfo]:
        """Every indexed article of a story (distinct doc ids), oldest first.

        Why from Chroma rather than the story table: a reader on another machine sharing a
        Chroma server may have no current table, while every chunk carries its story id.
        """
        return self.story_members_many([story_id]).get(story_id, [])

    def story_members_many(self, story_ids: Collection[str]) -> dict[str, list[ArticleInfo]]:
        """``story_members`` of several stories in one Chroma call (about 12 ms per call
        at 100k chunks, so an answer with six citations should ask once, not six times).
        Stories with no indexed article are left out."""
        wanted = sorted(set(story_ids))
        if not wanted:
            return {}
        where: Any = {"story_id": wanted[0]} if len(wanted) == 1 else {"story_id": {"$in": wanted}}
        with self.rw.read():
            got = self.store.collection.get(where=where, include=["metadatas"])
        counts: dict[tuple[str, str], int] = {}
        info: dict[tuple[str, str], dict[str, Any]] = {}
        for meta in got["metadatas"] or []:
            meta = dict(meta or {})
            key = (str(meta.get("story_id")), str(meta.get("doc_id")))
            counts[key] = counts.get(key, 0) + 1
            info.setdefault(key, meta)
        found: dict[str, list[ArticleInfo]] = {}
        for (story, doc_id), n in counts.items():
            m = info[(story, doc_id)]
            article = ArticleInfo(doc_id, m.get("title"), m.get("outlet"), m.get("published"), n)
            found.setdefault(story, []).append(article)
        for members in found.values():
            members.sort(key=lambda a: (a.published or "9999", a.doc_id))
        return found

    def document_chunks(
        self, doc_ids: Collection[str] | None = None
    ) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        """doc_id -> its chunks' (text, metadata), ordered by ``position``.

        Args:
            doc_ids: the articles to read; None for all. A few are fetched with a filter,
                many with one pass over the collection.
        """
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        wanted = None if doc_ids is None else set(doc_ids)
        with self.rw.read():
            if wanted is not None and len(wanted) <= _FILTERED_GET_MAX:
                rows: Iterable[tuple[str, str, dict[str, Any]]] = []
                if wanted:
                    where: Any = {"doc_id": {"$in": sorted(wanted)}}
                    got: Any = self.store.collection.get(
                        where=where, include=["documents", "metadatas"]
                    )
                    rows = zip(got["ids"], got["documents"] or [], got["metadatas"] or [])
            else:
                rows = self.store.iter_all()
            for _, text, meta in rows:
                meta = dict(meta or {})
                doc_id = str(meta.get("doc_id"))
                if wanted is None or doc_id in wanted:
                    found.setdefault(doc_id, []).append((text or "", meta))
        for chunks in found.values():
            chunks.sort(key=lambda c: int(c[1].get("position", 0)))
        return found

    def doc_state(self) -> dict[str, tuple[frozenset[str], int, int]]:
        """doc_id -> (doc hashes seen on its chunks, expected chunk count, stored count).

        An article is complete and current only when it has one hash, the one expected,
        and as many chunks as it says; anything else is a partial or stale write.
        """
        return self.doc_state_and_older("", 0)[0]

    def doc_state_and_older(
        self, field: str, version: int
    ) -> tuple[dict[str, tuple[frozenset[str], int, int]], set[str]]:
        """``doc_state()``, and the articles with a chunk whose integer ``field`` is below
        ``version`` or missing (an empty ``field``: none), in one pass over the metadata."""
        hashes: dict[str, set[str]] = {}
        expected: dict[str, int] = {}
        stored: dict[str, int] = {}
        older: set[str] = set()
        with self.rw.read():
            for _, _, meta in self.store.iter_all(include_text=False):
                doc_id = str(meta.get("doc_id"))
                hashes.setdefault(doc_id, set()).add(str(meta.get("doc_hash", "")))
                expected[doc_id] = int(meta.get("n_chunks", 0))
                stored[doc_id] = stored.get(doc_id, 0) + 1
                if field and int(meta.get(field) or 0) < version:
                    older.add(doc_id)
        state = {d: (frozenset(hashes[d]), expected[d], stored[d]) for d in hashes}
        return state, older
