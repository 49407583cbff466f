"""Story grouping at ingest: keeps the story table in step with Chroma, assigns story ids.

Chroma is the record (every chunk carries ``story_id``); the SQLite story table under the
index home (``vectorstore.story_table``) caches each article's signature so that grouping
a new article does not read the collection back. At the start of an ingest ``sync``
compares the table with the ingest's own view of Chroma (``NewsIndex.doc_state``, read
anyway): rows of articles that are gone or changed are dropped, and only articles the
table lacks are read from Chroma (all of them when the file is missing, e.g. a new
machine in front of a Chroma server). A current table costs one small SQL query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rag.stories import RECIPE, StoryIndex, article_text, from_bytes, signature, to_bytes
from rag.types import Article, Chunk
from vectorstore.index import NewsIndex
from vectorstore.story_table import StoryRow

DocState = dict[str, tuple[frozenset[str], int, int]]


@dataclass(frozen=True)
class Grouped:
    """Where an ingested article went: its story, and the line for the report if it joined
    another article's story."""

    story_id: str
    joined: str | None


def chunks_text(chunks: Sequence[Chunk]) -> str:
    """The text an article is signed by (the same at ingest and when rebuilt from Chroma)."""
    ordered = sorted(chunks, key=lambda c: c.position)
    return article_text((c.start, c.text) for c in ordered)


def _stored_text(chunks: Sequence[tuple[str, dict[str, Any]]]) -> str:
    return article_text((int(meta.get("start", 0)), text) for text, meta in chunks)


class StoryGrouper:
    """Assigns story ids to the articles of one ingest. Use inside ``index.writing()``.

    New rows are buffered and written by ``flush`` (call it when the ingest ends): one
    SQLite commit per article would cost more than signing it. Rows lost to a crash are
    rebuilt from Chroma by the next ``sync``; rows of articles whose chunks never got
    written are dropped by it.

    Args:
        index: the index whose ``stories`` table is kept.
        threshold: the Jaccard estimate at which two articles are one story.
    """

    def __init__(self, index: NewsIndex, threshold: float) -> None:
        self.index = index
        self.table = index.stories
        self.threshold = threshold
        self._stories: StoryIndex | None = None
        self._story_ids: dict[str, str] | None = None
        self._pending: list[StoryRow] = []
        # story id -> (doc_id, title) of its first article, for the report lines
        self._first: dict[str, tuple[str, str | None]] = {}

    def sync(self, state: DocState) -> int:
        """Make the table hold exactly Chroma's complete articles; returns rows rebuilt.

        Args:
            state: ``index.doc_state()`` (doc_id -> hashes, expected and stored chunks).
        """
        if self.table.recipe() != RECIPE:
            self.table.reset(RECIPE)
        complete = {
            d: next(iter(h)) for d, (h, want, have) in state.items() if len(h) == 1 and want == have
        }
        rows = self.table.hashes()
        stale = [d for d, h in rows.items() if complete.get(d) != h]
        self.table.remove(stale)
        missing = sorted(set(complete) - (set(rows) - set(stale)))
        if missing:
            self._rebuild(missing, complete)
        return len(missing)

    def _rebuild(self, doc_ids: list[str], hashes: dict[str, str]) -> None:
        """Sign the given articles from their stored chunks and add them to the table.

        Their story id comes from the chunks; articles indexed before stories existed
        have none, and are grouped here (oldest first, so the original starts the story)
        and stamped with it.
        """
        stored = self.index.document_chunks(doc_ids)
        known: list[tuple[str, str, dict[str, Any], np.ndarray]] = []
        unknown: list[tuple[str, dict[str, Any], np.ndarray]] = []
        for doc_id in doc_ids:
            chunks = stored.get(doc_id)
            if not chunks:
                continue
            meta = chunks[0][1]
            sig = signature(_stored_text(chunks))
            story = meta.get("story_id")
            if story:
                known.append((doc_id, str(story), meta, sig))
            else:
                unknown.append((doc_id, meta, sig))
        # The article that names a story goes in first, so it stays the story's first.
        known.sort(key=lambda k: (k[0] != k[1], k[2].get("published") or "", k[0]))
        self.table.put(
            StoryRow(doc_id, hashes[doc_id], story, meta.get("title"), to_bytes(sig))
            for doc_id, story, meta, sig in known
        )
        unknown.sort(key=lambda u: (u[1].get("published") or "", u[0]))
        grouped: list[StoryRow] = []
        for doc_id, meta, sig in unknown:
            story, _ = self._index().assign(doc_id, sig)
            grouped.append(
                StoryRow(doc_id, hashes[doc_id], story, meta.get("title"), to_bytes(sig))
            )
            self.index.set_story(doc_id, story)
        self.table.put(grouped)

    def _index(self) -> StoryIndex:
        """The in-memory LSH, loaded from the table on first need (only when grouping)."""
        if self._stories is None:
            self._stories = StoryIndex(self.threshold)
            for row in self.table.rows():
                self._stories.add(row.doc_id, row.story_id, from_bytes(row.signature))
        return self._stories

    def assign(self, article: Article, chunks: Sequence[Chunk], doc_hash: str) -> Grouped:
        """Group a new or changed article and buffer its row for the table."""
        doc_id = article.doc_id
        sig = signature(chunks_text(chunks))
        story, match = self._index().assign(doc_id, sig)
        self._pending.append(StoryRow(doc_id, doc_hash, story, article.title, to_bytes(sig)))
        if self._story_ids is not None:
            self._story_ids[doc_id] = story
        if story == doc_id:
            self._first[story] = (doc_id, article.title)
            return Grouped(story, None)
        if match is None:
            return Grouped(story, None)
        if story not in self._first:
            # Written rows come before buffered ones, and a buffered first article (one
            # that names its story) is in ``_first`` already: no flush needed.
            self._first[story] = self.table.first_member(story) or (match.doc_id, None)
        first_id, title = self._first[story]
        return Grouped(story, f"{doc_id} joined story {story} ({title or first_id})")

    def flush(self) -> None:
        """Write the buffered rows (one transaction)."""
        if self._pending:
            self.table.put(self._pending)
            self._pending = []

    def story_of(self, doc_id: str) -> str:
        """The story of an indexed article (its own id when the table has no row)."""
        if self._story_ids is None:
            self.flush()
            self._story_ids = self.table.story_ids()
        return self._story_ids.get(doc_id, doc_id)
