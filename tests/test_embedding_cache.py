"""The on-disk embedding cache: keyed by model and text, reused across runs and homes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rag.errors import StoreError
from vectorstore.embedding_cache import EmbeddingCache


def test_round_trip_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "vectors.sqlite"
    cache = EmbeddingCache(path, "model-a")
    vectors = np.arange(6, dtype=np.float32).reshape(2, 3)
    cache.put_many(["one", "two"], vectors)
    cache.put_many(["one"], np.full((1, 3), 9.0, dtype=np.float32))  # first write wins
    got = cache.get_many(["two", "one", "three", "one"])
    assert sorted(got) == ["one", "two"]
    assert got["one"].tolist() == [0.0, 1.0, 2.0]
    assert got["two"].tolist() == [3.0, 4.0, 5.0]
    cache.close()
    again = EmbeddingCache(path, "model-a")
    assert len(again) == 2
    assert again.get_many(["two"])["two"].tolist() == [3.0, 4.0, 5.0]


def test_vectors_of_one_model_are_never_served_for_another(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite"
    EmbeddingCache(path, "model-a").put_many(["text"], np.ones((1, 3), dtype=np.float32))
    assert EmbeddingCache(path, "model-b").get_many(["text"]) == {}
    assert list(EmbeddingCache(path, "model-a").get_many(["text"])) == ["text"]


def test_unusable_path_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(StoreError, match="cannot open the embedding cache"):
        EmbeddingCache(folder, "model").get_many(["x"])


@pytest.mark.slow
def test_embedder_reuses_cached_document_vectors(
    tmp_path: Path, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vectorstore.embeddings import Embedder

    path = tmp_path / "vectors.sqlite"
    texts = ["Putin met Xi in Beijing.", "Kim visited China.", "Putin met Xi in Beijing."]
    first = _cached_embedder(embedder, path)
    vectors = first.encode_documents(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(vectors[0], vectors[2])
    assert np.allclose(vectors, embedder.encode(texts), atol=1e-6)
    assert first.disk_cache is not None and len(first.disk_cache) == 2

    second = _cached_embedder(embedder, path)

    def no_model(_: list[str]) -> np.ndarray:
        raise AssertionError("the model must not run for cached texts")

    monkeypatch.setattr(second, "encode", no_model)
    assert np.array_equal(second.encode_documents(texts), vectors)
    # Another backend has other vectors: it must not read these.
    torch_side = Embedder(backend="torch", disk_cache=path)
    assert torch_side.disk_cache is not None
    assert torch_side.disk_cache.get_many(texts) == {}


def _cached_embedder(shared: Any, path: Path) -> Any:
    """An embedder with a disk cache that reuses the session's loaded model."""
    from vectorstore.embeddings import Embedder

    made = Embedder(backend=shared.backend, disk_cache=path)
    made._onnx, made._model = shared._onnx, shared._model
    return made


@pytest.mark.slow
def test_second_home_ingests_from_the_cache(
    tmp_path: Path,
    embedder: Any,
    make_assistant: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "vectors.sqlite"
    first = make_assistant(tmp_path / "one", embedding_cache=str(cache))
    first.embedder = _cached_embedder(embedder, cache)
    report = first.ingest([first.settings.articles_dir])
    assert report.added == 5 and report.chunks_added > 0
    # The chunks, and the sentences and phrases kept for the answerer, all went through it.
    assert len(first.embedder.disk_cache) == report.chunks_added + len(first.index.sentences)

    second = make_assistant(tmp_path / "two", embedding_cache=str(cache))
    second.embedder = _cached_embedder(embedder, cache)
    real_encode = second.embedder.encode

    def no_model(_: list[str]) -> np.ndarray:
        raise AssertionError("the model must not run for cached chunks")

    monkeypatch.setattr(second.embedder, "encode", no_model)
    again = second.ingest([second.settings.articles_dir])
    monkeypatch.setattr(second.embedder, "encode", real_encode)
    assert again.added == 5 and again.chunks_added == report.chunks_added
    assert second.ask("Who is Mao Ning?").citations


def test_settings_read_the_cache_path_from_the_environment() -> None:
    from rag.settings import Settings

    assert Settings.load(environ={}).embedding_cache == ""
    env = {"NEWSQA_EMBEDDING_CACHE": "/var/cache/newsqa/vectors.sqlite"}
    assert Settings.load(environ=env).embedding_cache == "/var/cache/newsqa/vectors.sqlite"


@pytest.mark.slow
def test_unusable_cache_is_skipped_and_reported(
    tmp_path: Path, embedder: Any, make_assistant: Callable[..., Any]
) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    assistant = make_assistant(tmp_path / "home", embedding_cache=str(folder))
    assistant.embedder = _cached_embedder(embedder, folder)
    report = assistant.ingest([assistant.settings.articles_dir])
    assert report.added == 5 and report.chunks_added > 0  # nothing lost
    assert len(report.errors) == 1
    assert report.errors[0].startswith("embedding cache not used: cannot open the embedding cache")
