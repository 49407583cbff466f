"""Orderings and thresholds with deterministic ties.

Why: scores are sums of similarities and weights. The same score computed in another order
(another CPU's kernels, another math library) can differ in its last bits, and two
candidates whose scores are equal in exact arithmetic must not be ordered by those bits.
Every ranking in NewsQA (RRF fusion, dense and BM25 lists, sentence and candidate scores,
recency, the abstention threshold) compares scores on a grid of ``TOLERANCE`` and breaks
ties on the grid by a stable key (the input order, which follows passage rank and text
position, or an explicit id).

What this does not do: a score that sits within the noise of a grid step or a threshold can
still land on either side of it. Same answers across machines come first from the vectors
being (nearly) the same: fp32, a text's vector independent of its batch, measured within
2.0e-7 per coordinate between two implementations (``benchmarks/embedding_noise.py``);
``tests/test_determinism.py`` checks on the project's questions that noise ten times that
size changes no answer. ``TOLERANCE`` sits well above the rounding differences of sums and
well below the gaps that carry meaning in answer scores (weights of 0.05 and more). RRF
sums of 1/(c + rank) are exact on every machine; on the grid, the few that differ by less
than it (ranks 9 and 11 against 10 and 10) keep their first-seen order. MinHash story
similarities are counts, compared as they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

TOLERANCE = 1e-5


def level(score: float, tolerance: float = TOLERANCE) -> int:
    """``score`` on a grid of ``tolerance`` (nearest step): the value rankings compare."""
    if not math.isfinite(score) or abs(score) > 1e12:
        # NaN ranks lowest; infinities and absurdly large scores cap at the ends.
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
    if key is None:  # ``sorted`` is stable: ties keep the input order
        return sorted(items, key=lambda x: -level(score(x)))
    return sorted(items, key=lambda x: (-level(score(x)), key(x)))


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
    if key is None:  # ``min`` returns the first of equal items
        return min(items, key=lambda x: -level(score(x)))
    return min(items, key=lambda x: (-level(score(x)), key(x)))


def at_least(score: float, threshold: float) -> bool:
    """``score >= threshold`` on the grid: a score a hair below its threshold counts as
    reaching it, the same on every machine."""
    return level(score) >= level(threshold)
