"""The learned rankers' models: boosted trees read from JSON, evaluated with numpy.

Used by the passage ranker (``rag.retrieve.learned``) and the answer ranker
(``rag.answer.answer_features``). Why not load the training library: answering must stay
light (``newsqa ask`` starts in about a second) and the same on every machine. The trees
are plain arrays (feature, threshold, children, leaf value); all trees are walked at once,
one numpy step per level.
Features are put on the ``rag.ranking`` grid before the comparisons, so a feature that
differs in its last bits between two CPUs cannot take another branch.

The file is written by ``newsqa train-reader`` (``eval.reader_train``) with its metadata:
the data splits it saw, the feature names, the seed and the command that made it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rag.errors import ModelError

FORMAT = "newsqa-trees-1"
_GRID = 1e-5


def on_grid(rows: np.ndarray) -> np.ndarray:
    """Features rounded to the ``rag.ranking`` grid (1e-5). Training rounds its rows the
    same way, so every split threshold falls between grid values, never on one."""
    return np.asarray(np.round(np.asarray(rows, dtype=np.float64) / _GRID) * _GRID)


@dataclass(frozen=True)
class TreeModel:
    """A boosted tree ensemble with a calibrated probability and a decision threshold.

    Attributes:
        features: the feature names, in the order of a row.
        feature: per node, the feature index it splits on (-1 at a leaf).
        threshold: per node, go left when ``x <= threshold``.
        left: per node, the left child (global node index; itself at a leaf).
        right: per node, the right child.
        value: per node, the leaf value (0 inside the tree).
        roots: the root node of every tree.
        depth: the deepest path, so that ``depth`` steps reach every leaf.
        baseline: the raw score before any tree.
        calibration: (a, b) of ``sigmoid(a * raw + b)``, fitted on the validate split.
        threshold_p: answer when the calibrated probability reaches this (chosen on validate).
        meta: what made the model (splits, seed, command, figures).
    """

    features: tuple[str, ...]
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int
    baseline: float
    calibration: tuple[float, float] = (1.0, 0.0)
    threshold_p: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The ensemble's raw score (log-odds) of every row of ``rows`` (n x features)."""
        x = on_grid(rows)
        if x.ndim != 2 or x.shape[1] != len(self.features):
            raise ModelError(f"the model takes {len(self.features)} features a row")
        n = x.shape[0]
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows_idx = np.arange(n)[:, None]
        for _ in range(self.depth):
            feat = self.feature[node]
            leaf = feat < 0
            values = x[rows_idx, np.where(leaf, 0, feat)]
            go_left = values <= self.threshold[node]
            step = np.where(go_left, self.left[node], self.right[node])
            node = np.where(leaf, node, step)
        return np.asarray(self.baseline + self.value[node].sum(axis=1), dtype=np.float64)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """Calibrated P(right) of every row, on the ranking grid."""
        a, b = self.calibration
        z = a * self.raw(rows) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
        return np.round(p / _GRID) * _GRID

    def to_dict(self) -> dict[str, Any]:
        """The JSON form ``load_model`` reads."""
        return {
            "format": FORMAT,
            "features": list(self.features),
            "baseline": self.baseline,
            "calibration": list(self.calibration),
            "threshold": self.threshold_p,
            "depth": self.depth,
            "roots": self.roots.tolist(),
            "nodes": {
                "feature": self.feature.tolist(),
                "threshold": [float(t) for t in self.threshold],
                "left": self.left.tolist(),
                "right": self.right.tolist(),
                "value": [float(v) for v in self.value],
            },
            "meta": self.meta,
        }


def from_trees(
    features: Sequence[str],
    trees: Sequence[Sequence[tuple[int, float, int, int, float]]],
    baseline: float,
    calibration: tuple[float, float] = (1.0, 0.0),
    threshold_p: float = 0.5,
    meta: dict[str, Any] | None = None,
) -> TreeModel:
    """Build a model from per-tree node lists ``(feature, threshold, left, right, value)``
    whose child indexes count within their own tree (-1 feature marks a leaf)."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0
    for tree in trees:
        base = len(feature)
        roots.append(base)
        for f, t, lo, hi, v in tree:
            leaf = f < 0
            feature.append(int(f))
            threshold.append(float(t))
            left.append(base + (int(lo) if not leaf else 0))
            right.append(base + (int(hi) if not leaf else 0))
            value.append(float(v) if leaf else 0.0)
        # A leaf points at itself, so extra steps past it stay put.
        for i in range(base, len(feature)):
            if feature[i] < 0:
                left[i] = right[i] = i
        depth = max(depth, _depth(tree))
    return TreeModel(
        features=tuple(features),
        feature=np.asarray(feature, dtype=np.int64),
        threshold=np.asarray(threshold, dtype=np.float64),
        left=np.asarray(left, dtype=np.int64),
        right=np.asarray(right, dtype=np.int64),
        value=np.asarray(value, dtype=np.float64),
        roots=np.asarray(roots, dtype=np.int64),
        depth=depth,
        baseline=float(baseline),
        calibration=(float(calibration[0]), float(calibration[1])),
        threshold_p=float(threshold_p),
        meta=dict(meta or {}),
    )


def _depth(tree: Sequence[tuple[int, float, int, int, float]]) -> int:
    """The number of splits on the longest root-to-leaf path."""
    best = 0
    stack = [(0, 0)]
    while stack:
        i, d = stack.pop()
        f, _t, lo, hi, _v = tree[i]
        if f < 0:
            best = max(best, d)
        else:
            stack.extend(((lo, d + 1), (hi, d + 1)))
    return best


def _array(obj: dict[str, Any], key: str, kind: type) -> np.ndarray:
    values = obj[key]
    if not isinstance(values, list):
        raise TypeError(key)
    return np.asarray(values, dtype=np.int64 if kind is int else np.float64)


def load_model(
    path: Path | str,
    what: str = "answer model",
    features: Sequence[str] | None = None,
    version: int | None = None,
) -> TreeModel:
    """Read a model written by ``newsqa train-reader``.

    Args:
        features: the feature names this code computes, in order; a model fitted on other
            features (an older or newer NewsQA) is refused rather than fed the wrong columns.
        version: the features' version; a model fitted when the same names meant something
            else (``features_version`` in its metadata) is refused too.

    Raises:
        ModelError: the file is missing, not JSON, not a tree model, or fitted on other
            features (one line, with the path and the command that rebuilds it).
    """
    where = Path(path)
    rebuild = "rebuild it with `newsqa train-reader --source ../shared/eval/realtimeqa-train`"
    try:
        obj = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{what} not found: {where}; {rebuild}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{what} {where} is unreadable ({exc}); {rebuild}") from None
    try:
        if obj.get("format") != FORMAT:
            raise ValueError(f"format is {obj.get('format')!r}, not {FORMAT!r}")
        nodes = obj["nodes"]
        model = TreeModel(
            features=tuple(str(f) for f in obj["features"]),
            feature=_array(nodes, "feature", int),
            threshold=_array(nodes, "threshold", float),
            left=_array(nodes, "left", int),
            right=_array(nodes, "right", int),
            value=_array(nodes, "value", float),
            roots=np.asarray(obj["roots"], dtype=np.int64),
            depth=int(obj["depth"]),
            baseline=float(obj["baseline"]),
            calibration=(float(obj["calibration"][0]), float(obj["calibration"][1])),
            threshold_p=float(obj["threshold"]),
            meta=dict(obj.get("meta") or {}),
        )
        sizes = {len(model.feature), len(model.threshold), len(model.left), len(model.right)}
        if len(sizes | {len(model.value)}) != 1 or not len(model.roots):
            raise ValueError("node arrays differ in length or there is no tree")
        count = len(model.feature)
        links = np.concatenate([model.left, model.right, model.roots])
        if links.min() < 0 or links.max() >= count or model.feature.max() >= len(model.features):
            raise ValueError("a node points outside the model")
        numbers = (model.baseline, *model.calibration, model.threshold_p)
        if not all(math.isfinite(v) for v in numbers) or not (
            np.all(np.isfinite(model.threshold)) and np.all(np.isfinite(model.value))
        ):
            raise ValueError("a number is not finite")
        if features is not None and model.features != tuple(features):
            raise ValueError("it was fitted on other features than this NewsQA computes")
        fitted = model.meta.get("features_version")
        if version is not None and fitted != version:
            raise ValueError(f"its features are version {fitted}, this NewsQA computes {version}")
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
        # OverflowError: a number too large for a float ("1e400" is inf, 10**400 is not)
        raise ModelError(f"{what} {where} is not a NewsQA tree model ({exc}); {rebuild}") from None
    return model
