"""Answers through ``Assistant.ask`` over the sample articles: dates, abstention, citations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.dataset import contains_alias, load_dataset
from eval.metrics import is_correct
from rag.answer.base import ABSTAIN_TEXT
from rag.answer.extractive import closest
from rag.temporal import value_range
from rag.types import Answer

DEV = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "dev.jsonl"
KIM_CHINA_DOC = "000_075620075a1fb010"

pytestmark = pytest.mark.slow


def check_citations(answer: Answer) -> None:
    """Citations are numbered 1..n, each sentence is a slice of its passage text."""
    assert [c.index for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert c.text
        assert c.chunk_id.startswith(c.doc_id + ":")
        if c.sentence is not None:
            assert c.sentence in c.text
    if not answer.abstained:
        for c in answer.citations:
            assert f"[{c.index}]" in answer.text
            assert c.sentence is not None


def test_when_did_kim_last_visit_china(assistant: Any) -> None:
    answer = assistant.ask("When did Kim last visit China?")
    assert not answer.abstained
    assert "September 2025" in answer.text
    assert contains_alias(answer.text, "2 September 2025")
    check_citations(answer)
    cited = [c for c in answer.citations if c.doc_id == KIM_CHINA_DOC]
    assert cited
    assert any(c.sentence and "first visit to China" in c.sentence for c in cited)
    for c in cited:
        assert c.sentence is not None and c.sentence in c.text
        assert c.published is not None and c.published.isoformat() == "2025-09-02"
    assert answer.question == answer.standalone_question == "When did Kim last visit China?"
    assert answer.retrieved and len(answer.retrieved) <= assistant.settings.k
    assert set(answer.timings) >= {"retrieve_ms", "answer_ms", "total_ms"}


def test_unanswerable_question_abstains_with_closest_passages(assistant: Any) -> None:
    answer = assistant.ask("What is the capital of Australia?")
    assert answer.abstained is True
    assert answer.text == ABSTAIN_TEXT
    assert answer.text.startswith("The articles do not say.")
    assert 1 <= len(answer.citations) <= 3
    assert all(c.sentence is None for c in answer.citations)
    # the passages of the reader's closest sentences, not the retriever's first three
    question = "What is the capital of Australia?"
    _, ranked = assistant.chain().answerer.ranked(question, answer.retrieved, None)
    shown = closest(answer.retrieved, ranked)
    assert [c.chunk_id for c in answer.citations] == [p.chunk_id for p in shown][:3]
    check_citations(answer)


def test_who_is_mao_ning(assistant: Any) -> None:
    answer = assistant.ask("Who is Mao Ning?")
    assert not answer.abstained
    assert "Mao Ning" in answer.text
    assert {c.doc_id for c in answer.citations} & {"001_8bacbee5ccb4060f", "003_856a94d7b1fc46ae"}
    assert any(c.sentence and "Mao Ning" in c.sentence for c in answer.citations)
    check_citations(answer)


def test_a_day_of_the_week_is_worked_out_from_the_resolved_date(assistant: Any) -> None:
    """The article says "the 13th of last month" (of 17 October 2023): a Wednesday."""
    answer = assistant.ask("On what day of the week did Kim and Putin meet at Vostochny?")
    assert not answer.abstained
    assert answer.short == "Wednesday"
    assert answer.text.startswith("Wednesday, 13 September 2023")
    check_citations(answer)


def test_dev_questions_meet_the_bar(assistant: Any) -> None:
    items = load_dataset(DEV)
    assert len(items) == 16
    wrong = []
    for item in items:
        answer = assistant.ask(item.question)
        check_citations(answer)
        record = {
            "answerable": item.answerable,
            "answers": list(item.answers),
            "abstained": answer.abstained,
            "answer": answer.text,
        }
        if not is_correct(record):
            wrong.append((item.id, answer.text[:120]))
    assert len(items) - len(wrong) >= 13, wrong


def test_timeline_orders_events_by_date(assistant: Any) -> None:
    events = assistant.timeline("Putin meetings with Kim")
    dates = [e.date for e in events]
    assert "2023-09-13" in dates and "2024-06-19" in dates
    assert dates.index("2023-09-13") < dates.index("2024-06-19")
    # Ordered by the first day each date covers ("2024-W25" starts on 17 June 2024).
    starts = [value_range(e.date)[0] for e in events]
    assert starts == sorted(starts)
    vostochny = [e for e in events if e.date == "2023-09-13"]
    assert any("Vostochny Cosmodrome" in e.sentence for e in vostochny)
    pyongyang = [e for e in events if e.date == "2024-06-19"]
    assert any("Pyongyang" in e.sentence for e in pyongyang)
    for e in events:
        assert e.sentence == e.citation.sentence
        assert e.sentence in e.citation.text


def test_follow_up_question_is_made_standalone(assistant: Any) -> None:
    answer = assistant.ask(
        "And when did he meet Putin?", history=["When did Kim last visit China?"]
    )
    assert answer.question == "And when did he meet Putin?"
    assert answer.standalone_question == "When did Kim meet Putin?"
    assert "Kim" in answer.standalone_question
    assert not answer.abstained
    check_citations(answer)


@pytest.mark.parametrize(
    "history",
    [
        ["When did Kim last visit China?"],
        [("When did Kim last visit China?", "2 September 2025")],
        [
            {"role": "user", "content": "When did Kim last visit China?"},
            {"role": "assistant", "content": "2 September 2025 [1]."},
        ],
    ],
    ids=["strings", "pairs", "messages"],
)
def test_history_shapes(assistant: Any, history: list[Any]) -> None:
    assert assistant.standalone("And when did he meet Putin?", history) == (
        "When did Kim meet Putin?"
    )


def test_stream_yields_text_then_the_same_answer(assistant: Any) -> None:
    pieces = list(assistant.stream("Who is Mao Ning?"))
    final = pieces[-1]
    assert isinstance(final, Answer)
    assert all(isinstance(p, str) for p in pieces[:-1])
    assert "".join(pieces[:-1]) == final.text
    assert final.text == assistant.ask("Who is Mao Ning?").text


@pytest.mark.parametrize("retriever", ["bm25", "dense"])
def test_other_retrievers_answer_too(assistant: Any, retriever: str) -> None:
    answer = assistant.ask(
        "Which state guesthouse did Putin's motorcade enter?", retriever=retriever
    )
    assert not answer.abstained
    assert "Diaoyutai" in answer.text
    check_citations(answer)


def test_to_dict_is_json_ready(assistant: Any) -> None:
    data = assistant.ask("When did Kim last visit China?").to_dict()
    assert data["abstained"] is False
    assert data["answerer"] == "extractive"
    for c in data["citations"]:
        assert set(c) == {
            "index",
            "doc_id",
            "title",
            "outlet",
            "published",
            "chunk_id",
            "text",
            "score",
            "sentence",
            "also_reported_by",
        }
        assert c["also_reported_by"] == []  # the five bundled articles are five stories
        assert isinstance(c["published"], str)


class _CountingEmbedder:
    """The one method the answerer calls, recording what it was asked to embed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[list[str]] = []

    def encode_cached(self, texts: list[str]) -> Any:
        self.calls.append(list(texts))
        return self.inner.encode_cached(texts)


def test_only_the_best_worded_candidates_are_embedded(assistant: Any) -> None:
    from rag.answer.evidence import candidate_sentences
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.answer.question import analyse

    question = "When did Kim last visit China?"
    passages = assistant.chain().retriever.retrieve(question, 6)
    counting = _CountingEmbedder(assistant.embedder)
    capped = ExtractiveAnswerer(counting, max_embedded=5)
    sentences = candidate_sentences(passages)
    assert len(sentences) > 5
    capped.scorer.score(analyse(question), sentences)
    assert len(counting.calls) == 1 and len(counting.calls[0]) == 1 + 5
    assert counting.calls[0][0] == question
    # The embedded five are the best by the word-level score, so they outrank the rest.
    embedded = set(counting.calls[0][1:])
    ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
    assert {s.text for s in ranked[:5]} == embedded
    # Same answer as embedding every candidate.
    full = ExtractiveAnswerer(assistant.embedder).answer(question, passages)
    assert capped.answer(question, passages).text == full.text
