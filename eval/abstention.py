"""Learning when to decline: the data, the fit, the threshold and the accuracy-coverage curve.

``newsqa train-abstention`` asks both benchmarks with the abstention policy ``never`` (every
question gets its draft answer and the draft's ``Signals``), labels each draft right or
wrong with the benchmark's own rule, fits a logistic model on a training split and picks
the threshold on a separate split:

- training split: the RealTime QA weeks of 2024 and the project questions of one hash half;
- threshold split: the 2025 weeks and the other half.

The threshold maximises *decision accuracy*: an answer counts when it is right, a decline
counts when the articles do not hold the answer (RealTime QA: the right choice occurs in no
article of the week, or it is "None of the above"; project set: an unanswerable question).
Both splits' figures go into the report, with the accuracy-coverage curve of each.

Functions here are pure over record dicts (what the harnesses write), so a saved run can be
refitted without asking again.
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eval.metrics import is_correct
from eval.realtimeqa_metrics import choice_correct, judged_text
from rag.answer.abstention import FEATURES, Abstention, LogisticAbstention, Signals

TRAIN, THRESHOLD = "train", "threshold"


@dataclass(frozen=True)
class Row:
    """One question for the abstention model.

    Attributes:
        id: the question id (with its benchmark).
        benchmark: "realtimeqa" or "project".
        split: ``TRAIN`` or ``THRESHOLD``.
        signals: the draft's signals; None when no draft was possible (always declined).
        right: the draft is right.
        in_articles: the articles hold the answer, so declining is wrong.
    """

    id: str
    benchmark: str
    split: str
    signals: Mapping[str, float] | None
    right: bool
    in_articles: bool


def realtimeqa_split(week: str) -> str:
    """2024 weeks train; later weeks choose the threshold."""
    return TRAIN if week < "2025" else THRESHOLD


def project_split(question_id: str) -> str:
    """A stable half of the project's questions (by a hash of the id)."""
    return TRAIN if zlib.crc32(question_id.encode("utf-8")) % 2 == 0 else THRESHOLD


def draft_text(record: Mapping[str, Any]) -> str | None:
    """The drafted answer: what was said, or what was withheld; None without a draft."""
    if record.get("abstained"):
        withheld = record.get("withheld")
        if not withheld:
            return None
        short = record.get("withheld_short")
        return judged_text({"answer": withheld, "short_answer": short or None})
    return judged_text(record)


def realtimeqa_row(record: Mapping[str, Any]) -> Row:
    """A RealTime QA record (``eval.realtimeqa_week.make_record``) as a ``Row``."""
    text = draft_text(record)
    choices = list(record["choices"])
    right_idx = list(record["answer_index"])
    nota = record.get("ceiling") is None
    right = text is not None and not nota and choice_correct(text, choices, right_idx)
    return Row(
        id=f"realtimeqa/{record['id']}",
        benchmark="realtimeqa",
        split=realtimeqa_split(str(record["week"])),
        signals=record.get("signals") if text is not None else None,
        right=bool(right),
        in_articles=bool(record.get("ceiling")),
    )


def project_row(record: Mapping[str, Any]) -> Row:
    """A project question-set record (``eval.runner.make_record``) as a ``Row``."""
    text = record.get("withheld") if record.get("abstained") else record.get("answer")
    answerable = bool(record.get("answerable", True))
    right = (
        text is not None
        and answerable
        and is_correct({**record, "answer": text, "abstained": False})
    )
    return Row(
        id=f"project/{record['id']}",
        benchmark="project",
        split=project_split(str(record["id"])),
        signals=record.get("signals") if text is not None else None,
        right=bool(right),
        in_articles=answerable,
    )


def repeated_ids(rows: Iterable[Row]) -> list[str]:
    """The ids that occur more than once (sorted): two question sets with one id."""
    counts = Counter(r.id for r in rows)
    return sorted(i for i, n in counts.items() if n > 1)


def fit(
    rows: Sequence[Row], c: float = 0.3, features: tuple[str, ...] = FEATURES
) -> LogisticAbstention:
    """Fit P(right | signals) on the rows that have a draft (threshold 0.5 until chosen).

    Standardised signals, L2-regularised logistic regression without class weights, so the
    output estimates the share of right drafts (scikit-learn, imported here: answering never
    needs it). Each benchmark weighs the same in total: RealTime QA has four times the
    rows, and a model fitted to its pools alone misjudges a small collection.
    """
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    usable = [r for r in rows if r.signals is not None]
    if len({r.right for r in usable}) < 2:
        raise ValueError("need both right and wrong drafts to fit an abstention model")
    x = [
        [getattr(Signals.from_mapping(r.signals), f) for f in features]
        for r in usable
        if r.signals is not None
    ]
    y = [int(r.right) for r in usable]
    n = len(x)
    per = Counter(r.benchmark for r in usable)
    weight = [n / (len(per) * per[r.benchmark]) for r in usable]  # sums to n
    means = [sum(w * v for w, v in zip(weight, col)) / n for col in zip(*x)]
    scales = [
        math.sqrt(sum(w * (v - m) ** 2 for w, v in zip(weight, col)) / n) or 1.0
        for col, m in zip(zip(*x), means)
    ]
    z = [[(v - m) / s for v, m, s in zip(row, means, scales)] for row in x]
    model = LogisticRegression(C=c, max_iter=1000).fit(z, y, sample_weight=weight)
    return LogisticAbstention(
        weights=[float(w) for w in model.coef_[0]],
        means=means,
        scales=scales,
        bias=float(model.intercept_[0]),
        threshold=0.5,
        features=features,
    )


def confidences(model: Abstention, rows: Iterable[Row]) -> list[tuple[float, Row]]:
    """Each row with the policy's confidence (rows without a draft get -inf: never answered)."""
    out = []
    for r in rows:
        if r.signals is None:
            out.append((-math.inf, r))
            continue
        out.append((model.confidence(Signals.from_mapping(r.signals)), r))
    return out


def outcome(scored: Sequence[tuple[float, Row]], threshold: float) -> dict[str, Any]:
    """What a threshold gives: answered share, accuracy (right answers / all questions),
    precision of the answers, decision accuracy, and abstention recall on the questions
    whose answer is not in the articles."""
    n = len(scored)
    answered = [(c, r) for c, r in scored if c >= threshold]
    right = sum(r.right for _, r in answered)
    declined = [r for c, r in scored if c < threshold]
    absent = [r for _, r in scored if not r.in_articles]
    good_declines = sum(not r.in_articles for r in declined)
    return {
        "threshold": threshold,
        "questions": n,
        "coverage": len(answered) / n if n else None,
        "accuracy": right / n if n else None,
        "precision": right / len(answered) if answered else None,
        "decision_accuracy": (right + good_declines) / n if n else None,
        "abstention_recall": good_declines / len(absent) if absent else None,
    }


def choose_threshold(
    scored: Sequence[tuple[float, Row]], tiebreak: Sequence[tuple[float, Row]] = ()
) -> float:
    """The threshold with the best decision accuracy on ``scored``, the mean of each
    benchmark's (so that the larger one does not decide alone).

    The objective is flat (a handful of questions decide it), so several thresholds often
    tie: the tie goes to the best decision accuracy on ``tiebreak`` (the training split),
    then to the lower threshold (answering more).
    """
    finite = sorted({c for c, _ in scored if c > -math.inf})
    candidates = [0.0, *[(a + b) / 2 for a, b in itertools.pairwise(finite)], 1.0]

    def key(t: float) -> tuple[float, float, float]:
        held = balanced_accuracy(scored, t)
        other = balanced_accuracy(tiebreak, t) if tiebreak else 0.0
        return (round(held, 9), round(other, 9), -t)

    return max(candidates, key=key)


def balanced_accuracy(scored: Sequence[tuple[float, Row]], threshold: float) -> float:
    """The mean over benchmarks of the decision accuracy at ``threshold``."""
    parts = [
        outcome([(c, r) for c, r in scored if r.benchmark == bench], threshold)
        for bench in sorted({r.benchmark for _, r in scored})
    ]
    return sum(p["decision_accuracy"] or 0.0 for p in parts) / len(parts) if parts else 0.0


def curve(scored: Sequence[tuple[float, Row]], points: int = 21) -> list[dict[str, float]]:
    """Accuracy against coverage: answering the most confident share first.

    Each point: ``coverage`` (share answered), ``precision`` (share of those answers that
    are right) and ``accuracy`` (right answers over all questions).
    """
    if points < 2:
        raise ValueError("a curve needs at least 2 points")
    ordered = sorted(
        ((c, r) for c, r in scored if c > -math.inf), key=lambda cr: cr[0], reverse=True
    )
    n = len(scored)
    out = []
    for i in range(points):
        take = round(len(ordered) * i / (points - 1))
        right = sum(r.right for _, r in ordered[:take])
        out.append(
            {
                "coverage": take / n if n else 0.0,
                "precision": right / take if take else 1.0,
                "accuracy": right / n if n else 0.0,
            }
        )
    return out


def recorded(records: Iterable[Mapping[str, Any]]) -> list[tuple[float, Row]]:
    """A run's own confidences with each record as a ``Row``: the curve of the policy that
    ran (records without a confidence had no draft and are never answered)."""
    out = []
    for record in records:
        if "choices" in record:
            if record.get("set") == "nota":
                continue  # the NOTA copies of the questions: their drafts are judged in qa
            row = realtimeqa_row(record)
        else:
            row = project_row(record)
        value = record.get("confidence")
        out.append((float(value) if value is not None else -math.inf, row))
    return out


def coverage_curve(records: Iterable[Mapping[str, Any]]) -> list[dict[str, float]]:
    """The accuracy-coverage curve of a finished run (``curve`` of ``recorded``)."""
    return curve(recorded(records))
