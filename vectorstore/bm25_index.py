"""Keyword search with BM25 (bm25s), persisted beside the Chroma index.

Dense retrieval misses rare names ("Who is Mao Ning?"); BM25 finds them. The BM25
index is derived data: it is rebuilt from Chroma's chunks after each ingest, saved with
the ids it covers and a fingerprint, and rebuilt again whenever that fingerprint no
longer matches Chroma (a killed ingest, a store shared with another machine).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)
_STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves did does says said also
""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, stop words removed, Snowball-stemmed."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in _STOPWORDS]
    return list(_stemmer().stemWords(words)) if words else []


def fingerprint(ids: Iterable[str]) -> str:
    """Order-independent digest of a set of chunk ids."""
    digest = hashlib.sha256()
    for i in sorted(ids):
        digest.update(i.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


class BM25Index:
    """A persisted BM25 index over chunk texts, addressed by chunk id.

    Args:
        path: folder holding the saved index (created on save).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._model: Any = None
        self._ids: list[str] = []
        self._fingerprint = fingerprint([])
        self._lock = threading.Lock()

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    def __len__(self) -> int:
        return len(self._ids)

    def build(self, items: Iterable[tuple[str, str]]) -> None:
        """Index (chunk id, text) pairs, replacing what was there."""
        import bm25s

        ids: list[str] = []
        tokens: list[list[str]] = []
        for chunk_id, text in items:
            ids.append(chunk_id)
            tokens.append(tokenize(text) or ["<empty>"])
        model = None
        if ids:
            model = bm25s.BM25()
            model.index(tokens, show_progress=False)
        with self._lock:
            self._model, self._ids, self._fingerprint = model, ids, fingerprint(ids)

    def save(self) -> None:
        """Write the index atomically: a new folder, then a rename."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        with self._lock:
            model, ids, fp = self._model, self._ids, self._fingerprint
        if model is not None:
            model.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps({"fingerprint": fp, "ids": ids}))
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        tmp.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)

    def load(self) -> bool:
        """Load the saved index; False when there is none or it cannot be read."""
        import bm25s

        meta = self.path / "ids.json"
        if not meta.is_file():
            return False
        try:
            data = json.loads(meta.read_text())
            ids = list(data["ids"])
            model = None
            if ids:
                model = bm25s.BM25.load(str(self.path), mmap=True, show_progress=False)
        except (OSError, ValueError, KeyError):
            return False
        with self._lock:
            self._model, self._ids, self._fingerprint = model, ids, str(data["fingerprint"])
        return True

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Best (chunk id, BM25 score) pairs for a query; only positive scores."""
        tokens = tokenize(query)
        with self._lock:
            model, ids = self._model, self._ids
        if model is None or not tokens or not ids:
            return []
        known = [t for t in tokens if t in model.vocab_dict]
        if not known:
            return []
        k = min(k, len(ids))
        docs, scores = model.retrieve([known], k=k, show_progress=False, n_threads=1)
        result = []
        for index, score in zip(np.asarray(docs)[0], np.asarray(scores)[0]):
            if float(score) > 0:
                result.append((ids[int(index)], float(score)))
        return result
