"""The load benchmark (``benchmarks/load.py``): its helpers exactly, and one small real run
against the real chat server (no timing is asserted: speed belongs to the benchmark)."""

from __future__ import annotations

import math

import pytest

from benchmarks.load import markdown, percentile, run


def test_percentile_is_nearest_rank() -> None:
    assert percentile([3.0, 1.0, 2.0, 4.0, 5.0], 0.5) == 3.0
    assert percentile([3.0, 1.0, 2.0, 4.0, 5.0], 0.95) == 5.0
    assert percentile([7.0], 0.95) == 7.0
    assert math.isnan(percentile([], 0.5))


@pytest.mark.slow
def test_a_small_load_run_answers_every_user_with_their_own_answer() -> None:
    result = run(users=3, questions=6, deadline=120.0)
    for style in ("chat", "plain_http"):
        got = result[style]
        assert (got["answered"], got["errors"], got["wrong_user"]) == (6, 0, 0), got
    assert result["anchor_in_process"]["answers_per_s"] > 0
    text = markdown(result)
    assert "| answered / errors / for the wrong user | 6 / 0 / 0 | 6 / 0 / 0 |" in text
