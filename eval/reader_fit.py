"""Fitting the reader's models (steps 2 and 3 of ``newsqa train-reader``): gradient-boosted
trees on the train rows, a grid entry chosen on validate, a logistic calibration of the
best candidate's score, and the decline threshold with the most right decisions.

scikit-learn is imported inside the functions that fit: answering never loads it; the fitted
trees are exported to ``rag.trees`` and served with numpy alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rag.answer.answer_features import FEATURES
from rag.errors import ConfigError
from rag.trees import on_grid

SEED = 0
# ``--bags N`` makes the answer model the average of N fits, each on BAG_SHARE of the train
# questions (``fit_bagged``). The default, 1, fits once on all of them: the shipped model.
# Eight bags were measured (docs/reader.md, seventh session) and not shipped: no better on
# validate, and two made tests flipped by under 0.003 of P. The passage model is one fit.
BAGS = 1
BAG_SHARE = 0.8


def matrix(rows: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stacked features, labels and the question index of every candidate."""
    xs, ys, qs = [], [], []
    for i, r in enumerate(rows):
        for x, y in zip(r["rows"], r["labels"], strict=True):
            xs.append(x)
            ys.append(y)
            qs.append(i)
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0), np.zeros(0, dtype=int)
    return on_grid(np.asarray(xs)), np.asarray(ys, dtype=np.float64), np.asarray(qs)


def top1_right(
    model: Any, data: tuple[np.ndarray, np.ndarray, np.ndarray], questions: int
) -> float:
    """Share of the questions whose best-scored candidate is right."""
    x, y, qs = data
    return float(np.mean(evaluate(model.raw(x), y, qs, questions)[1]))


def fit_trees(
    rows: Sequence[dict[str, Any]],
    params: dict[str, Any],
    monotone: Sequence[int] | None = None,
    seed: int = SEED,
) -> Any:
    """A gradient-boosted classifier of candidate rightness (fixed seed); ``monotone`` gives
    each feature's constraint (1 increasing, -1 decreasing, 0 none)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y, qs = matrix(rows)
    if len(set(y.tolist())) < 2:
        raise ConfigError("the training weeks hold no right (or no wrong) candidate to learn from")
    clf = HistGradientBoostingClassifier(random_state=seed, monotonic_cst=monotone, **params)
    weights = np.asarray([float(r.get("weight", 1.0)) for r in rows])
    clf.fit(x, y, sample_weight=weights[qs] if len(qs) and np.any(weights != 1.0) else None)
    return clf


Trees = list[list[tuple[int, float, int, int, float]]]


def bag_samples(n: int, bags: int) -> list[list[int]]:
    """The questions (indexes, sorted) each of ``bags`` fits sees: ``BAG_SHARE`` of the
    ``n``, drawn without replacement from a generator seeded with ``SEED``."""
    rng = np.random.default_rng(SEED)
    size = max(1, round(BAG_SHARE * n))
    return [sorted(rng.choice(n, size=size, replace=False).tolist()) for _ in range(bags)]


def fit_bagged(
    rows: Sequence[dict[str, Any]],
    params: dict[str, Any],
    monotone: Sequence[int] | None = None,
    bags: int = 1,
) -> tuple[Trees, float]:
    """The average of ``bags`` ensembles, each fitted on a random share (``BAG_SHARE``) of
    the questions (whole questions, so a question's candidates stay together), as one tree
    list: each tree's leaves scaled by ``1 / bags``, the baselines averaged.

    Why: one ensemble's choice between two close candidates follows small accidents of the
    fit (which rows early stopping held out, which split came first); averaging several
    fits on different samples keeps what they agree on. Serving is unchanged (more trees).
    """
    if bags <= 1:
        return export_trees(fit_trees(rows, params, monotone))
    trees: Trees = []
    baselines = []
    for b, pick in enumerate(bag_samples(len(rows), bags)):
        part, base = export_trees(fit_trees([rows[i] for i in pick], params, monotone, seed=b))
        trees += [[(f, t, lo, hi, v / bags) for f, t, lo, hi, v in tree] for tree in part]
        baselines.append(base)
    return trees, float(np.mean(baselines))


def export_trees(clf: Any) -> tuple[Trees, float]:
    """scikit-learn's fitted trees as node lists for ``rag.trees.from_trees``."""
    trees: Trees = []
    for predictors in clf._predictors:
        nodes = predictors[0].nodes
        tree = []
        for node in nodes:
            leaf = bool(node["is_leaf"])
            tree.append(
                (
                    -1 if leaf else int(node["feature_idx"]),
                    float(node["num_threshold"]),
                    int(node["left"]),
                    int(node["right"]),
                    float(node["value"]),
                )
            )
        trees.append(tree)
    baseline = float(np.ravel(clf._baseline_prediction)[0])
    return trees, baseline


def best_per_question(raw: np.ndarray, qs: np.ndarray, n: int) -> list[int | None]:
    """Index (into the candidate arrays) of each question's best-scored candidate."""
    best: list[int | None] = [None] * n
    for i, (score, q) in enumerate(zip(raw.tolist(), qs.tolist(), strict=True)):
        j = best[q]
        if j is None or score > raw[j]:
            best[q] = i
    return best


def calibrate(scores: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """Logistic calibration ``sigmoid(a * score + b)`` of the best candidates' raw scores."""
    from sklearn.linear_model import LogisticRegression

    if len(set(right.tolist())) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=1e4, random_state=SEED)
    model.fit(scores.reshape(-1, 1), right)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def choose_threshold(
    probs: np.ndarray,
    right: np.ndarray,
    nota: np.ndarray,
    project: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> float:
    """The decline threshold with the most right decisions on the validate questions.

    Args:
        probs: calibrated P(right) of each RealTime QA question's best candidate (0 without).
        right: whether that candidate is right on the ``qa`` set.
        nota: whether the question's ``qa_nota`` version has "None of the above" as its
            right choice (declining is then right; answering anything is wrong).
        project: (P, right, answerable) of the project question set's threshold half: an
            answered right candidate or a declined unanswerable question is a right
            decision. Each question set weighs half, so the project's unanswerable
            questions count although RealTime QA has ten times more questions.
    """
    best_t, best_score = 1.01, -1.0
    points = {0.0, *np.round(probs, 3).tolist()}
    if project is not None:
        points |= set(np.round(project[0], 3).tolist())
    for t in sorted(points):
        answered = probs >= t
        qa = np.sum(answered & (right > 0))
        # the nota version: right when declining if its answer is NOTA, else as the qa one
        nota_right = np.sum(np.where(nota > 0, ~answered, answered & (right > 0)))
        score = float(qa + nota_right) / max(2 * len(probs), 1)
        if project is not None and len(project[0]):
            p_prob, p_right, p_answerable = project
            said = p_prob >= t
            good = np.where(said, p_right > 0, ~(p_answerable > 0))
            score = 0.5 * score + 0.5 * float(np.mean(good))
        if score > best_score + 1e-12:
            best_t, best_score = float(t), score
    return best_t


# The candidates for both models; the one with the best validate figure is kept (answers: the
# best candidate is right; passages: hit@5). Small trees and many samples a leaf: the data are
# a few thousand questions.
GRID = tuple(
    {"max_iter": it, "learning_rate": 0.05, "max_leaf_nodes": leaves,
     "min_samples_leaf": leaf, "l2_regularization": 1.0}
    for it in (50, 150) for leaves in (4, 8) for leaf in (20, 100)
)  # fmt: skip


def fit_best(
    train_rows: Sequence[dict[str, Any]],
    features: Sequence[str],
    figure: Any,
    monotone: dict[str, int] | None = None,
    tiebreak: Any = None,
    bags: int = 1,
) -> tuple[Any, dict[str, Any], float]:
    """Fit every ``GRID`` entry on ``train_rows``; keep the best by ``figure(model)`` (on
    validate rows). Ties, frequent on a few hundred questions, go to ``tiebreak(model)``
    (another held-out set), then to the earlier, smaller entry. ``monotone``: the features
    fitted under a monotonic constraint (``rag.answer.answer_features.MONOTONE``);
    ``bags``: each entry is the average of that many fits (``fit_bagged``)."""
    from rag.trees import from_trees

    cst = [monotone.get(f, 0) for f in features] if monotone else None
    best: tuple[Any, dict[str, Any], float] | None = None
    best_key = (-np.inf, -np.inf)
    for params in GRID:
        trees, baseline = fit_bagged(train_rows, params, cst, bags)
        model = from_trees(features, trees, baseline)
        value = float(figure(model))
        key = (round(value, 9), round(float(tiebreak(model)), 9) if tiebreak else 0.0)
        if best is None or key > best_key:
            best, best_key = (model, params, value), key
    assert best is not None
    return best


def evaluate(
    raw: np.ndarray, y: np.ndarray, qs: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each question's best raw score and whether that candidate is right (-inf/0 without)."""
    best = best_per_question(raw, qs, n)
    scores = np.asarray([raw[b] if b is not None else -np.inf for b in best])
    right = np.asarray([y[b] if b is not None else 0.0 for b in best])
    return scores, right


def importance(model: Any) -> list[tuple[str, int]]:
    """How often each feature splits a node (a rough usefulness count)."""
    counts: dict[str, int] = {}
    for f in model.feature.tolist():
        if f >= 0:
            name = model.features[f]
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def hits_at(
    scores: np.ndarray, y: np.ndarray, qs: np.ndarray, n: int, ks: Sequence[int]
) -> dict[str, float]:
    """Share of questions with a positive among their ``k`` best-scored rows, per ``k``."""
    by_q: list[list[tuple[float, float]]] = [[] for _ in range(n)]
    for score, label_, q in zip(scores.tolist(), y.tolist(), qs.tolist(), strict=True):
        by_q[q].append((score, label_))
    out = {}
    for k in ks:
        hit = 0
        for items in by_q:
            ranked = sorted(range(len(items)), key=lambda i: -items[i][0])  # stable on ties
            hit += any(items[i][1] > 0 for i in ranked[:k])
        out[f"hit@{k}"] = hit / n if n else 0.0
    return out
