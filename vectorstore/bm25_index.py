"""Keyword search with BM25 (bm25s), persisted beside the Chroma index.

Dense retrieval misses rare names ("Who is Mao Ning?"); BM25 finds them. The BM25
index is derived data: it is rebuilt from Chroma's chunks after each ingest, saved with
the ids it covers and a fingerprint, and rebuilt again whenever that fingerprint no
longer matches Chroma (a killed ingest, a store shared with another machine).

bm25s builds and saves the index; searching reads its saved score matrix with numpy alone
(``ScoreMatrix``), the same arithmetic as ``bm25s.BM25.retrieve``, because importing bm25s
pulls in SciPy: a fifth of a second of every cold ``newsqa ask``.
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


class ScoreMatrix:
    """bm25s's precomputed BM25 scores (CSC: one column of document scores per token) and
    its vocabulary; ``top`` gives exactly what ``bm25s.BM25.retrieve`` gives (same float32
    sums in the same order, the same partition and sort, so the same ties).

    Args:
        data: the non-zero scores, column by column.
        indices: the document of each score.
        indptr: where each token's column starts in ``data``.
        vocab: token -> column.
        num_docs: documents in the index.
    """

    def __init__(
        self,
        data: np.ndarray,
        indices: np.ndarray,
        indptr: np.ndarray,
        vocab: dict[str, int],
        num_docs: int,
    ) -> None:
        self.data, self.indices, self.indptr = data, indices, indptr
        self.vocab = vocab
        self.num_docs = num_docs

    @classmethod
    def of_model(cls, model: Any) -> ScoreMatrix:
        """The matrix of an in-memory ``bm25s.BM25`` (just indexed)."""
        scores = model.scores
        return cls(
            scores["data"], scores["indices"], scores["indptr"], dict(model.vocab_dict),
            int(scores["num_docs"]),
        )  # fmt: skip

    @classmethod
    def read(cls, folder: Path) -> ScoreMatrix:
        """The matrix bm25s saved in ``folder`` (memory-mapped, as ``BM25.load(mmap=True)``).

        Raises:
            OSError, ValueError, KeyError: a file is missing or unreadable.
        """

        def array(name: str) -> np.ndarray:
            return np.load(folder / f"{name}.csc.index.npy", mmap_mode="r")

        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method", "lucene") not in ("lucene", "robertson", "atire"):
            raise ValueError(f"unsupported BM25 variant {params.get('method')!r}")
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        dtype = np.dtype(params.get("dtype", "float32"))
        data = array("data")
        if data.dtype != dtype:
            raise ValueError(f"BM25 scores are {data.dtype}, the params say {dtype}")
        return cls(data, array("indices"), array("indptr"), vocab, int(params["num_docs"]))

    def top(self, tokens: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """(documents, scores) of the ``k`` best documents for ``tokens``, best first. Every
        token must be in ``vocab`` (``BM25Index.search`` keeps the known ones) and ``k`` is at
        most ``num_docs``."""
        ids = np.asarray([self.vocab[t] for t in tokens], dtype=np.int32)
        scores = np.zeros(self.num_docs, dtype=self.data.dtype)
        starts, ends = self.indptr[ids], self.indptr[ids + 1]
        for start, end in zip(starts, ends, strict=True):
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        part = np.argpartition(scores, -k)[-k:]  # bm25s: .take(indices=range(-k, 0))
        part_scores = np.take(scores, part)
        order = np.flip(np.argsort(part_scores))
        return part[order], part_scores[order]


class BM25Index:
    """A persisted BM25 index over chunk texts, addressed by chunk id.

    Args:
        path: folder holding the saved index (created on save).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._model: Any = None  # the bm25s model just built (saved by ``save``)
        self._matrix: ScoreMatrix | None = None
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
        model = matrix = None
        if ids:
            model = bm25s.BM25()
            model.index(tokens, show_progress=False)
            matrix = ScoreMatrix.of_model(model)
        with self._lock:
            self._model, self._matrix = model, matrix
            self._ids, self._fingerprint = ids, fingerprint(ids)

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
        meta = self.path / "ids.json"
        if not meta.is_file():
            return False
        try:
            data = json.loads(meta.read_text())
            ids = list(data["ids"])
            matrix = ScoreMatrix.read(self.path) if ids else None
            if matrix is not None and matrix.num_docs != len(ids):
                raise ValueError("the score matrix and the ids disagree")
        except (OSError, ValueError, KeyError, TypeError):
            return False
        with self._lock:
            self._model, self._matrix = None, matrix
            self._ids, self._fingerprint = ids, str(data["fingerprint"])
        return True

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Best (chunk id, BM25 score) pairs for a query; only positive scores."""
        tokens = tokenize(query)
        with self._lock:
            matrix, ids = self._matrix, self._ids
        if matrix is None or not tokens or not ids:
            return []
        known = [t for t in tokens if t in matrix.vocab]
        if not known:
            return []
        docs, scores = matrix.top(known, min(k, len(ids), matrix.num_docs))
        result = []
        for index, score in zip(docs, scores, strict=True):
            if float(score) > 0:
                result.append((ids[int(index)], float(score)))
        return result
