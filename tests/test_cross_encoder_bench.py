"""The cross-encoder trial's figures (``benchmarks/cross_encoder.py``): hit@k and the ranks
the rank fusion reads are exactly what the table says they are."""

from __future__ import annotations

from benchmarks.cross_encoder import _ranks, hits, passage_text


def test_hits_counts_questions_with_an_answer_in_the_top_k() -> None:
    results = [
        {"labels": [0, 1, 0], "score": [0.9, 0.5, 0.1]},  # answer second
        {"labels": [0, 0, 1], "score": [0.9, 0.5, 0.1]},  # answer third
        {"labels": [0, 0, 0], "score": [0.3, 0.2, 0.1]},  # no answer in the pool
        {"labels": [1, 0, 0], "score": [0.9, 0.9, 0.1]},  # tie: pool order kept
    ]
    assert hits(results, lambda r: r["score"], (1, 2, 3)) == {
        "hit@1": 0.25,
        "hit@2": 0.5,
        "hit@3": 0.75,
    }


def test_ranks_are_zero_based_best_first() -> None:
    assert _ranks([0.1, 0.9, 0.5]) == [2, 0, 1]


def test_the_passage_reads_headline_then_text() -> None:
    assert passage_text({"title": "Rates held", "text": "The bank kept rates."}) == (
        "Rates held. The bank kept rates."
    )
