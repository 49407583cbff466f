"""Features of a retrieved passage, for the learned passage ranker.

Why: fusing the dense and BM25 lists by rank alone (RRF) puts an answer-bearing passage in
the top 5 for about 0.28 of real news questions while the two lists' top 50 hold one for
nearly twice as many. Which of the pooled passages answers depends on more than two ranks:
how much of the question (and its names) the passage covers, its headline, its freshness
against the day of the question, where in its article it sits. ``newsqa train-reader``
learns how these weigh; training and answering compute them with this one function.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import numpy as np

from rag.retrieve.base import Period, overlaps
from rag.types import Passage
from vectorstore.bm25_index import tokenize

PASSAGE_FEATURES: tuple[str, ...] = (
    "dense_rank",  # log(1 + rank in the dense list); log(1 + depth + 1) when absent
    "dense_score",  # cosine similarity (0 when absent)
    "in_dense",
    "bm25_rank",
    "bm25_ratio",  # BM25 score over the list's best (0 when absent)
    "in_bm25",
    "rrf",  # reciprocal-rank fusion score (x 100)
    "coverage",  # IDF-weighted share of the question's words in the passage (IDF over the pool)
    "names",  # share of the question's capitalised words found in the passage
    "title_coverage",  # share of the question's words in the article's headline
    "age_days",  # log(1 + days from publication to the question's date); -1 unknown
    "newer_rank",  # log(1 + rank of its publication date among the pool's, newest first)
    "position",  # log(1 + the passage's character offset in its article / 1000)
    "in_period",  # its dates fall in a period the question names
    "words",  # log(1 + words in the passage)
    "same_doc",  # log(1 + other pooled passages of the same article)
)
PASSAGE_VERSION = 1
_NAME = re.compile(r"\b[A-Z][\w'’.-]+")


def _log_rank(rank: int | None, depth: int) -> float:
    return math.log1p(rank if rank is not None else depth + 1)


def passage_rows(
    question: str,
    pool: Sequence[Passage],
    dense: dict[str, tuple[int, float]],
    keyword: dict[str, tuple[int, float]],
    depth: int,
    as_of: dt.date | None,
    period: Period | None,
) -> np.ndarray:
    """One feature row per pooled passage (``PASSAGE_FEATURES``).

    Args:
        question: the (standalone) question.
        pool: the union of both lists, in the order rows are wanted.
        dense: chunk id -> (0-based rank, cosine) in the dense list.
        keyword: chunk id -> (0-based rank, BM25 score) in the BM25 list.
        depth: how deep each list went (the rank given to a passage a list lacks).
        as_of: the question's date; None when unknown.
        period: a period the question names (YYYYMMDD bounds), or None.
    """
    if not pool:
        return np.zeros((0, len(PASSAGE_FEATURES)), dtype=np.float64)
    terms = list(dict.fromkeys(tokenize(question)))
    tokens = [set(tokenize(p.text)) for p in pool]
    n = len(pool)
    idf = {t: math.log((n + 1) / (sum(1 for s in tokens if t in s) + 0.5)) for t in terms}
    total = sum(idf.values()) or 1.0
    names = [t for w in _NAME.findall(question[1:]) for t in tokenize(w)]
    names = list(dict.fromkeys(names))
    best_bm25 = max((s for _r, s in keyword.values()), default=0.0) or 1.0
    days = sorted({p.published for p in pool if p.published is not None}, reverse=True)
    newer = {d: i for i, d in enumerate(days)}
    per_doc: dict[str, int] = {}
    for p in pool:
        per_doc[p.doc_id] = per_doc.get(p.doc_id, 0) + 1
    rows = []
    for p, seen in zip(pool, tokens, strict=True):
        d = dense.get(p.chunk_id)
        k = keyword.get(p.chunk_id)
        rrf = sum(
            1.0 / (61 + r) for r in (d[0] if d else None, k[0] if k else None) if r is not None
        )
        title = set(tokenize(p.title or ""))
        age = (as_of - p.published).days if as_of is not None and p.published else None
        rows.append(
            [
                _log_rank(d[0] if d else None, depth),
                d[1] if d else 0.0,
                1.0 if d else 0.0,
                _log_rank(k[0] if k else None, depth),
                (k[1] / best_bm25) if k else 0.0,
                1.0 if k else 0.0,
                100.0 * rrf,
                sum(v for t, v in idf.items() if t in seen) / total,
                sum(1 for t in names if t in seen) / len(names) if names else 0.0,
                sum(1 for t in terms if t in title) / len(terms) if terms else 0.0,
                math.log1p(max(age, 0)) if age is not None else -1.0,
                math.log1p(newer[p.published]) if p.published in newer else -1.0,
                math.log1p(p.start / 1000.0),
                1.0 if period is not None and overlaps(p, period) else 0.0,
                math.log1p(len(p.text.split())),
                math.log1p(per_doc[p.doc_id] - 1),
            ]
        )
    return np.asarray(rows, dtype=np.float64)
