"""The story table: each indexed article's story id and MinHash signature, in SQLite.

Why a file of its own under the index home (like the BM25 index): grouping a new article
needs the signatures of the existing ones, and recomputing them means reading every
chunk back from Chroma (slow against a server). The table is only a cache of what Chroma
says: chunks carry their ``story_id``, and ``rag.ingest.stories`` re-reads from Chroma
whatever the table is missing or holds for another version of an article. This module
stores bytes and strings only; it knows nothing about how signatures are made.

Writers call it inside ``NewsIndex.writing()``; each call opens its own short connection,
so the table is safe to use from any thread and from several processes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stories (
    doc_id TEXT PRIMARY KEY,
    doc_hash TEXT NOT NULL,
    story_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    title TEXT,
    signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_by_story ON stories (story_id, seq);
CREATE INDEX IF NOT EXISTS stories_by_seq ON stories (seq);
"""


@dataclass(frozen=True)
class StoryRow:
    """One article in the table."""

    doc_id: str
    doc_hash: str
    story_id: str
    title: str | None
    signature: bytes


class StoryTable:
    """doc_id -> (doc hash, story id, insertion order, title, signature).

    Args:
        path: the SQLite file (created on first use).
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30.0)
        try:
            conn.executescript(_SCHEMA)
            with conn:
                yield conn
        finally:
            conn.close()

    def recipe(self) -> str | None:
        """The signature recipe the rows were made with (None for a new table)."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'recipe'").fetchone()
        return str(row[0]) if row else None

    def reset(self, recipe: str) -> None:
        """Drop every row and record the recipe of the signatures to come."""
        with self._connect() as conn:
            conn.execute("DELETE FROM stories")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('recipe', ?)", (recipe,))

    def hashes(self) -> dict[str, str]:
        """doc_id -> doc hash of every row (no signatures: cheap at any size)."""
        with self._connect() as conn:
            return dict(conn.execute("SELECT doc_id, doc_hash FROM stories"))

    def story_ids(self) -> dict[str, str]:
        """doc_id -> story id of every row."""
        with self._connect() as conn:
            return dict(conn.execute("SELECT doc_id, story_id FROM stories"))

    def rows(self) -> Iterator[StoryRow]:
        """Every row, oldest first (the order articles joined)."""
        with self._connect() as conn:
            found = conn.execute(
                "SELECT doc_id, doc_hash, story_id, title, signature FROM stories ORDER BY seq"
            ).fetchall()
        for doc_id, doc_hash, story_id, title, sig in found:
            yield StoryRow(doc_id, doc_hash, story_id, title, bytes(sig))

    def put(self, rows: Iterable[StoryRow]) -> None:
        """Insert or update rows, in order, in one transaction (a commit costs ~20 ms on
        disk, so callers batch). An updated article keeps its place in the order."""
        with self._connect() as conn:
            conn.executemany(
                "INSERT INTO stories (doc_id, doc_hash, story_id, seq, title, signature) "
                "VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM stories), ?, ?) "
                "ON CONFLICT (doc_id) DO UPDATE SET doc_hash = excluded.doc_hash, "
                "story_id = excluded.story_id, title = excluded.title, "
                "signature = excluded.signature",
                [(r.doc_id, r.doc_hash, r.story_id, r.title, r.signature) for r in rows],
            )

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Delete the rows of these articles; returns how many there were."""
        with self._connect() as conn:
            cursor = conn.executemany(
                "DELETE FROM stories WHERE doc_id = ?", [(d,) for d in doc_ids]
            )
            return max(0, cursor.rowcount)

    def first_member(self, story_id: str) -> tuple[str, str | None] | None:
        """(doc_id, title) of the story's first article: the one whose id names the story
        while it is indexed, else the earliest remaining member."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT doc_id, title FROM stories WHERE story_id = ? "
                "ORDER BY doc_id != story_id, seq LIMIT 1",
                (story_id,),
            ).fetchone()
        return (str(row[0]), row[1]) if row else None
