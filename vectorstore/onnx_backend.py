"""ONNX Runtime backend for the embedding model: a local export, fp32 or int8.

Why: on the 2-core CPU machines NewsQA targets, embedding dominates ingest time, and
ONNX Runtime (especially with int8 dynamic quantization) encodes faster than eager
PyTorch. ``sentence-transformers[onnx]``/``optimum`` cannot be installed beside Gradio 6,
so the transformer is exported here with ``torch.onnx.export`` from the bundled weights;
nothing is downloaded.

Export: the model is traced with eager attention (the SDPA graph hides the attention
pattern), ONNX Runtime's transformer optimizer fuses it into ``Attention``,
``SkipLayerNormalization`` and ``BiasGelu`` kernels, and the int8 variant quantizes the
MatMul and Attention weights per channel. Each step was measured (docs in
``benchmarks/README.md``): fusion alone gains little in fp32, but fused int8 runs about
2x eager PyTorch where unfused int8 stayed near 1.6x.

Cache: exported files live in ``$NEWSQA_ONNX_CACHE`` when set, else
``~/.cache/newsqa/onnx``, in a folder ``<model-name>-<hash of the weights file>-v<N>``
holding ``model.onnx`` (fused fp32) and ``model.int8.onnx``. The hash keys the cache to
the exact weights (and N to this export recipe), so a changed model is exported again
instead of silently reusing a stale file.
The cache is deliberately outside ``NEWSQA_HOME``: it depends on the model, not on the
index, and is shared by every index on the machine.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vectorstore.errors import ModelError

if TYPE_CHECKING:
    from vectorstore.tokenizer import WordPieceTokenizer

BACKENDS = ("torch", "onnx", "onnx-int8")
OPSET = 17
EXPORT_VERSION = 2  # bump when the export recipe changes: old cached files are then ignored
# Bump when ``OnnxEncoder.encode`` changes its vectors (2: padding that depends on the text
# alone, int8 one text at a time), so indexes and caches of the old vectors are re-embedded,
# never mixed.
ENCODE_VERSION = 2
# Texts are padded to the next multiple of this many tokens (a function of the text alone),
# so texts of similar length run in one batch while a text's vector stays the same in any
# batch. Measured on 16 candidate sentences: step 1 (exact length) 95 ms, 8: 86 ms,
# 16: 88 ms, 32: 145 ms, 64: 130 ms (padding costs more than batching gains beyond 16).
PAD_STEP = 8
MAX_LENGTH = 256
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_export_lock = threading.Lock()


def cache_root() -> Path:
    """Folder that holds every exported model (see the module docstring)."""
    env = os.environ.get("NEWSQA_ONNX_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "newsqa" / "onnx"


def weights_hash(model_dir: Path) -> str:
    """Short sha256 of the weights file, so the cache follows the exact weights.

    Hashing ~90 MB takes ~0.3 s, a fifth of a question's start-up from the command line,
    so the result is kept in memory and in ``<cache_root>/weights-hashes.json``, keyed by
    the file's version (path, size, mtime, ctime, inode): any write to the file changes
    the key and the file is hashed again.
    """
    for name in ("model.safetensors", "pytorch_model.bin"):
        weights = model_dir / name
        if weights.is_file():
            st = weights.stat()
            version = f"{weights.resolve()}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}"
            return _file_hash(str(weights), f"{version}|{st.st_ino}")
    raise ModelError(f"no weights file (model.safetensors) in {model_dir}")


@functools.lru_cache(maxsize=8)
def _file_hash(path: str, version: str) -> str:
    """sha256[:16] of a file; ``version`` is the key of the in-memory and disk memos."""
    memo = cache_root() / "weights-hashes.json"
    known = _read_memo(memo)
    if isinstance(known.get(version), str):
        return str(known[version])
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()[:16]
    _write_memo(memo, {**known, version: value})
    return value


def _read_memo(memo: Path) -> dict[str, Any]:
    try:
        data = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: the memo is only a speed-up
    return data if isinstance(data, dict) else {}


def _write_memo(memo: Path, data: dict[str, Any]) -> None:
    tmp = memo.with_name(f"{memo.name}.{os.getpid()}.tmp")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(dict(list(data.items())[-16:])), encoding="utf-8")
        tmp.replace(memo)  # atomic: a reader never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)  # read-only cache folder: hash again next time


def export_dir(model_dir: Path, root: Path | None = None) -> Path:
    """Cache folder of one model's exports: ``<root>/<model-name>-<weights hash>``."""
    return (root or cache_root()) / (
        f"{model_dir.name}-{weights_hash(model_dir)}-v{EXPORT_VERSION}"
    )


def _export_fp32(model_dir: Path, target: Path) -> None:
    """Trace the transformer (no pooling) to ONNX with dynamic batch and sequence axes,
    then fuse it for ONNX Runtime (see the module docstring)."""
    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(
        str(model_dir),
        device="cpu",
        local_files_only=True,
        model_kwargs={"attn_implementation": "eager"},
    )
    transformer: Any = st[0].auto_model
    transformer.eval()
    # The pooled output is computed in numpy, so the graph returns the token states only.
    wrapper = _token_states_module(transformer)
    dummy = st.tokenizer(["an example sentence"], return_tensors="pt")
    args = tuple(dummy[name] for name in _INPUTS)
    axes = {name: {0: "batch", 1: "sequence"} for name in _INPUTS}
    axes["last_hidden_state"] = {0: "batch", 1: "sequence"}
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about shapes held constant
            torch.onnx.export(
                wrapper,
                args,
                str(tmp),
                input_names=list(_INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,  # the dynamo exporter needs onnxscript, which is not installed
                do_constant_folding=True,
            )
        config = transformer.config
        _fuse(tmp, target, int(config.num_attention_heads), int(config.hidden_size))
    finally:
        tmp.unlink(missing_ok=True)  # a failed export leaves no 90 MB file behind


def _fuse(source: Path, target: Path, heads: int, hidden: int) -> None:
    """Fuse attention, layer norms and GELU with ONNX Runtime's BERT optimizer."""
    from onnxruntime.transformers import optimizer

    model = optimizer.optimize_model(
        str(source), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=1
    )
    tmp = target.with_name(target.name + f".{os.getpid()}.fused.tmp")
    try:
        model.save_model_to_file(str(tmp))
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def _token_states_module(transformer: Any) -> Any:
    """Wrap the Hugging Face model so that the traced graph returns token states only.

    Defined inside a function because torch is imported lazily: only the one-time
    export needs it, never the ONNX encoder.
    """
    import torch

    class TokenStates(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            )
            return out[0]

    return TokenStates(transformer)


def _quantize(source: Path, target: Path) -> None:
    """Dynamic int8 quantization of the MatMul and fused Attention weights, per channel.

    The defaults (per-tensor, every op incl. the embedding Gather) cost too much accuracy
    on MiniLM: cosine to the fp32 vectors fell to ~0.91 on news chunks. Per-channel scales
    on MatMul and Attention keep it near 0.99 and still give the int8 speed-up.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    root = logging.getLogger()
    advice = _DropAdvice()
    root.addFilter(advice)  # an advisory "run pre-processing" line
    handlers = list(root.handlers)
    try:
        quantize_dynamic(
            str(source),
            str(tmp),
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul", "Attention"],
            # The fused ops come from ONNX Runtime's own domain, which shape inference
            # cannot type; their outputs are float.
            extra_options={"DefaultTensorType": 1},
        )
        tmp.replace(target)
    finally:
        root.removeFilter(advice)
        # The quantizer installs a stderr handler on the root logger, which would then
        # print every library's debug lines to the user: take it away again.
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
        tmp.unlink(missing_ok=True)


class _DropAdvice(logging.Filter):
    """Drops onnxruntime's "consider pre-processing" advice, and nothing else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()


def ensure_exported(model_dir: Path, quantized: bool, root: Path | None = None) -> Path:
    """Path of the ONNX file for ``model_dir``, exporting (and quantizing) it if missing.

    Export takes a few seconds and runs once per weights hash; later calls only hash
    the weights file. Files are written under a temporary name and renamed, so a killed
    export never leaves a truncated model in the cache.

    Raises:
        ModelError: the model folder has no weights, or the export failed.
    """
    folder = export_dir(model_dir, root)
    fp32 = folder / "model.onnx"
    int8 = folder / "model.int8.onnx"
    with _export_lock:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not fp32.is_file():
                _export_fp32(model_dir, fp32)
            if quantized and not int8.is_file():
                _quantize(fp32, int8)
        except ModelError:
            raise
        except Exception as exc:  # torch/onnx raise many types; all mean "cannot export"
            raise ModelError(f"cannot export {model_dir} to ONNX: {exc}") from None
    return int8 if quantized else fp32


class OnnxEncoder:
    """Sentence embeddings from an ONNX export: same output as the torch ``Embedder``.

    Tokenization uses the model folder's own tokenizer (WordPiece, truncation at 256
    tokens like sentence-transformers; ``vectorstore.tokenizer``, without
    ``transformers``), then mean pooling over the attention mask and L2 normalisation,
    which is exactly what all-MiniLM-L6-v2's pooling and Normalize modules do.

    Args:
        model_path: the sentence-transformers model folder (weights and tokenizer).
        quantized: use the int8 export instead of fp32.
        threads: ONNX Runtime intra-op threads (2 matches the target machines).
        cache: export cache root; None for ``cache_root()``.
    """

    def __init__(
        self,
        model_path: str | Path,
        quantized: bool = False,
        threads: int = 2,
        cache: Path | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.quantized = quantized
        self.threads = threads
        self.cache = cache
        self._session: Any = None
        self._tokenizer: WordPieceTokenizer | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.model_path.name + ("-onnx-int8" if self.quantized else "-onnx")

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            # ONNX Runtime and the ``tokenizers`` library only: torch and transformers are
            # needed by the one-time export alone (see ``vectorstore.tokenizer``).
            import onnxruntime as ort

            from vectorstore.tokenizer import WordPieceTokenizer

            onnx_file = ensure_exported(self.model_path, self.quantized, self.cache)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            tokenizer = WordPieceTokenizer(self.model_path, MAX_LENGTH, pad_multiple=PAD_STEP)
            try:
                session = ort.InferenceSession(
                    str(onnx_file), options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # many library types; all mean "cannot load"
                raise ModelError(f"cannot load the ONNX model {onnx_file}: {exc}") from None
            self._tokenizer = tokenizer
            self._session = session

    @property
    def tokenizer(self) -> WordPieceTokenizer:
        if self._tokenizer is None:
            self._load()
        assert self._tokenizer is not None
        return self._tokenizer

    @property
    def session(self) -> Any:
        if self._session is None:
            self._load()
        return self._session

    @property
    def dimension(self) -> int:
        """Width of the embeddings (the last axis of the token states)."""
        return int(self.session.get_outputs()[0].shape[-1] or 384)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts into an (n, dim) float32 array of unit vectors.

        A text's vector depends on the text alone, never on what it is encoded with: each
        text is padded to a length that is a function of its own token count (the next
        multiple of ``PAD_STEP``) and batched only with texts padded to the same length, so
        its computation is the same in any batch; the int8 model, whose dynamic quantization
        takes one activation scale per batch, encodes each text on its own. Measured in
        ``benchmarks/embedding_noise.py``: fp32 batched this way equals fp32 alone bit for
        bit, while int8 in padded batches moved similarities by up to 0.05.
        """
        session = self.session
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        wanted = {i.name for i in session.get_inputs()}
        enc = self.tokenizer.batch(list(texts))
        lengths = enc["attention_mask"].sum(axis=1).tolist()
        groups: dict[int, list[int]] = {}  # the batch is padded to a multiple of PAD_STEP
        for i, n in enumerate(lengths):
            padded = min(-(-int(n) // PAD_STEP) * PAD_STEP, MAX_LENGTH)
            groups.setdefault(padded, []).append(i)
        size = 1 if self.quantized else max(1, batch_size)
        result = np.empty((len(texts), self.dimension), dtype=np.float32)
        for n in sorted(groups, reverse=True):
            members = groups[n]
            for start in range(0, len(members), size):
                rows = np.asarray(members[start : start + size])
                feed = {k: np.ascontiguousarray(enc[k][rows, :n]) for k in _INPUTS if k in wanted}
                states = session.run(None, feed)[0]
                for row, token_states in zip(rows.tolist(), states):
                    real = int(lengths[row])  # mean over the text's own tokens only
                    pooled = token_states[:real].sum(axis=0) / float(real)
                    norm = float(np.linalg.norm(pooled))
                    result[row] = pooled / max(norm, 1e-12)
        return result
