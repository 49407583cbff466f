"""Orderings that never hang on the last bits of a float.

Why: scores are sums of similarities and weights, and the same sum computed on another
CPU, in another order or from vectors a hair apart differs in its last digits. When two
candidates are that close, which one wins must not depend on those digits. Every ranking
in NewsQA (retrieval fusion, sentence and candidate scores, the abstention threshold) goes
through here: scores are compared on a grid of ``TOLERANCE`` and ties on the grid go to a
stable key (the candidate's position in its input, which follows passage rank and text
position, or an explicit id).

``TOLERANCE`` is well above the measured noise (``benchmarks/embedding_noise.py``:
question-passage similarities move by at most 6.6e-7 between two fp32 implementations of
the model) and well below the gaps that carry meaning (weights are 0.05 and more).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

TOLERANCE = 1e-5


def level(score: float, tolerance: float = TOLERANCE) -> int:
    """``score`` on a grid of ``tolerance`` (nearest step): the value rankings compare."""
    if not math.isfinite(score):
        return -(2**62) if score != score or score < 0 else 2**62
    return math.floor(score / tolerance + 0.5)


def best_first(
    items: Iterable[T],
    score: Callable[[T], float],
    key: Callable[[T], Any] | None = None,
) -> list[T]:
    """``items`` by score, best first; equal on the grid: by ``key``, else input order.

    Args:
        items: what to rank.
        score: higher is better.
        key: the stable tie-breaker (ascending); None keeps the input order for ties.
    """
    listed = list(items)
    if key is None:
        order = sorted(range(len(listed)), key=lambda i: (-level(score(listed[i])), i))
        return [listed[i] for i in order]
    return sorted(listed, key=lambda x: (-level(score(x)), key(x)))


def best_of(
    items: Sequence[T],
    score: Callable[[T], float],
    key: Callable[[T], Any] | None = None,
) -> T:
    """The first of ``best_first(items, score, key)``.

    Raises:
        ValueError: ``items`` is empty.
    """
    if not items:
        raise ValueError("best_of() of an empty sequence")
    return best_first(items, score, key)[0]


def at_least(score: float, threshold: float) -> bool:
    """``score >= threshold`` on the grid: a score a hair below its threshold counts as
    reaching it, the same on every machine."""
    return level(score) >= level(threshold)
