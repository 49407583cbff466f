"""Rankings compare scores on a grid and break ties by a stable key (``rag.ranking``)."""

from __future__ import annotations

import math

import pytest

from rag.ranking import TOLERANCE, at_least, best_first, best_of, level


def test_scores_closer_than_the_tolerance_are_ties_broken_by_input_order() -> None:
    items = [("a", 0.5), ("b", 0.5 + TOLERANCE / 10), ("c", 0.9), ("d", 0.5 - TOLERANCE / 10)]
    assert [x for x, _ in best_first(items, lambda i: i[1])] == ["c", "a", "b", "d"]
    # The same scores a hair apart the other way give the same order.
    flipped = [("a", 0.5 + TOLERANCE / 10), ("b", 0.5), ("c", 0.9), ("d", 0.5)]
    assert [x for x, _ in best_first(flipped, lambda i: i[1])] == ["c", "a", "b", "d"]


def test_ties_by_an_explicit_key() -> None:
    items = [("z", 1.0), ("a", 1.0 + TOLERANCE / 3), ("m", 2.0)]
    assert [x for x, _ in best_first(items, lambda i: i[1], key=lambda i: i[0])] == [
        "m",
        "a",
        "z",
    ]
    assert best_of(items, lambda i: i[1], key=lambda i: i[0]) == ("m", 2.0)
    with pytest.raises(ValueError):
        best_of([], lambda i: 0.0)


def test_real_gaps_still_order() -> None:
    items = [0.3, 0.3 + 3 * TOLERANCE, 0.1]
    assert best_first(items, float) == [0.3 + 3 * TOLERANCE, 0.3, 0.1]


def test_thresholds_on_the_grid() -> None:
    assert at_least(0.5 - TOLERANCE / 10, 0.5)
    assert at_least(0.5, 0.5)
    assert not at_least(0.5 - 2 * TOLERANCE, 0.5)
    assert at_least(0.1, -math.inf)
    assert not at_least(math.nan, 0.0)
    assert level(math.inf) > level(1e9) and level(-math.inf) < level(-1e9)
