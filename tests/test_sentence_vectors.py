"""Sentence vectors embedded at ingest and read at answer time (``vectorstore.sentence_vectors``).

The store is only a speed-up: a stored vector must be bit for bit the one the answerer
would compute, so answers are the same with and without it, and a broken store must cost
nothing but time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rag.answer.candidates import texts_to_keep
from rag.sentences import answer_sentences

QUESTIONS = (
    "When did Kim last visit China?",
    "Who is Mao Ning?",
    "How many people died in the earthquake?",
    "What did the central bank decide?",
)


def test_answer_sentences_are_the_answerers_slices() -> None:
    text = "Putin met Xi in Beijing on Tuesday. Talks ended.\nMr. Kim left for Moscow by train."
    assert answer_sentences(text) == [
        "Putin met Xi in Beijing on Tuesday.",
        "Mr. Kim left for Moscow by train.",
    ]  # "Talks ended." is shorter than any answer sentence


def test_kept_texts_are_the_sentences_and_their_phrases() -> None:
    text = "Putin met Xi Jinping in Beijing on Tuesday. Talks ended.\nIt cost $5 million to build."
    assert texts_to_keep(text) == [
        "Putin met Xi Jinping in Beijing on Tuesday.",
        "Putin",
        "Xi Jinping",
        "Beijing",
        "It cost $5 million to build.",
        "$5 million",  # its number is part of the amount, not a phrase of its own
    ]


def test_settings_read_the_switch_from_the_environment() -> None:
    from rag.settings import Settings

    assert Settings.load(environ={}).sentence_vectors is True
    assert Settings.load(environ={"NEWSQA_SENTENCE_VECTORS": "0"}).sentence_vectors is False


@pytest.mark.slow
def test_stored_vectors_are_the_computed_ones(
    tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vectorstore.sentence_vectors import SentenceVectors

    texts = ["Putin met Xi in Beijing.", "Kim visited China by train.", "Putin met Xi in Beijing."]
    store = SentenceVectors(embedder, tmp_path / "sentences.sqlite")
    assert store.add(texts) == 2 and len(store) == 2
    assert store.add(texts) == 0  # kept ones are not embedded again

    asked: list[str] = []
    real = embedder.encode_cached

    def counting(batch: list[str]) -> np.ndarray:
        asked.extend(batch)
        return real(batch)

    monkeypatch.setattr(embedder, "encode_cached", counting)
    question = "Where did Putin meet Xi?"
    vectors = store.encode_cached([question, *texts])
    assert asked == [question]  # the model ran for the question alone
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.array_equal(vectors, embedder.encode([question, *texts]))
    assert store.encode_cached([]).shape == (0, 384)


@pytest.mark.slow
def test_unusable_store_is_switched_off_and_costs_only_time(tmp_path: Path, embedder: Any) -> None:
    from vectorstore.sentence_vectors import SentenceVectors

    folder = tmp_path / "a-folder"
    folder.mkdir()
    store = SentenceVectors(embedder, folder)
    texts = ["Putin met Xi in Beijing.", "Kim visited China by train."]
    assert store.add(texts) == 0
    assert store.problem is not None and store.problem.startswith("cannot open")
    assert np.array_equal(store.encode_cached(texts), embedder.encode(texts))
    assert len(store) == 0


def _kept_texts(assistant: Any) -> set[str]:
    return {t for _, text, _ in assistant.index.store.iter_all() for t in texts_to_keep(text)}


def _answers(assistant: Any) -> list[tuple[Any, ...]]:
    out = []
    for q in QUESTIONS:
        assistant.embedder.clear_cache()
        a = assistant.ask(q)
        out.append((a.text, a.short, a.abstained, a.confidence, [c.chunk_id for c in a.citations]))
    return out


@pytest.mark.slow
def test_ingest_keeps_every_sentence_and_answers_do_not_change(
    tmp_path: Path,
    make_assistant: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored = make_assistant(tmp_path / "home")
    report = stored.ingest([stored.settings.articles_dir])
    assert report.added == 5 and not report.errors and report.timings["sentences"] > 0
    kept = _kept_texts(stored)
    assert len(stored.index.sentences) == len(kept) > 100

    asked: list[str] = []
    real = stored.embedder.encode_cached

    def counting(batch: list[str]) -> np.ndarray:
        asked.extend(batch)
        return real(batch)

    monkeypatch.setattr(stored.embedder, "encode_cached", counting)
    with_store = _answers(stored)
    assert asked and not set(asked) & kept  # nothing stored was embedded again
    monkeypatch.undo()

    plain = make_assistant(tmp_path / "home", sentence_vectors=False)
    assert _answers(plain) == with_store
    assert any(not abstained for _, _, abstained, _, _ in with_store)


@pytest.mark.slow
def test_ingest_without_sentence_vectors_keeps_none(fresh_assistant: Callable[..., Any]) -> None:
    assistant = fresh_assistant(sentence_vectors=False)
    report = assistant.ingest([assistant.settings.articles_dir])
    assert report.added == 5 and "sentences" not in report.timings
    assert len(assistant.index.sentences) == 0


@pytest.mark.slow
def test_unusable_store_is_reported_once_and_loses_nothing(
    tmp_path: Path, make_assistant: Callable[..., Any]
) -> None:
    home = tmp_path / "home"
    (home / "sentences.sqlite").mkdir(parents=True)
    assistant = make_assistant(home)
    report = assistant.ingest([assistant.settings.articles_dir])
    assert report.added == 5 and report.chunks_added > 0
    assert len(report.errors) == 1
    assert report.errors[0].startswith("sentence vectors not kept: cannot open")
    assert assistant.ask("Who is Mao Ning?").citations
