"""The ONNX Runtime embedding backend: same vectors as torch, and usable end to end.

The export (a few seconds) runs once per test session into a temporary cache, so these
tests never touch the user's ``~/.cache`` and never reuse a stale export.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytestmark = pytest.mark.slow

SENTENCES = [
    "Mao Ning is a spokesperson of the Chinese foreign ministry.",
    "Kim Jong-un and Vladimir Putin met at the Vostochny Cosmodrome in September 2023.",
    "Xi Jinping and Putin met in Samarkand on 15 September 2022.",
    "Putin's motorcade entered the Diaoyutai State Guesthouse in Beijing.",
    "Who is Mao Ning?",
    "The summit is expected to address the war in Ukraine and Western sanctions.",
    "Nikkei reported on the summit between the two leaders on September 2.",
    "China sent its top diplomats to Russia after the Kim-Putin summit.",
    "Trade between the two countries grew by 30 percent last year, officials said.",
    "The Shanghai Cooperation Organisation met in Tianjin the previous day.",
]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A session-wide export cache; ``NEWSQA_ONNX_CACHE`` points at it during the tests."""
    from vectorstore.embeddings import bundled_model_path
    from vectorstore.onnx_backend import ensure_exported

    root = tmp_path_factory.mktemp("onnx-cache")
    old = os.environ.get("NEWSQA_ONNX_CACHE")
    os.environ["NEWSQA_ONNX_CACHE"] = str(root)
    ensure_exported(bundled_model_path(), quantized=True)  # fp32 and int8, once
    yield root
    if old is None:
        os.environ.pop("NEWSQA_ONNX_CACHE", None)
    else:
        os.environ["NEWSQA_ONNX_CACHE"] = old


@pytest.fixture(scope="module")
def torch_embedder() -> Any:
    """The reference: the same weights run by sentence-transformers on PyTorch."""
    from vectorstore.embeddings import Embedder

    return Embedder(backend="torch")


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1))


def test_export_leaves_logging_as_it_was(tmp_path: Path) -> None:
    """onnxruntime's quantizer calls ``logging.basicConfig``; the stderr handler it leaves
    would print every library's debug lines to the user's terminal. (A subprocess: under
    pytest the root logger already has handlers, so basicConfig would do nothing.)"""
    code = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from vectorstore.embeddings import bundled_model_path\n"
        "from vectorstore.onnx_backend import ensure_exported\n"
        f"ensure_exported(bundled_model_path(), quantized=True, root=Path({str(tmp_path)!r}))\n"
        "print(len(logging.getLogger().handlers))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600
    )
    assert done.stdout.strip() == "0"


def test_export_is_cached_by_weights_hash(onnx_cache: Path) -> None:
    from vectorstore.embeddings import bundled_model_path
    from vectorstore.onnx_backend import ensure_exported, export_dir

    folder = export_dir(bundled_model_path())
    assert folder.parent == onnx_cache
    assert folder.name.startswith(bundled_model_path().name + "-")
    fp32 = ensure_exported(bundled_model_path(), quantized=False)
    before = fp32.stat().st_mtime_ns
    assert ensure_exported(bundled_model_path(), quantized=False).stat().st_mtime_ns == before
    # MatMul weights only are int8; the 47 MB word-embedding table stays float.
    assert (folder / "model.int8.onnx").stat().st_size < fp32.stat().st_size * 0.75


@pytest.mark.parametrize(("backend", "minimum"), [("onnx", 0.999), ("onnx-int8", 0.98)])
def test_onnx_matches_torch(
    onnx_cache: Path, torch_embedder: Any, backend: str, minimum: float
) -> None:
    from vectorstore.embeddings import Embedder

    onnx = Embedder(backend=backend)
    reference = torch_embedder.encode(SENTENCES)
    got = onnx.encode(SENTENCES)
    assert got.shape == reference.shape and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert _cosines(got, reference).min() > minimum
    assert onnx.count_tokens(SENTENCES[0]) == torch_embedder.count_tokens(SENTENCES[0])
    assert onnx.count_tokens_many(SENTENCES) == [torch_embedder.count_tokens(s) for s in SENTENCES]
    assert onnx.dimension == torch_embedder.dimension == 384
    assert onnx.encode([]).shape == (0, reference.shape[1])
    # Batching must not change a text's vector or the order, for either model: texts are
    # batched only with texts of their own token length, int8 encodes each on its own.
    one_by_one = np.vstack([onnx.encode([s]) for s in SENTENCES])
    assert np.array_equal(one_by_one, got)


def test_unknown_backend_is_refused() -> None:
    from rag.errors import ConfigError, ModelError
    from rag.settings import Settings
    from vectorstore.embeddings import Embedder

    with pytest.raises(ModelError):
        Embedder(backend="tensorrt")
    with pytest.raises(ConfigError, match="embedding backend"):
        Settings.load(environ={"NEWSQA_EMBEDDING_BACKEND": "tensorrt"})
    assert Settings.load(environ={"NEWSQA_EMBEDDING_BACKEND": "onnx"}).embedding_backend == "onnx"
    # fp32 is the default (the same vectors on every CPU); int8 and torch stay selectable.
    assert Settings.load(environ={}).embedding_backend == "onnx"
    assert Embedder().backend == "onnx"
    assert Settings.load(environ={"NEWSQA_EMBEDDING_BACKEND": "torch"}).embedding_backend == "torch"


def test_int8_assistant_answers(
    onnx_cache: Path, tmp_path: Path, make_assistant: Callable[..., Any]
) -> None:
    from vectorstore.embeddings import Embedder

    assistant = make_assistant(tmp_path / "home", embedding_backend="onnx-int8")
    assert assistant.settings.embedding_backend == "onnx-int8"
    # A fresh embedder, so that the export comes from this module's temporary cache.
    assistant.embedder = Embedder(backend="onnx-int8")
    report = assistant.ingest([assistant.settings.articles_dir])
    assert report.added == 5 and not report.errors
    assert assistant.embedder._model is None  # torch was never loaded
    answer = assistant.ask("Who is Mao Ning?")
    assert not answer.abstained
    assert "Mao Ning" in answer.text
    assert {c.doc_id for c in answer.citations} & {"001_8bacbee5ccb4060f", "003_856a94d7b1fc46ae"}


TOKENIZER_TEXTS = [
    *SENTENCES,
    "",
    "Ünïcödé café naïve — “quotes” 東京 北京 Москва 김정은 😀",
    "control\x00\x07chars\tand\nnewlines",
    "word " * 400,  # longer than the 256-token window
    "Kim Jong-un's visit, 2 Sept. 2025 [1]. U.S.-China talks (No. 1).",
]


def test_wordpiece_tokenizer_matches_transformers() -> None:
    """The ONNX backend tokenizes with ``tokenizers`` alone (no transformers import on the
    question path); the ids, masks and counts must be those of the Hugging Face tokenizer
    the model was trained with, truncation and padding included."""
    from transformers import AutoTokenizer

    from vectorstore.embeddings import bundled_model_path
    from vectorstore.tokenizer import WordPieceTokenizer

    path = bundled_model_path()
    reference = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    mine = WordPieceTokenizer(path, max_length=256)
    for text in TOKENIZER_TEXTS:
        assert mine.tokenize(text) == reference.tokenize(text), text[:40]
    counts = reference(TOKENIZER_TEXTS, add_special_tokens=False, truncation=False)["input_ids"]
    assert mine.count_many(TOKENIZER_TEXTS) == [len(ids) for ids in counts]
    assert mine.count_many([]) == []
    expected = reference(
        TOKENIZER_TEXTS, padding=True, truncation=True, max_length=256, return_tensors="np"
    )
    got = mine.batch(TOKENIZER_TEXTS)
    for name in ("input_ids", "attention_mask", "token_type_ids"):
        assert got[name].dtype == np.int64
        assert np.array_equal(got[name], np.asarray(expected[name])), name
    assert got["input_ids"].shape[1] == 256


def test_a_missing_tokenizer_is_a_model_error(tmp_path: Path) -> None:
    from rag.errors import ModelError
    from vectorstore.tokenizer import WordPieceTokenizer

    with pytest.raises(ModelError, match="cannot load the tokenizer"):
        WordPieceTokenizer(tmp_path, max_length=256)


def test_weights_hash_is_remembered_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashing the 90 MB weights cost ~0.3 s of every command-line question; the hash is
    kept per file version, and a changed file is hashed again."""
    import hashlib

    from vectorstore import onnx_backend

    monkeypatch.setenv("NEWSQA_ONNX_CACHE", str(tmp_path / "cache"))
    model = tmp_path / "model"
    model.mkdir()
    weights = model / "model.safetensors"
    weights.write_bytes(b"first weights")
    first = onnx_backend.weights_hash(model)
    assert first == hashlib.sha256(b"first weights").hexdigest()[:16]
    memo = json.loads((tmp_path / "cache" / "weights-hashes.json").read_text())
    assert list(memo.values()) == [first]
    onnx_backend._file_hash.cache_clear()  # a new process: only the disk memo is left
    assert onnx_backend.weights_hash(model) == first
    weights.write_bytes(b"other weights, other size")
    assert (
        onnx_backend.weights_hash(model)
        == hashlib.sha256(b"other weights, other size").hexdigest()[:16]
    )
    (tmp_path / "cache" / "weights-hashes.json").write_text("not json")
    onnx_backend._file_hash.cache_clear()
    assert onnx_backend.weights_hash(model) != first  # a damaged memo is ignored
