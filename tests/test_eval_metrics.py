"""Metric tests on hand-made records whose expected values were worked out by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from eval.dataset import contains_alias, normalize
from eval.metrics import aggregate, groundedness, percentile, score_record, token_f1


def _record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x",
        "question": "q?",
        "kind": "factoid",
        "answerable": True,
        "answers": [],
        "sources": [],
        "evidence": [],
        "answer": "",
        "abstained": False,
        "answerer": "extractive",
        "fallback_reason": None,
        "citations": [],
        "retrieved": [],
        "latency_ms": 0.0,
        "retrieve_ms": 0.0,
        "answer_ms": 0.0,
    }
    base.update(fields)
    return base


def _cite(doc_id: str, text: str) -> dict[str, Any]:
    return {"index": 1, "doc_id": doc_id, "title": None, "published": None, "text": text,
            "score": 1.0, "sentence": None}  # fmt: skip


def _ret(doc_id: str, text: str = "") -> dict[str, Any]:
    return {"doc_id": doc_id, "chunk_id": f"{doc_id}#0", "text": text, "score": 1.0}


# R1: right answer, first retrieved chunk from the source, one of two citations on target.
R1 = _record(
    id="r1",
    answers=["Vostochny"],
    sources=["A"],
    evidence=["Vostochny Cosmodrome"],
    answer="They met at the Vostochny Cosmodrome [1].",
    citations=[
        _cite("A", "Kim met Putin at the Vostochny Cosmodrome in the Far East."),
        _cite("C", "Unrelated text about trade."),
    ],
    retrieved=[_ret("A", "Kim met Putin at the Vostochny Cosmodrome."), _ret("B"), _ret("C")],
    latency_ms=100.0,
    retrieve_ms=10.0,
    answer_ms=90.0,
)
# R2: right temporal answer, source article first at rank 2, citation lacks the evidence,
# second answer sentence not in the cited passage, generative answer fell back.
R2 = _record(
    id="r2",
    kind="temporal",
    answers=["13 September 2023"],
    sources=["B", "C"],
    evidence=["on the 13th of last month"],
    answer="It happened on 13 September 2023 [1]. Officials later celebrated wildly.",
    citations=[_cite("B", "It happened on 13 September 2023, officials said.")],
    retrieved=[_ret("D", "nothing"), _ret("C", "They met on the 13th of last month.")],
    fallback_reason="timeout",
    latency_ms=300.0,
    retrieve_ms=20.0,
    answer_ms=280.0,
)
# R3: unanswerable, correctly abstained.
R3 = _record(
    id="r3",
    kind="unanswerable",
    answerable=False,
    answer="The articles do not say.",
    abstained=True,
    citations=[_cite("A", "Something close.")],
    retrieved=[_ret("A")],
    latency_ms=200.0,
    retrieve_ms=30.0,
    answer_ms=170.0,
)
# R4: answerable but abstained, nothing retrieved.
R4 = _record(
    id="r4",
    answers=["Wang Yi"],
    sources=["A"],
    evidence=["Wang Yi"],
    answer="The articles do not say.",
    abstained=True,
    latency_ms=400.0,
    retrieve_ms=40.0,
    answer_ms=360.0,
)
# R5: unanswerable, but the system guessed.
R5 = _record(
    id="r5",
    kind="unanswerable",
    answerable=False,
    answer="Probably 5000 shells [1].",
    citations=[_cite("A", "Artillery shells were supplied.")],
    retrieved=[_ret("B")],
    latency_ms=500.0,
    retrieve_ms=50.0,
    answer_ms=450.0,
)
RECORDS = [R1, R2, R3, R4, R5]


# --- alias matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "alias", "expected"),
    [
        ("No joint statement was issued.", "no", True),
        ("I know nothing.", "no", False),
        ("They did not say.", "no", False),
        ("a No. 1 priority in foreign policy", "No 1 priority", True),
        ("a No 1 priority", "No. 1 priority", True),
        ("a number one priority", "No. 1 priority", False),
        ("Met in Samarkand, Uzbekistan.", "samarkand", True),
        ("Met in Ｓａｍａｒｋａｎｄ.", "Samarkand", True),
        ("On August 29, 2025 [2].", "Aug 29 2025", False),
        ("On August 29, 2025 [2].", "August 29, 2025", True),
        ("On 2025-08-29.", "2025-08-29", True),
        ("Anything", "", False),
        ("Anything", "...", False),
    ],
)
def test_contains_alias(answer: str, alias: str, expected: bool) -> None:
    assert contains_alias(answer, alias) is expected


def test_normalize() -> None:
    assert normalize("  Russia\u2019s  Far-East!\n") == "russia s far east"
    assert normalize("No. 1") == normalize("No 1") == "no 1"
    assert normalize("ＡＢＣ ½") == "abc 1 2"
    assert normalize("") == ""


# --- per-record scores ----------------------------------------------------------------------


def test_score_record_r1() -> None:
    s = score_record(R1)
    assert s["correct"] is True
    assert s["f1"] == pytest.approx(2 / 7)  # 1 of 6 answer tokens, the whole 1-token alias
    assert s["citation_precision"] == 0.5
    assert s["supported"] is True
    assert s["grounded"] == 1.0  # content words met/vostochny/cosmodrome all cited


def test_score_record_r2() -> None:
    s = score_record(R2)
    assert s["correct"] is True
    assert s["f1"] == pytest.approx(6 / 13)  # 3 of 10 tokens, all 3 alias tokens
    assert s["citation_precision"] == 1.0
    assert s["supported"] is False
    assert s["grounded"] == 0.5  # second sentence has 1 of 4 content words in the passage


def test_score_record_unanswerable_and_abstentions() -> None:
    assert score_record(R3) == {
        "correct": True,
        "short_correct": True,
        "f1": 1.0,
        "citation_precision": None,
        "supported": None,
        "grounded": None,
    }
    assert score_record(R4) == {
        "correct": False,
        "short_correct": False,
        "f1": 0.0,
        "citation_precision": None,
        "supported": False,
        "grounded": None,
    }
    assert score_record(R5) == {
        "correct": False,
        "short_correct": False,
        "f1": 0.0,
        "citation_precision": None,
        "supported": None,
        "grounded": 0.0,
    }


def test_short_answer_must_itself_name_the_answer() -> None:
    # The alias in the quote makes the answer right by the README rule, not the short one.
    quoted = "Putin [1]. \u201cIt was a bilateral matter (Mao Ning, spokesperson).\u201d [1]"
    wrong = _record(answers=["Mao Ning"], answer=quoted, short="Putin")
    assert score_record(wrong)["correct"] is True
    assert score_record(wrong)["short_correct"] is False
    right = _record(
        answers=["Mao Ning"], answer="Mao Ning [1]. \u201c...\u201d [1]", short="Mao Ning"
    )
    assert score_record(right)["short_correct"] is True
    # Without a short answer the quote is the answer: the README rule decides.
    assert score_record(_record(answers=["Mao Ning"], answer=quoted))["short_correct"] is True
    assert aggregate([wrong, right])["short_accuracy"] == 0.5
    assert aggregate([wrong, right])["accuracy"] == 1.0


def test_abstained_answer_is_wrong_even_if_alias_occurs() -> None:
    record = _record(answers=["Beijing"], answer="Not sure it was Beijing.", abstained=True)
    assert score_record(record)["correct"] is False
    assert score_record(record)["f1"] == 0.0


def test_short_alias_needs_whole_words() -> None:
    right = _record(answers=["no"], answer="No, they did not issue a joint statement.")
    wrong = _record(answers=["no"], answer="I do not know.")
    assert score_record(right)["correct"] is True
    assert score_record(wrong)["correct"] is False


def test_f1_uses_best_alias_and_ignores_markers() -> None:
    record = _record(answers=["Wang", "Wang Yi"], answer="Wang Yi [1]")
    assert score_record(record)["f1"] == 1.0
    assert token_f1("", "x") == 0.0
    assert token_f1("a b", "c") == 0.0


def test_groundedness_edge_cases() -> None:
    assert groundedness("Anything.", []) is None
    assert groundedness("It was there. [1]", ["x"]) is None  # no content words at all
    # 4 of 5 content words present = 0.8, which meets the threshold.
    assert groundedness("alpha beta gamma delta omega", ["alpha beta gamma delta"]) == 1.0
    assert groundedness("alpha beta gamma omega sigma", ["alpha beta gamma"]) == 0.0


# --- aggregate ------------------------------------------------------------------------------


def test_aggregate_answer_metrics() -> None:
    m = aggregate(RECORDS)
    assert m["n"] == 5
    assert m["n_answerable"] == 3
    assert m["n_unanswerable"] == 2
    assert m["n_by_kind"] == {"factoid": 2, "temporal": 1, "unanswerable": 2}
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["f1"] == pytest.approx((2 / 7 + 6 / 13 + 1 + 0 + 0) / 5)
    assert m["accuracy_by_kind"] == {"factoid": 0.5, "temporal": 1.0, "unanswerable": 0.5}


def test_aggregate_retrieval_metrics() -> None:
    m = aggregate(RECORDS)
    # Answerable: R1 (source at rank 1), R2 (rank 2, one of two sources), R4 (nothing).
    assert m["hit_at_k"] == pytest.approx({1: 1 / 3, 3: 2 / 3, 5: 2 / 3, 10: 2 / 3})
    assert m["recall_at_k"] == pytest.approx({1: 1 / 3, 3: 1 / 2, 5: 1 / 2, 10: 1 / 2})
    assert m["mrr"] == pytest.approx((1 + 1 / 2 + 0) / 3)
    assert m["evidence_recall"] == pytest.approx(2 / 3)
    two = aggregate([R1, R2], ks=(1, 2))
    assert two["hit_at_k"] == {1: 0.5, 2: 1.0}


def test_aggregate_citation_and_abstention_metrics() -> None:
    m = aggregate(RECORDS)
    assert m["citation_precision"] == pytest.approx(2 / 3)  # R1 1 of 2, R2 1 of 1
    assert m["answer_citation_precision"] == pytest.approx(2 / 3)
    assert m["support_rate"] == pytest.approx(1 / 3)
    assert m["groundedness"] == pytest.approx(0.5)  # R1 1.0, R2 0.5, R5 0.0
    assert m["abstention_precision"] == 0.5  # abstained: R3 right, R4 wrong
    assert m["abstention_recall"] == 0.5  # unanswerable: R3 abstained, R5 guessed
    assert m["over_abstention"] == pytest.approx(1 / 3)
    assert m["fallback_rate"] == pytest.approx(1 / 5)


def test_the_passages_a_decline_shows_count_in_citation_precision_not_in_that_of_answers() -> None:
    declined = {**R4, "citations": [_cite("B", "Close, but not it."), _cite("C", "Nor this.")]}
    m = aggregate([R1, R2, declined])
    assert m["citation_precision"] == pytest.approx(2 / 5)  # R1 1 of 2, R2 1 of 1, R4 0 of 2
    assert m["answer_citation_precision"] == pytest.approx(2 / 3)


def test_aggregate_latency() -> None:
    m = aggregate(RECORDS)
    assert m["latency_ms"] == pytest.approx({"p50": 300.0, "p95": 480.0, "mean": 300.0})
    assert m["retrieve_ms"] == pytest.approx({"p50": 30.0, "p95": 48.0, "mean": 30.0})
    assert m["answer_ms"] == pytest.approx({"p50": 280.0, "p95": 432.0, "mean": 270.0})


def test_aggregate_empty() -> None:
    m = aggregate([])
    assert m["n"] == 0
    for key in (
        "accuracy", "f1", "mrr", "evidence_recall", "citation_precision",
        "answer_citation_precision", "support_rate", "groundedness", "abstention_precision",
        "abstention_recall", "over_abstention", "fallback_rate",
    ):  # fmt: skip
        assert m[key] is None, key
    assert m["accuracy_by_kind"] == {}
    assert m["hit_at_k"] == {1: None, 3: None, 5: None, 10: None}
    assert m["latency_ms"] == {"p50": None, "p95": None, "mean": None}


def test_aggregate_only_unanswerable_has_no_retrieval_scores() -> None:
    m = aggregate([R3])
    assert m["accuracy"] == 1.0
    assert m["hit_at_k"][5] is None
    assert m["mrr"] is None
    assert m["over_abstention"] is None
    assert m["abstention_precision"] == 1.0


def test_aggregate_ignores_stale_scores_in_records() -> None:
    stale = dict(R4, correct=True, f1=1.0)
    assert aggregate([stale])["accuracy"] == 0.0


# --- percentiles ----------------------------------------------------------------------------


def test_percentile_edge_cases() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 50) == 7.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([4, 1, 3, 2], 0) == 1.0
    assert percentile([4, 1, 3, 2], 100) == 4.0
    assert percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert math.isclose(percentile([10, 20], 95) or 0.0, 19.5)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1.0], 101)
