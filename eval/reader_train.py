"""``newsqa train-reader``: learn the passage ranker and the answer ranker from RealTime QA
training weeks.

Steps, each resumable:

1. **Rows** (``eval.reader_rows``). Every week of ``--source``
   (``../shared/eval/realtimeqa-train``) is built as the benchmark harness builds it; each
   ``qa`` question is asked without its choices on its own date, and every candidate phrase
   gets its feature row and a label: right when the right choice occurs in it as whole words
   and no other choice does (the benchmark's rule). A week's rows are cached under
   ``--cache`` (``~/.cache/newsqa/reader/v<features>``); a rerun skips cached weeks, and a
   refit from cached rows takes seconds.
2. **Fit** (``eval.reader_fit``) on the train split (2022 and 2024 weeks): scikit-learn's
   histogram gradient boosting, fixed seed, the grid entry with the best validate figure.
3. **Calibrate and choose** on the validate split (2025 weeks): a logistic calibration of the
   ranker's raw score of each question's best candidate, then the probability below which to
   decline, the one that makes the most questions right on the ``qa`` and ``qa_nota`` sets
   together (declining is right only when the right choice is "None of the above").
4. **Export** the trees to JSON (``rag.trees``) with their metadata; answering
   reads them with numpy alone.

The report weeks (``../shared/eval/realtimeqa``) are never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from eval.abstention import THRESHOLD as THRESHOLD_HALF
from eval.abstention import TRAIN as TRAIN_HALF
from eval.reader_fit import (
    BAG_SHARE,
    BAGS,
    SEED,
    calibrate,
    choose_threshold,
    evaluate,
    fit_best,
    hits_at,
    importance,
    matrix,
    top1_right,
)
from eval.reader_rows import (
    DEFAULT_CACHE,
    KINDS,
    POOL_DEPTH,
    cache_file,
    collect,
    nota_flags,
    project_rows,
)
from eval.realtimeqa_data import TRAIN, VALIDATE, find_weeks, split_of
from rag.answer.answer_features import FEATURES, MONOTONE, VERSION
from rag.errors import ConfigError
from rag.retrieve.passage_features import PASSAGE_FEATURES, PASSAGE_VERSION
from rag.settings import Settings

# How much one question of the project set's train half weighs against one RealTime QA
# question (scikit-learn's sample_weight on each of its candidates). RealTime QA asks about
# the week's headline story, where the phrase in the headlines is usually the answer; the
# project's questions (and users' questions over a pile of articles) ask for a detail of an
# older story, where the headline names the topic instead. Fitted on RealTime QA alone, the
# ranker answered "Which European country did Xi visit in 2024?" with the headline's
# "China". Weight 2 against 0 (docs/reader.md, eleventh session; best candidate right): the
# project threshold half, not fitted on, 0.290 -> 0.355; dev 0.455 -> 0.727; validate
# 0.180 -> 0.167, within the grid-choice noise; weight 5 took validate to about 0.152.
PROJECT_WEIGHT = 2.0
MAX_PROJECT_WEIGHT = 1000.0  # past this one question decides the fit (and huge ones overflow)


def splits(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train rows, validate rows); both must be there to fit and choose."""
    train_rows = [r for r in rows if split_of(r["week"]) == TRAIN]
    valid_rows = [r for r in rows if split_of(r["week"]) == VALIDATE]
    if not train_rows or not valid_rows:
        raise ConfigError("train-reader needs weeks of both splits (2022/2024 and 2025)")
    return train_rows, valid_rows


def train(
    rows: Sequence[dict[str, Any]],
    source: Path,
    command: str,
    weeks_used: Sequence[str],
    project: Sequence[dict[str, Any]] = (),
    bags: int = BAGS,
    project_train: Sequence[dict[str, Any]] = (),
    project_weight: float = PROJECT_WEIGHT,
) -> tuple[Any, dict[str, Any]]:
    """Fit on train, calibrate and choose the threshold on validate; the model and figures.

    Args:
        project: the project question set's threshold half (``project_rows``): it weighs
            half in choosing the threshold.
        bags: fits averaged into each grid entry's model (``fit_bagged``).
        project_train: the project set's train half: its answerable questions join the
            training rows, each weighing ``project_weight`` RealTime QA questions.
        project_weight: how much one of those questions weighs (``PROJECT_WEIGHT``).
    """
    train_rows, valid_rows = splits(rows)
    fit_rows = train_rows + [
        dict(r, weight=project_weight) for r in project_train if r["answerable"]
    ]
    n_project = len(fit_rows) - len(train_rows)
    answerable_rows = [r for r in project if r["answerable"]]
    # built once: every grid entry is scored on them
    valid_matrix, answerable_matrix = matrix(valid_rows), matrix(answerable_rows)

    def top1(m: Any) -> float:
        return top1_right(m, valid_matrix, len(valid_rows))

    def project_top1(m: Any) -> float:
        """Best candidate right on the project set's answerable threshold half."""
        if not answerable_rows:
            return 0.0
        return top1_right(m, answerable_matrix, len(answerable_rows))

    model, params, _value = fit_best(fit_rows, FEATURES, top1, MONOTONE, project_top1, bags)
    figures: dict[str, Any] = {
        "params": params,
        "project_train_questions": n_project,
        "project_weight": project_weight,
    }
    for name, part in (("train", train_rows), ("validate", valid_rows)):
        x, y, qs = matrix(part)
        raw = model.raw(x) if len(x) else np.zeros(0)
        scores, right = evaluate(raw, y, qs, len(part))
        figures[name] = {
            "questions": len(part),
            "weeks": len({r["week"] for r in part}),
            "candidates": len(y),
            "with_right_candidate": float(np.mean([any(r["labels"]) for r in part])),
            "top1_right": float(np.mean(right)),
            "hand_top1_right": float(np.mean([bool(r["labels"]) and r["labels"][0] > 0
                                              for r in part])),
        }  # fmt: skip
        if name == "validate" and answerable_rows:
            figures[name]["project_answerable_top1_right"] = project_top1(model)
        if name == "validate":
            has = np.isfinite(scores)
            a, b = calibrate(scores[has], right[has])
            probs = np.where(has, 1.0 / (1.0 + np.exp(-(a * np.where(has, scores, 0.0) + b))), 0.0)
            nota = nota_flags(source, part)
            points = None
            if project:
                px, py, pq = matrix(project)
                p_scores, p_right = evaluate(model.raw(px), py, pq, len(project))
                finite = np.isfinite(p_scores)
                p_probs = np.where(
                    finite, 1.0 / (1.0 + np.exp(-(a * np.where(finite, p_scores, 0.0) + b))), 0.0
                )
                answerable = np.asarray([float(r["answerable"]) for r in project])
                points = (p_probs, p_right, answerable)
            threshold = choose_threshold(probs, right, nota, points)
            answered = probs >= threshold
            figures[name].update(
                {
                    "threshold": threshold,
                    "answered": float(np.mean(answered)),
                    "qa_correct_at_threshold": float(np.mean(answered & (right > 0))),
                    "nota_correct_at_threshold": float(
                        np.mean(np.where(nota, ~answered, answered & (right > 0)))
                    ),
                }
            )
            calibration = (a, b)
    features_used = importance(model)
    meta = {
        "trained_on": "realtimeqa-train: train split (2022 and 2024 weeks)"
        + (
            f" + the project question set's train half ({n_project}"
            f" answerable questions, each weighing {project_weight:g})"
            if n_project
            else ""
        ),
        "calibrated_on": "realtimeqa-train: validate split (2025 weeks)",
        "chosen_on": "validate split"
        + (" + the project question set's threshold half" if project else ""),
        "report_split_used": False,
        "weeks": list(weeks_used),
        "features_version": VERSION,
        "seed": SEED,
        "bags": bags,
        "bag_share": BAG_SHARE if bags > 1 else 1.0,
        "params": figures["params"],
        "monotone": MONOTONE,
        "command": command,
        "figures": figures,
        "top_features": features_used[:12],
    }
    threshold = figures["validate"]["threshold"]
    final = replace(model, calibration=calibration, threshold_p=threshold, meta=meta)
    return final, figures


def spread_order(weeks: Sequence[str]) -> list[str]:
    """The weeks of one split in an order whose every prefix is spread over the whole span
    (halves, then quarters, ...), so that a partial run is still an even sample."""
    ordered = sorted(weeks)
    seen: set[int] = set()
    out: list[str] = []
    parts = 1
    while len(out) < len(ordered):
        for k in range(parts):
            i = (2 * k + 1) * len(ordered) // (2 * parts)
            if i not in seen:
                seen.add(i)
                out.append(ordered[i])
        parts *= 2
        if parts > 2 * len(ordered):
            out.extend(w for i, w in enumerate(ordered) if i not in seen)
            break
    return out


def spread(weeks: Sequence[str], limit: int | None = None) -> list[str]:
    """At most ``limit`` weeks of each split (all when None), spread over its span; the two
    splits alternate, so a run stopped early holds weeks of both."""
    train_weeks = spread_order([w for w in weeks if split_of(w) == TRAIN])[:limit]
    valid_weeks = spread_order([w for w in weeks if split_of(w) == VALIDATE])[:limit]
    out: list[str] = []
    for i in range(max(len(train_weeks), len(valid_weeks))):
        out.extend(part[i] for part in (train_weeks, valid_weeks) if i < len(part))
    return out


def train_passages(
    rows: Sequence[dict[str, Any]], command: str, weeks_used: Sequence[str]
) -> tuple[Any, dict[str, Any]]:
    """Fit the passage ranker on train; passage hits before (RRF) and after, both splits.
    One fit: averaging eight (``fit_bagged``) gave the same validate hit@5 within a
    question (0.413 against 0.417)."""
    train_rows, valid_rows = splits(rows)
    vx, vy, vq = matrix(valid_rows)

    def hit5(m: Any) -> float:
        return hits_at(m.raw(vx), vy, vq, len(valid_rows), (5,))["hit@5"]

    model, params, _value = fit_best(train_rows, PASSAGE_FEATURES, hit5)
    rrf = PASSAGE_FEATURES.index("rrf")
    figures: dict[str, Any] = {"params": params}
    for name, part in (("train", train_rows), ("validate", valid_rows)):
        x, y, qs = matrix(part)
        ks = (1, 5, 20)
        figures[name] = {
            "questions": len(part),
            "pool_holds_answer": float(np.mean([any(r["labels"]) for r in part])),
            "rrf": hits_at(x[:, rrf], y, qs, len(part), ks),
            "learned": hits_at(model.raw(x), y, qs, len(part), ks),
        }
    meta = {
        "trained_on": "realtimeqa-train: train split (2022 and 2024 weeks)",
        "chosen_on": "realtimeqa-train: validate split (2025 weeks)",
        "report_split_used": False,
        "weeks": list(weeks_used),
        "features_version": PASSAGE_VERSION,
        "pool_depth": POOL_DEPTH,
        "seed": SEED,
        "params": params,
        "command": command,
        "figures": figures,
        "top_features": importance(model)[:10],
    }
    return replace(model, meta=meta), figures


def learning_curve(
    answers: Sequence[dict[str, Any]],
    passages: Sequence[dict[str, Any]],
    source: Path,
    bags: int = BAGS,
) -> list[dict[str, Any]]:
    """Validate figures of models fitted on a quarter, a half and all of the train weeks
    (taken in spread order, so every part covers the whole span): does more data help?"""
    train_weeks = spread_order(sorted({r["week"] for r in answers if split_of(r["week"]) == TRAIN}))
    valid = [r for r in answers if split_of(r["week"]) == VALIDATE]
    valid_p = [r for r in passages if split_of(r["week"]) == VALIDATE]
    out = []
    for share in (0.25, 0.5, 1.0):
        used = set(train_weeks[: max(1, round(share * len(train_weeks)))])
        part_a = [r for r in answers if r["week"] in used] + valid
        part_p = [r for r in passages if r["week"] in used] + valid_p
        _m, a_fig = train(part_a, source, "learning curve", sorted(used), bags=bags)
        _p, p_fig = train_passages(part_p, "learning curve", sorted(used))
        out.append(
            {
                "train_weeks": len(used),
                "train_questions": sum(1 for r in answers if r["week"] in used),
                "validate_top1_right": a_fig["validate"]["top1_right"],
                "validate_correct_qa": a_fig["validate"]["qa_correct_at_threshold"],
                "validate_passage_hit@5": p_fig["validate"]["learned"]["hit@5"],
            }
        )
    return out


def _write_model(model: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")


def main(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The ``newsqa train-reader`` command."""
    from rag.answer.answer_features import BUNDLED_READER
    from rag.retrieve.learned import BUNDLED_PASSAGE_MODEL

    bags = BAGS if getattr(args, "bags", None) is None else args.bags
    if bags < 1:
        raise ConfigError(f"--bags must be 1 or more, not {bags}")
    weight = getattr(args, "project_weight", None)
    weight = PROJECT_WEIGHT if weight is None else weight
    if not 0 < weight <= MAX_PROJECT_WEIGHT:  # NaN fails too
        raise ConfigError(
            f"--project-weight must be above 0 and at most {MAX_PROJECT_WEIGHT:g}, not {weight:g}"
        )
    source = Path(args.source).expanduser()
    weeks = spread(find_weeks(source, None), getattr(args, "max_weeks", None))
    cache = Path(args.cache or DEFAULT_CACHE).expanduser()
    if getattr(args, "cached_only", False):
        weeks = [w for w in weeks if all(cache_file(cache, w, k).exists() for k in KINDS)]
    rows = collect(source, weeks, settings, cache, out)
    answers, passages = rows["answers"], rows["passages"]
    drafts_path = cache / "abstention-rows.json"
    drafts_path.write_text(json.dumps(rows["drafts"]) + "\n", encoding="utf-8")
    out.write(f"signal-abstention rows: {drafts_path} (newsqa train-abstention --rows)\n")
    if getattr(args, "collect_only", False):
        out.write(f"{len(answers)} questions collected in {cache}\n")
        return 0
    dataset = getattr(args, "dataset", None)
    halves = project_rows(Path(dataset), settings) if dataset else {}
    project, project_train = halves.get(THRESHOLD_HALF, []), halves.get(TRAIN_HALF, [])
    command = "newsqa train-reader " + " ".join(sys.argv[2:])
    p_model, p_figures = train_passages(passages, command, weeks)
    a_model, a_figures = train(
        answers, source, command, weeks, project=project, bags=bags,
        project_train=project_train, project_weight=weight,
    )  # fmt: skip
    p_path = Path(getattr(args, "passage_model", None) or BUNDLED_PASSAGE_MODEL)
    a_path = Path(getattr(args, "model", None) or BUNDLED_READER)
    _write_model(p_model, p_path)
    _write_model(a_model, a_path)
    curve = (
        learning_curve(answers, passages, source, bags) if getattr(args, "curve", False) else None
    )
    report = {"passages": p_figures, "answers": a_figures, "learning_curve": curve}
    out.write(json.dumps(report, indent=2) + "\n")
    out.write(f"models written to {p_path} and {a_path}\n")
    return 0
