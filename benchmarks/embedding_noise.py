"""How much do embedding vectors move with things that are not the text?

Why: an answer must be a function of the index, the question, ``as_of`` and the settings,
not of the machine or of what was embedded before. Vectors move with the backend (int8 or
fp32), with what a text is batched with (padding; int8's per-batch activation scale), with
the thread count and with graph optimisations (a different CPU runs different kernels: the
closest variation one machine can show). This measures each against one reference (the
fp32 ONNX model, each text encoded alone) on the sample articles' chunks and sentences, and
reports the largest coordinate difference, the largest 1 - cosine and the largest change of
a question-sentence similarity (what the retrievers and the answerer compare).

    python -m benchmarks.embedding_noise --out benchmarks/results/embedding-noise.md

The figure the noise test uses (``tests/test_determinism.py``) is ten times the largest fp32 row.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.reports import write_report

ROOT = Path(__file__).resolve().parent.parent


def sample_texts(limit: int = 400) -> tuple[list[str], list[str]]:
    """(questions, passages): the project questions and the sample articles' sentences and
    paragraphs, a mix of short and long texts."""
    questions = [
        json.loads(line)["question"]
        for name in ("dev.jsonl", "newsqa.jsonl")
        for line in (ROOT / "eval" / "datasets" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts: list[str] = []
    for path in sorted((ROOT / "data" / "articles").glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        for para in body.split("\n\n"):
            para = para.strip()
            if len(para.split()) >= 4:
                texts.append(para[:1500])
            texts.extend(s for s in re.split(r"(?<=[.!?])\s+", para) if len(s.split()) >= 4)
    return questions[:60], list(dict.fromkeys(texts))[:limit]


def encoder(quantized: bool, threads: int = 2, optimize: bool = True) -> Any:
    """A raw ``OnnxEncoder`` with the given session settings (no NewsQA caches)."""
    from vectorstore.embeddings import bundled_model_path, set_offline
    from vectorstore.onnx_backend import OnnxEncoder

    set_offline()
    enc = OnnxEncoder(bundled_model_path(), quantized=quantized, threads=threads)
    if not optimize:
        import onnxruntime as ort

        from vectorstore.onnx_backend import ensure_exported

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        path = ensure_exported(enc.model_path, quantized)
        from vectorstore.onnx_backend import MAX_LENGTH
        from vectorstore.tokenizer import WordPieceTokenizer

        enc._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        enc._tokenizer = WordPieceTokenizer(enc.model_path, MAX_LENGTH)
    return enc


def padded(enc: Any, texts: list[str], batch_size: int = 32) -> np.ndarray:
    """The old way: texts sorted by length and padded in batches of ``batch_size``."""
    from vectorstore.onnx_backend import _INPUTS

    order = np.argsort([-len(t) for t in texts], kind="stable")
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        idx = order[start : start + batch_size]
        enc_batch = enc.tokenizer.batch([texts[int(i)] for i in idx])
        feed = {k: enc_batch[k] for k in _INPUTS}
        states = enc.session.run(None, feed)[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (states * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return out


def alone(enc: Any, texts: list[str]) -> np.ndarray:
    """The shipped encoder, one text per call."""
    return np.vstack([enc.encode([t]) for t in texts])


def torch_vectors(texts: list[str]) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    from vectorstore.embeddings import bundled_model_path

    model = SentenceTransformer(str(bundled_model_path()), device="cpu", local_files_only=True)
    return np.asarray(model.encode(texts, batch_size=32, normalize_embeddings=True))


def compare(ref: np.ndarray, other: np.ndarray, queries: slice) -> dict[str, float]:
    """Largest coordinate difference, 1 - cosine and question-passage similarity change."""
    cos = np.sum(ref * other, axis=1) / (
        np.linalg.norm(ref, axis=1) * np.linalg.norm(other, axis=1)
    )
    q_ref, q_other = ref[queries], other[queries]
    rest = slice(queries.stop, None)
    sims_ref = ref[rest] @ q_ref.T
    sims_other = other[rest] @ q_other.T
    return {
        "max_coord": float(np.max(np.abs(ref - other))),
        "max_1_minus_cos": float(np.max(1.0 - cos)),
        "max_sim_change": float(np.max(np.abs(sims_ref - sims_other))),
    }


def timed(fn: Callable[[], np.ndarray]) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def run(with_torch: bool = True) -> dict[str, Any]:
    questions, passages = sample_texts()
    texts = questions + passages
    qs = slice(0, len(questions))
    fp32, int8 = encoder(False), encoder(True)
    ref, t_ref = timed(lambda: alone(fp32, texts))
    rows: dict[str, dict[str, float]] = {}
    variants: dict[str, Callable[[], np.ndarray]] = {
        "fp32 as shipped, all texts in one call": lambda: fp32.encode(texts),
        "fp32, 1 thread": lambda: encoder(False, threads=1).encode(texts),
        "fp32, graph optimisations off": lambda: encoder(False, optimize=False).encode(texts),
        "fp32, padded batches of 32 (before)": lambda: padded(fp32, texts),
        "int8 as shipped (each text alone)": lambda: int8.encode(texts),
        "int8, padded batches of 32 (before)": lambda: padded(int8, texts),
    }
    if with_torch:
        variants["PyTorch fp32 (sentence-transformers)"] = lambda: torch_vectors(texts)
    seconds = {"fp32 as shipped, each text alone": t_ref}
    for name, fn in variants.items():
        vectors, took = timed(fn)
        rows[name] = compare(ref, vectors, qs)
        seconds[name] = took
    rows["int8 alone vs int8 padded (the batch dependence before)"] = compare(
        int8.encode(texts), padded(int8, texts), qs
    )
    return {
        "texts": len(texts),
        "questions": len(questions),
        "cpu": _cpu(),
        "rows": rows,
        "seconds": seconds,
    }


def _cpu() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    model = re.search(r"model name\s*:\s*(.*)", info)
    flags = sorted(set(re.findall(r"\b(avx512[a-z_]*|avx2|avx_vnni)\b", info)))
    return f"{model.group(1) if model else '?'}; {' '.join(flags)}"


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "# Embedding noise",
        "",
        f"{result['texts']} texts ({result['questions']} questions, the rest sample-article "
        f"sentences and paragraphs); CPU: {result['cpu']}.",
        "Reference: the fp32 ONNX model as shipped, each text encoded alone.",
        "",
        "| variant | max coordinate diff | max 1 - cosine "
        "| max question-passage similarity change | seconds |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in result["rows"].items():
        took = result["seconds"].get(name)
        lines.append(
            f"| {name} | {row['max_coord']:.2e} | {row['max_1_minus_cos']:.2e} "
            f"| {row['max_sim_change']:.2e} | {'' if took is None else f'{took:.1f}'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the markdown table (and .json) here")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch row")
    args = parser.parse_args(argv)
    result = run(with_torch=not args.no_torch)
    text = markdown(result)
    print(text)
    if args.out:
        write_report(args.out, text, result)


if __name__ == "__main__":
    main()
