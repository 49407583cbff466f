"""Answer, citation, retrieval and latency metrics over the runner's per-question records.

Every function here is pure: it reads plain dicts (one per question, as written by the runner)
and returns plain values, so reports can be recomputed from a saved ``report.json`` and the
numbers can be checked by hand in tests. Each metric is defined in ``docs/evaluation.md``;
the docstrings below say how the edge cases are treated. Shares whose denominator is zero are
None rather than 0, so that "no data" is never mistaken for "all wrong".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eval.dataset import contains_alias
from rag.lexical import (  # the answer checks score groundedness with these same functions
    GROUNDED_THRESHOLD,
    STOP_WORDS,
    content_words,
    groundedness,
    normalize,
    split_sentences,
    strip_markers,
)

__all__ = [
    "GROUNDED_THRESHOLD",
    "STOP_WORDS",
    "aggregate",
    "content_words",
    "groundedness",
    "is_correct",
    "is_short_correct",
    "percentile",
    "score_record",
    "split_sentences",
    "strip_markers",
    "token_f1",
]


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style token F1 between two texts after normalisation (bag of tokens)."""
    pred = normalize(strip_markers(prediction)).split()
    ref = normalize(reference).split()
    if not pred or not ref:
        return 0.0
    overlap = sum((Counter(pred) & Counter(ref)).values())
    if overlap == 0:
        return 0.0
    precision = overlap / len(pred)
    recall = overlap / len(ref)
    return 2 * precision * recall / (precision + recall)


def is_correct(record: Mapping[str, Any]) -> bool:
    """README rule: answerable -> not abstained and some alias occurs; else -> abstained."""
    abstained = bool(record.get("abstained"))
    if not record.get("answerable", True):
        return abstained
    answer = record.get("answer") or ""
    return not abstained and any(contains_alias(answer, a) for a in record.get("answers", []))


def is_short_correct(record: Mapping[str, Any]) -> bool:
    """The stricter reading of the README rule: when the answer leads with a short answer
    (``short``), that phrase itself must name a gold alias; a right name somewhere in the
    quoted sentences does not save a wrong short answer ("Putin [1]. '... (Mao Ning,
    spokesperson ...)'" is wrong for "Who is the spokesperson?"). Without a short answer
    (or for unanswerable questions) it is ``is_correct``, as RealTime QA's ``judged_text``
    judges the whole text when there is no short answer."""
    short = record.get("short")
    if not short or not record.get("answerable", True):
        return is_correct(record)
    return is_correct({**record, "answer": str(short)})


def score_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Per-question scores that the runner merges into the record.

    Returns:
        ``correct`` (bool), ``f1`` (float), ``citation_precision`` (float, None without
        citations or for unanswerable questions), ``supported`` (bool, None for unanswerable
        questions) and ``grounded`` (float, None when abstained or without citations).
    """
    answerable = bool(record.get("answerable", True))
    abstained = bool(record.get("abstained"))
    answer = record.get("answer") or ""
    citations = list(record.get("citations") or [])
    cited_texts = [str(c.get("text") or "") for c in citations]
    sources = set(record.get("sources") or [])

    if not answerable:
        f1 = 1.0 if abstained else 0.0
    elif abstained:
        f1 = 0.0
    else:
        f1 = max((token_f1(answer, a) for a in record.get("answers", [])), default=0.0)

    citation_precision: float | None = None
    supported: bool | None = None
    if answerable:
        if citations:
            citation_precision = sum(c.get("doc_id") in sources for c in citations) / len(citations)
        evidence = record.get("evidence") or []
        supported = any(contains_alias(t, e) for t in cited_texts for e in evidence)

    grounded = None if abstained or not citations else groundedness(answer, cited_texts)
    return {
        "correct": is_correct(record),
        "short_correct": is_short_correct(record),
        "f1": f1,
        "citation_precision": citation_precision,
        "supported": supported,
        "grounded": grounded,
    }


def percentile(values: Iterable[float], q: float) -> float | None:
    """Linear-interpolated percentile (NumPy's default "linear" method), None when empty.

    The q-th percentile sits at position ``(n - 1) * q / 100`` of the sorted values and is
    interpolated between the two neighbours, so p50 of [1, 2, 3, 4] is 2.5.
    """
    data = sorted(float(v) for v in values)
    if not data:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    pos = (len(data) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def _share(hits: Iterable[bool | float]) -> float | None:
    """Mean of booleans or numbers; None for an empty input instead of a division by zero."""
    items = [float(h) for h in hits]
    return sum(items) / len(items) if items else None


def _latency(records: Sequence[Mapping[str, Any]], key: str) -> dict[str, float | None]:
    """p50, p95 and mean of one timing field, skipping records that lack it."""
    values = [float(r[key]) for r in records if isinstance(r.get(key), (int, float))]
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "mean": sum(values) / len(values) if values else None,
    }


def _first_source_rank(record: Mapping[str, Any]) -> int | None:
    """1-based rank of the first retrieved chunk from a source article, None if absent."""
    sources = set(record.get("sources") or [])
    for rank, passage in enumerate(record.get("retrieved") or [], start=1):
        if passage.get("doc_id") in sources:
            return rank
    return None


def aggregate(
    records: Sequence[Mapping[str, Any]], ks: Sequence[int] = (1, 3, 5, 10)
) -> dict[str, Any]:
    """Summarise a run: answer quality, retrieval, citations, abstention and latency.

    Scores are recomputed with :func:`score_record`, so stale per-record fields cannot skew
    the summary. Retrieval metrics use answerable questions only (unanswerable ones have no
    source article).

    Args:
        records: one dict per question, as produced by the runner.
        ks: cut-offs for ``hit_at_k`` and ``recall_at_k``.

    Returns:
        A JSON-ready dict; every share whose denominator is zero is None.
    """
    scores = [score_record(r) for r in records]
    answerable = [r for r in records if r.get("answerable", True) and r.get("sources")]
    unanswerable = [r for r in records if not r.get("answerable", True)]
    abstained = [r for r in records if r.get("abstained")]

    by_kind: dict[str, list[bool]] = {}
    for record, score in zip(records, scores, strict=True):
        by_kind.setdefault(str(record.get("kind", "")), []).append(score["correct"])

    def docs_at(record: Mapping[str, Any], k: int) -> set[str]:
        return {p.get("doc_id") for p in (record.get("retrieved") or [])[:k]}

    hit_at_k = {k: _share(bool(docs_at(r, k) & set(r["sources"])) for r in answerable) for k in ks}
    recall_at_k = {
        k: _share(
            len(docs_at(r, k) & set(r["sources"])) / len(set(r["sources"])) for r in answerable
        )
        for k in ks
    }
    ranks = [_first_source_rank(r) for r in answerable]
    with_evidence = [r for r in answerable if r.get("evidence")]
    evidence_hits = (
        any(
            contains_alias(str(p.get("text") or ""), e)
            for p in r.get("retrieved") or []
            for e in r["evidence"]
        )
        for r in with_evidence
    )

    def defined(name: str) -> list[float]:
        return [float(s[name]) for s in scores if s[name] is not None]

    return {
        "n": len(records),
        "n_answerable": sum(1 for r in records if r.get("answerable", True)),
        "n_unanswerable": len(unanswerable),
        "n_by_kind": {kind: len(v) for kind, v in sorted(by_kind.items())},
        "accuracy": _share(s["correct"] for s in scores),
        "short_accuracy": _share(s["short_correct"] for s in scores),
        "f1": _share(s["f1"] for s in scores),
        "accuracy_by_kind": {kind: _share(v) for kind, v in sorted(by_kind.items())},
        "hit_at_k": hit_at_k,
        "recall_at_k": recall_at_k,
        "mrr": _share(1 / rank if rank else 0.0 for rank in ranks),
        "evidence_recall": _share(evidence_hits),
        "citation_precision": _citation_precision(records, answered_only=False),
        "answer_citation_precision": _citation_precision(records, answered_only=True),
        "support_rate": _share(defined("supported")),
        "groundedness": _share(defined("grounded")),
        "abstention_precision": _share(not r.get("answerable", True) for r in abstained),
        "abstention_recall": _share(bool(r.get("abstained")) for r in unanswerable),
        "over_abstention": _share(
            bool(r.get("abstained")) for r in records if r.get("answerable", True)
        ),
        "fallback_rate": _share(bool(r.get("fallback_reason")) for r in records),
        "latency_ms": _latency(records, "latency_ms"),
        "retrieve_ms": _latency(records, "retrieve_ms"),
        "answer_ms": _latency(records, "answer_ms"),
    }


def _citation_precision(records: Sequence[Mapping[str, Any]], answered_only: bool) -> float | None:
    """Cited passages from a source article over all citations of answerable questions;
    ``answered_only`` leaves out declines, whose citations are the closest passages shown
    so the reader can judge, not sources of a claim. None without citations."""
    hits: list[bool] = []
    for r in records:
        if not r.get("answerable", True) or (answered_only and r.get("abstained")):
            continue
        sources = set(r.get("sources") or [])
        hits.extend(c.get("doc_id") in sources for c in r.get("citations") or [])
    return sum(hits) / len(hits) if hits else None
