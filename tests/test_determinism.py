"""An answer is a function of the index, the question, ``as_of`` and the settings alone.

Not of what a text was batched with, not of the questions asked before in the same
process, and not of the last bits of the vectors (another CPU computes them a hair
apart). Noise size: ``benchmarks/embedding_noise.py`` measured at most 2.0e-7 per
coordinate between two fp32 implementations of the model (PyTorch and ONNX Runtime) and
exactly 0 across batch sizes, thread counts and graph optimisation levels; the tests
perturb every vector by ten times that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 12, 1)  # fixed, so "today" cannot move an answer between runs
NOISE = 2e-6  # per coordinate, uniform in [-NOISE, NOISE]: 10x the measured 2.0e-7


def questions() -> list[str]:
    """The project question set and dev.jsonl, each question once."""
    found: list[str] = []
    for name in ("newsqa.jsonl", "dev.jsonl"):
        text = (ROOT / "eval" / "datasets" / name).read_text(encoding="utf-8")
        found += [json.loads(line)["question"] for line in text.splitlines() if line.strip()]
    return list(dict.fromkeys(found))


def outcome(answer: Any) -> tuple[Any, ...]:
    """What a user sees: the text, the short answer, declined or not, and the sources."""
    cited = tuple((c.index, c.chunk_id, c.sentence) for c in answer.citations)
    return answer.text, answer.short, answer.abstained, cited


def ask_all(assistant: Any, asked: list[str]) -> dict[str, tuple[Any, ...]]:
    return {q: outcome(assistant.ask(q, as_of=AS_OF)) for q in asked}


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [f"{q!r}: {a[q][:3]} != {b[q][:3]}" for q in a if a[q] != b[q]]


TEXTS = [
    "Who is Mao Ning?",
    "Who is Wang Yi?",
    "Where is Samarkand?",
    "Who is Xi Jinping?",
    "Who met Putin?",
    "Who is Lavrov?",
    "When did Kim last visit China?",  # same token count as some of its batch-mates
    "Kim Jong-un and Vladimir Putin met at the Vostochny Cosmodrome in September 2023.",
    "Xi Jinping and Putin met in Samarkand on 15 September 2022.",
    "The summit is expected to address the war in Ukraine and Western sanctions. " * 3,
    "Trade between the two countries grew by 30 percent last year, officials said.",
    "China sent its top diplomats to Russia after the Kim-Putin summit.",
    "a",
    "Nikkei reported on the summit between the two leaders on September 2. " * 20,  # > 256
]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_a_texts_vector_does_not_depend_on_its_batch(backend: str) -> None:
    from vectorstore.embeddings import Embedder
    from vectorstore.onnx_backend import PAD_STEP

    embedder = Embedder(backend=backend, batch_size=4)
    # Not vacuous: more texts share a padded length than fit in one batch of 4, and
    # several lengths are mixed in one call.
    padded = [-(-(n + 2) // PAD_STEP) for n in embedder.count_tokens_many(TEXTS)]
    assert max(padded.count(p) for p in padded) > 4 and len(set(padded)) >= 3
    alone = np.vstack([embedder.encode([t]) for t in TEXTS])
    together = embedder.encode(TEXTS)
    order = np.random.default_rng(7).permutation(len(TEXTS))
    shuffled = embedder.encode([TEXTS[i] for i in order])
    assert np.array_equal(together, alone)
    assert np.array_equal(shuffled, alone[order])
    # Through the LRU: a text first embedded inside a batch is served as if alone.
    cached = Embedder(backend=backend, batch_size=4)
    cached.onnx._session = embedder.onnx.session  # the loaded model, no second load
    cached.onnx._tokenizer = embedder.onnx.tokenizer
    cached.encode_cached(TEXTS[::-1])
    assert np.array_equal(cached.encode_cached([TEXTS[2]])[0], alone[2])


@pytest.mark.slow
def test_answers_do_not_depend_on_the_questions_asked_before(assistant: Any) -> None:
    """A fresh Assistant (own model, empty caches) asks every question in order; the
    long-lived shared one, warmed by the rest of the suite, asks them in reverse."""
    from rag.assistant import Assistant
    from vectorstore.embeddings import Embedder

    asked = questions()
    fresh = Assistant(assistant.settings)
    fresh.embedder = Embedder()
    forward = ask_all(fresh, asked)
    backward = ask_all(assistant, asked[::-1])
    assert differences(forward, backward) == []
    assert len(forward) == len(asked) >= 100
    # Not vacuous: most questions are answered, with sources.
    assert sum(not o[2] and bool(o[3]) for o in forward.values()) >= 70


@pytest.mark.slow
def test_concurrent_asks_give_the_answers_asked_alone(assistant: Any) -> None:
    """The chat shares one Assistant between users: four threads asking the dev and project
    questions at once (each its own order) get what each question gets asked alone."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    asked = questions()[:40]
    alone = ask_all(assistant, asked)
    orders = [random.Random(seed).sample(asked, len(asked)) for seed in range(4)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda order: ask_all(assistant, order), orders))
    for got in results:
        assert differences(alone, got) == []


class NoisyEmbedder:
    """The shared model with every vector moved by uniform noise of ``size`` per
    coordinate, the same noise for the same text (seeded by the text's hash), then
    normalised again."""

    def __new__(cls, base: Any, seed: int, size: float) -> Any:
        from vectorstore.embeddings import Embedder

        class Noisy(Embedder):
            def encode(self, texts: list[str]) -> np.ndarray:
                vectors = base.encode(texts).astype(np.float64)
                for i, text in enumerate(texts):
                    digest = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
                    rng = np.random.default_rng([seed, digest])
                    vectors[i] += rng.uniform(-size, size, vectors.shape[1])
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)

        noisy = Noisy(backend=base.backend)
        noisy._onnx = base.onnx  # the loaded model and tokenizer, for token counts
        return noisy


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_answers_survive_embedding_noise(
    seed: int, assistant: Any, make_assistant: Any, tmp_path: Path
) -> None:
    """Index and questions embedded with perturbed vectors give the same answers,
    citations and abstentions as the exact vectors."""
    asked = questions()
    exact = ask_all(assistant, asked)
    noisy = make_assistant(tmp_path / "noisy")
    noisy.embedder = NoisyEmbedder(assistant.embedder, seed, NOISE)
    report = noisy.ingest([noisy.settings.articles_dir])
    assert report.added == 5
    moved = noisy.embedder.encode(["Who is Mao Ning?"])[0]
    plain = assistant.embedder.encode(["Who is Mao Ning?"])[0]
    assert 0 < np.max(np.abs(moved - plain)) < 5 * NOISE  # the noise is really there
    assert differences(exact, ask_all(noisy, asked)) == []


def test_the_noise_benchmark_compares_vectors_exactly() -> None:
    from benchmarks.embedding_noise import compare

    ref = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    moved = ref.copy()
    moved[2] = [0.8, 0.6]
    row = compare(ref, moved, slice(0, 1))  # one question, two passages
    assert row["max_coord"] == pytest.approx(0.2)
    assert row["max_1_minus_cos"] == pytest.approx(1 - 0.96)
    assert row["max_sim_change"] == pytest.approx(0.2)  # 0.6 -> 0.8 with the question
    assert compare(ref, ref, slice(0, 1)) == {
        "max_coord": 0.0,
        "max_1_minus_cos": 0.0,
        "max_sim_change": 0.0,
    }
