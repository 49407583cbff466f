"""Scoring of RealTime QA answers: the shared README's rule, EM/F1, retrieval hits, NOTA.

The rule (normalise, then: the right choice occurs as whole words and no other choice does)
is the one the published baselines were scored with, so NewsQA's figure can sit next to
theirs. Like ``eval.metrics``, everything here is pure over plain record dicts, so a saved
``report.json`` can be re-scored, and a share with nothing to count is None, not 0.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from eval.dataset import contains_alias, normalize
from eval.metrics import percentile, strip_markers, token_f1

HIT_KS: tuple[int, ...] = (1, 5, 10, 20)
"""Depths of the passage hit rates; the deepest is how many passages are retrieved for it."""

ARTICLE_K = 5
"""Article hit: the articles of this many top passages."""

NOTA = "none of the above"
"""A choice that normalises to this is "None of the above"."""

_QUOTES = re.compile(
    r"[\"\u201c\u201d\u201e\u00ab\u00bb]|(?<!\w)['\u2018\u2019]|['\u2018\u2019](?!\w)"
)


def is_nota(choice: str) -> bool:
    """True for the "None of the above" choice of the NOTA set, however it is written."""
    return normalize(choice) == NOTA


def short_answer(answer: Any) -> str:
    """The short answer scored by EM/F1.

    ``answer.short`` when the answerer gives one; else the answer text without ``[n]``
    markers and quotes (the extractive answerer quotes its sentence).
    """
    short = getattr(answer, "short", None)
    if isinstance(short, str):
        return short
    text = _QUOTES.sub(" ", strip_markers(str(getattr(answer, "text", answer) or "")))
    return " ".join(text.split())


def choice_correct(answer: str, choices: Sequence[str], right: Sequence[int]) -> bool:
    """The README rule: a right choice occurs as whole words and no other choice does."""
    if not any(contains_alias(answer, choices[i]) for i in right):
        return False
    others = [c for i, c in enumerate(choices) if i not in right]
    return not any(contains_alias(answer, c) for c in others)


def judged_text(record: Mapping[str, Any]) -> str:
    """What ``correct`` judges: the short answer when the answerer gave one (it IS the
    answer; the quote after it is its evidence), else the whole answer text.

    A record keeps ``short_answer`` either way (``answer.short``, or the text without
    markers and quotes); it was the answerer's own short form when it differs from what
    the text alone gives.
    """
    answer = str(record.get("answer") or "")
    short = record.get("short_answer")
    if isinstance(short, str) and short.strip() and short != short_answer(answer):
        return short
    # Citation markers are not part of the answer: "[1]" must not match a choice "1".
    return " ".join(strip_markers(answer).split())


def exact_match(short: str, reference: str) -> bool:
    """RealTime QA's generation EM: the normalised texts are equal."""
    return bool(normalize(reference)) and normalize(short) == normalize(reference)


def answer_words(answer: str) -> int:
    """Length of an answer in words, citation markers left out."""
    return len(strip_markers(answer).split())


def score(record: Mapping[str, Any]) -> dict[str, Any]:
    """Per-question scores, recomputed from the record's answer and choices.

    A question whose right choice is "None of the above" (NOTA set) is right when NewsQA
    declines; ``wrong_choice`` says it named one of the listed, wrong choices instead.
    EM and F1 need a right choice to compare with, so they are None for those questions.
    Abstentions are never correct otherwise, and score EM 0 and F1 0.

    Returns:
        ``correct``, ``em``, ``f1``, ``answer_words``, ``declined`` and ``wrong_choice``
        (the last two None unless the right answer is "None of the above").
    """
    choices = list(record["choices"])
    right = list(record["answer_index"])
    answer = str(record.get("answer") or "")
    abstained = bool(record.get("abstained"))
    nota = any(is_nota(choices[i]) for i in right)
    words = answer_words(answer)
    if nota:
        named = not abstained and any(
            contains_alias(answer, c) for i, c in enumerate(choices) if i not in right
        )
        return {
            "correct": abstained,
            "em": None,
            "f1": None,
            "answer_words": words,
            "declined": abstained,
            "wrong_choice": named,
        }
    short = str(record.get("short_answer") or "")
    return {
        "correct": not abstained and choice_correct(judged_text(record), choices, right),
        "em": not abstained and any(exact_match(short, choices[i]) for i in right),
        "f1": 0.0 if abstained else max(token_f1(short, choices[i]) for i in right),
        "answer_words": words,
        "declined": None,
        "wrong_choice": None,
    }


def _share(values: Sequence[Any]) -> float | None:
    """Mean of booleans/numbers, skipping None; None when nothing is left."""
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def _latency(records: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    values = [
        float(r["latency_ms"]) for r in records if isinstance(r.get("latency_ms"), int | float)
    ]
    return {"p50": percentile(values, 50), "p95": percentile(values, 95),
            "mean": sum(values) / len(values) if values else None}  # fmt: skip


def aggregate(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The metrics of a set of records (one week, or all weeks of one question set).

    Retrieval and ceiling shares use the questions with a listed right choice (a "None of
    the above" answer has no text to look for); ``abstention_when_ceiling`` is the share of
    abstentions among the questions whose right choice is in the week's articles.
    """
    scores = [score(r) for r in records]
    pairs = list(zip(records, scores, strict=True))
    listed = [r for r, s in pairs if s["declined"] is None]
    nota = [s for s in scores if s["declined"] is not None]
    answered = [s["answer_words"] for r, s in pairs if not r.get("abstained")]
    reachable = [r for r in listed if r.get("ceiling")]
    metrics: dict[str, Any] = {
        "n": len(records),
        "n_listed": len(listed),
        "n_nota": len(nota),
        "correct": _share([s["correct"] for s in scores]),
        "correct_listed": _share([s["correct"] for _r, s in pairs if s["declined"] is None]),
        "em": _share([s["em"] for s in scores]),
        "f1": _share([s["f1"] for s in scores]),
        "ceiling": _share([bool(r.get("ceiling")) for r in listed]),
        "abstention": _share([bool(r.get("abstained")) for r in records]),
        "abstention_when_ceiling": _share([bool(r.get("abstained")) for r in reachable]),
        "median_answer_words": statistics.median(answered) if answered else None,
        "passage_hit_at_k": {
            k: _share([(r.get("passage_rank") or k + 1) <= k for r in listed]) for k in HIT_KS
        },
        "article_hit_at_5": _share([bool(r.get("article_hit_at_5")) for r in listed]),
        "latency_ms": _latency(records),
        "nota": {
            "n": len(nota),
            "declined": _share([s["declined"] for s in nota]),
            "wrong_choice": _share([s["wrong_choice"] for s in nota]),
            "other": _share([not s["declined"] and not s["wrong_choice"] for s in nota]),
        },
    }
    return metrics


WEEK_FIELDS: tuple[str, ...] = ("articles", "chunks", "ingest_s")
"""Per-week ingest figures added to each week's metrics (and summed for the overall line)."""


def summarise(
    records: Sequence[Mapping[str, Any]], weeks: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """``{set: {"overall": metrics, "by_week": {week: metrics}}}`` for every set in ``records``.

    Args:
        records: one dict per question, with ``set`` and ``week``.
        weeks: one dict per week with ``week`` and the ``WEEK_FIELDS`` (from the runner).
    """
    info = {str(w["week"]): w for w in weeks}
    out: dict[str, Any] = {}
    for kind in dict.fromkeys(str(r["set"]) for r in records):
        chosen = [r for r in records if r["set"] == kind]
        by_week: dict[str, Any] = {}
        for week in dict.fromkeys(str(r["week"]) for r in chosen):
            extra = {f: info.get(week, {}).get(f) for f in WEEK_FIELDS}
            by_week[week] = {**aggregate([r for r in chosen if r["week"] == week]), **extra}
        totals = {f: sum(v[f] for v in by_week.values() if v[f] is not None) for f in WEEK_FIELDS}
        out[kind] = {"overall": {**aggregate(chosen), **totals}, "by_week": by_week}
    return out
