"""An on-disk cache of embeddings, keyed by the model and a hash of the text.

Why: embedding is the one real cost of ingest (about 40 chunks/s on a 2-core CPU, so
100k chunks take most of an hour). Re-indexing the same texts (a rebuilt index, a new
Chroma server, a changed chunk window that leaves most chunks unchanged, the
benchmark's large corpora) should not pay it twice. The key includes the model's
identity (name, backend and weights), so vectors of one model are never served for another.

Storage is one SQLite file (WAL mode; safe for several processes): a 16-byte key and the
float32 vector as a blob. The cache only ever adds rows; delete the file to empty it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vectorstore.errors import StoreError

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)"
_BATCH = 500  # SQLite's default limit of host parameters is far above this


class EmbeddingCache:
    """Vectors by (model, text), persisted in a SQLite file.

    Args:
        path: the SQLite file (created with its folder when missing).
        model_key: identifies the model that made the vectors (name, backend, weights).
    """

    def __init__(self, path: str | Path, model_key: str) -> None:
        self.path = Path(path)
        self.model_key = model_key
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            conn: sqlite3.Connection | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(_SCHEMA)
                conn.commit()
            except (OSError, sqlite3.Error) as exc:
                if conn is not None:
                    conn.close()
                raise StoreError(f"cannot open the embedding cache {self.path}: {exc}") from None
            self._conn = conn
        return self._conn

    def key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.model_key}\x00{text}".encode()).digest()[:16]

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those texts that have one."""
        keys = {self.key(t): t for t in dict.fromkeys(texts)}
        found: dict[str, np.ndarray] = {}
        order = list(keys)
        with self._lock:
            db = self._db()
            try:
                for start in range(0, len(order), _BATCH):
                    part = order[start : start + _BATCH]
                    marks = ",".join("?" * len(part))
                    rows = db.execute(
                        f"SELECT key, vec FROM vectors WHERE key IN ({marks})", part
                    ).fetchall()
                    for key, blob in rows:
                        found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the embedding cache {self.path}: {exc}") from None
        return found

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store vectors (rows of ``vectors``, in the order of ``texts``)."""
        rows = [
            (self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)
        ]
        with self._lock:
            db = self._db()
            try:
                db.executemany("INSERT OR IGNORE INTO vectors (key, vec) VALUES (?, ?)", rows)
                db.commit()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write the embedding cache {self.path}: {exc}") from None

    def __len__(self) -> int:
        with self._lock:
            try:
                return int(self._db().execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the embedding cache {self.path}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
