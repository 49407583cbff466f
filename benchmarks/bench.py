"""``newsqa bench``: how fast NewsQA ingests and answers, each figure beside its anchor.

Why anchors: an absolute "12 chunks/s" says little on a shared 2-core machine; the ratio
to the bare library doing the same work (``SentenceTransformer.encode``, Chroma's
``collection.query``, ``bm25s`` retrieve) shows what NewsQA's own layers cost and stays
comparable across machines.

For each size (in chunks) a corpus is generated (``benchmarks.corpus``) into a temporary
home and measured:

a. ingest throughput of ``Assistant.ingest`` vs bare encode (batch 32) of the same chunks;
b. torch vs ONNX vs ONNX-int8 encode speed on the same chunk texts (a sample), plus hit@5
   per backend on the eval set over the five real articles (via ``eval.runner.run_eval``);
c. p50/p95 latency of hybrid retrieval and of a full ``ask`` vs bare Chroma + bm25s with
   the same question embedding;
d. peak RSS, and time from process start to the first answer on the existing index
   (a fresh ``python -c`` subprocess);
plus a cProfile top 10 of ``ask``. Results go to ``OUT/bench.json`` and ``OUT/bench.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASET = PROJECT_ROOT / "eval" / "datasets" / "newsqa.jsonl"
BACKENDS = ("torch", "onnx", "onnx-int8")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); enough for 20-30 samples."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100.0 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``fn(*args, **kwargs)`` and its wall time in seconds."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def _assistant(home: Path, backend: str = "torch") -> Any:
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings.load(
        home=home, environ={}, bundled_on_first_use=False, embedding_backend=backend
    )
    return Assistant(settings)


def _questions(n: int, answerable_only: bool = False) -> list[Any]:
    from eval.dataset import load_dataset

    items = load_dataset(DATASET)
    if answerable_only:
        items = [i for i in items if i.answerable]
    return items[:n]


def bench_ingest(assistant: Any, corpus: Path) -> dict[str, Any]:
    """(a) whole-pipeline chunks/s vs bare ``SentenceTransformer.encode`` on the same texts.

    The model is loaded before timing so that neither side carries the load.
    """
    assistant.embedder.count_tokens("warm up")
    report, seconds = _timed(lambda: assistant.ingest([corpus]))
    texts = [text for _, text, _ in assistant.index.store.iter_all()]
    model = assistant.embedder.model
    _, bare = _timed(
        lambda: model.encode(
            texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
    )
    chunks = int(report.chunks_added)
    pipeline_rate = chunks / seconds
    bare_rate = len(texts) / bare
    return {
        "articles": report.added,
        "chunks": chunks,
        "errors": len(report.errors),
        "ingest_s": seconds,
        "bare_encode_s": bare,
        "pipeline_chunks_per_s": pipeline_rate,
        "bare_chunks_per_s": bare_rate,
        "ratio": pipeline_rate / bare_rate,
        "texts": texts,
    }


def bench_backends(texts: Sequence[str], sample: int) -> dict[str, Any]:
    """(b) encode speed of each backend on the same chunk texts (warm, model loaded)."""
    from vectorstore.embeddings import Embedder

    chosen = list(texts[:sample])
    out: dict[str, Any] = {"texts": len(chosen)}
    for backend in BACKENDS:
        embedder = Embedder(backend=backend)
        _, load_s = _timed(embedder.encode, ["warm up"])
        _, seconds = _timed(embedder.encode, chosen)
        out[backend] = {"chunks_per_s": len(chosen) / seconds, "load_s": load_s}
    base = out["torch"]["chunks_per_s"]
    for backend in BACKENDS:
        out[backend]["speedup"] = out[backend]["chunks_per_s"] / base
    return out


def bench_hit_at_5(work: Path, n_questions: int) -> dict[str, Any]:
    """(b) hit@5 per backend on the five real articles, through ``eval.runner.run_eval``."""
    from eval.runner import run_eval

    items = _questions(n_questions)
    out: dict[str, Any] = {"questions": len(items)}
    for backend in BACKENDS:
        assistant = _assistant(work / f"eval-{backend}", backend)
        assistant.ingest([assistant.settings.articles_dir])
        run = run_eval(assistant, items, {"retriever": "hybrid"})
        dense = run_eval(assistant, items, {"retriever": "dense"})
        out[backend] = {
            "hybrid_hit_at_5": run["metrics"]["hit_at_k"][5],
            "dense_hit_at_5": dense["metrics"]["hit_at_k"][5],
        }
    return out


def bench_queries(assistant: Any, questions: Sequence[str]) -> dict[str, Any]:
    """(c) hybrid retrieval and ``ask`` latency vs bare Chroma + bm25s (same embedding)."""
    from vectorstore.bm25_index import tokenize

    k = assistant.settings.k
    chain = assistant.chain()
    index = assistant.index
    index.ensure_bm25()
    assistant.ask(questions[0])  # warm caches (dateparser, answerer)
    collection = index.store.collection
    bm25 = index.bm25._model
    depth = 3 * k
    rows: dict[str, list[float]] = {"embed": [], "chroma": [], "bm25s": [], "hybrid": [], "ask": []}
    for q in questions:
        # The bare anchor: a plain encode, not the assistant's cached embed_query.
        vector, t = _timed(lambda text: assistant.embedder.encode([text])[0].tolist(), q)
        rows["embed"].append(t)
        _, t = _timed(collection.query, query_embeddings=[vector], n_results=depth)
        rows["chroma"].append(t)
        tokens = [w for w in tokenize(q) if w in bm25.vocab_dict]
        if tokens:
            _, t = _timed(bm25.retrieve, [tokens], k=depth, show_progress=False, n_threads=1)
        else:
            t = 0.0
        rows["bm25s"].append(t)
        _, t = _timed(chain.retriever.retrieve, q, k)
        rows["hybrid"].append(t)
        _, t = _timed(assistant.ask, q)
        rows["ask"].append(t)
    bare = [a + b + c for a, b, c in zip(rows["embed"], rows["chroma"], rows["bm25s"])]
    rows["bare_sum"] = bare
    stats = {
        name: {"p50_ms": 1000 * percentile(v, 50), "p95_ms": 1000 * percentile(v, 95)}
        for name, v in rows.items()
    }
    stats["questions"] = {"n": len(questions)}
    stats["hybrid_ratio_p50"] = {"value": stats["hybrid"]["p50_ms"] / stats["bare_sum"]["p50_ms"]}
    stats["ask_ratio_p50"] = {"value": stats["ask"]["p50_ms"] / stats["bare_sum"]["p50_ms"]}
    return stats


def profile_ask(assistant: Any, questions: Sequence[str], top: int = 10) -> str:
    """cProfile top functions (cumulative time) over a few ``ask`` calls."""
    profiler = cProfile.Profile()
    profiler.enable()
    for q in questions:
        assistant.ask(q)
    profiler.disable()
    buffer = io.StringIO()
    # Only NewsQA's own functions: LangChain's runnable wrappers would fill the top 10.
    stats = pstats.Stats(profiler, stream=buffer).sort_stats("cumulative")
    stats.print_stats(r"(rag|vectorstore)/", top)
    lines = [ln for ln in buffer.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
    return "\n".join(line.replace(str(PROJECT_ROOT) + "/", "") for line in lines[start:])


def time_to_first_answer(home: Path) -> dict[str, float]:
    """(d) seconds from ``subprocess`` start to the first answer, and the child's peak RSS."""
    code = (
        "import re\n"
        "from rag.assistant import Assistant\n"
        "from rag.settings import Settings\n"
        f"s = Settings.load(home={str(home)!r}, environ={{}}, bundled_on_first_use=False)\n"
        "a = Assistant(s).ask('Who is Mao Ning?')\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent.
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
        "print(hwm.group(1) if hwm else 0, a.abstained)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    rss_kb = int(done.stdout.split()[0])
    return {"seconds": seconds, "child_peak_rss_mb": rss_kb / 1024}


def run_size(size: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement for one corpus size, in its own temporary home."""
    corpus_info = generate(work / "corpus", size, seed=args.seed)
    assistant = _assistant(work / "home")
    ingest = bench_ingest(assistant, work / "corpus")
    texts = ingest.pop("texts")
    backends = bench_backends(texts, args.encode_sample)
    questions = [i.question for i in _questions(args.questions)]
    queries = bench_queries(assistant, questions)
    profile = profile_ask(assistant, questions[:5])
    first = time_to_first_answer(work / "home")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size,
        "corpus": corpus_info,
        "ingest": ingest,
        "backends": backends,
        "queries": queries,
        "bench_peak_rss_mb": rss_mb,
        "first_answer": first,
        "profile": profile,
    }


def format_table(result: dict[str, Any]) -> str:
    """One markdown table per size: NewsQA figure | anchor | ratio."""
    i, b, q = result["ingest"], result["backends"], result["queries"]
    f = result["first_answer"]
    rows = [
        ("| measure | NewsQA | anchor | ratio |", ""),
        ("|---|---|---|---|", ""),
        (
            f"| ingest, chunks/s ({i['chunks']} chunks, {i['articles']} articles) "
            f"| {i['pipeline_chunks_per_s']:.1f} | bare ST encode b32: "
            f"{i['bare_chunks_per_s']:.1f} | {i['ratio']:.2f} |",
            "",
        ),
    ]
    for backend in ("onnx", "onnx-int8"):
        rows.append(
            (
                f"| encode {backend}, chunks/s ({b['texts']} chunks) "
                f"| {b[backend]['chunks_per_s']:.1f} | torch: {b['torch']['chunks_per_s']:.1f} "
                f"| {b[backend]['speedup']:.2f}x |",
                "",
            )
        )
    for name, label in (("hybrid", "hybrid retrieve"), ("ask", "full ask")):
        for p in ("p50_ms", "p95_ms"):
            rows.append(
                (
                    f"| {label} {p[:3]}, ms | {q[name][p]:.1f} | embed+chroma+bm25s: "
                    f"{q['bare_sum'][p]:.1f} | {q[name][p] / q['bare_sum'][p]:.2f} |",
                    "",
                )
            )
    rows.append(
        (
            f"| bare parts p50, ms | - | embed {q['embed']['p50_ms']:.1f}, chroma "
            f"{q['chroma']['p50_ms']:.1f}, bm25s {q['bm25s']['p50_ms']:.2f} | - |",
            "",
        )
    )
    rows.append(
        (
            f"| start to first answer, s | {f['seconds']:.1f} | - | - |\n"
            f"| peak RSS first-answer process, MB | {f['child_peak_rss_mb']:.0f} | - | - |\n"
            f"| peak RSS bench process, MB | {result['bench_peak_rss_mb']:.0f} | - | - |",
            "",
        )
    )
    return "\n".join(r for r, _ in rows)


def format_hits(hits: dict[str, Any]) -> str:
    lines = [
        f"hit@5 on the 5 real articles ({hits['questions']} questions)",
        "",
        "| backend | hybrid hit@5 | dense hit@5 |",
        "|---|---|---|",
    ]
    for backend in BACKENDS:
        h = hits[backend]
        lines.append(f"| {backend} | {h['hybrid_hit_at_5']:.3f} | {h['dense_hit_at_5']:.3f} |")
    return "\n".join(lines)


def write_outputs(out: Path, payload: dict[str, Any]) -> str:
    """Write ``bench.json`` and ``bench.md``; returns the markdown."""
    parts = [f"# NewsQA benchmark\n\n{payload['machine']}\n"]
    for result in payload["sizes"]:
        parts.append(f"## {result['size']} chunks\n\n{format_table(result)}\n")
        parts.append(f"Profile of `ask` (cumulative, top 10):\n\n```\n{result['profile']}\n```\n")
    if payload.get("hits"):
        parts.append(format_hits(payload["hits"]) + "\n")
    md = "\n".join(parts)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(payload, indent=2))
    (out / "bench.md").write_text(md)
    return md


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="newsqa bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="chunk counts, comma-separated"
    )
    parser.add_argument("--out", default=str(PROJECT_ROOT / "reports" / "bench"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--questions", type=int, default=25, help="latency questions")
    parser.add_argument("--eval-questions", type=int, default=30, help="hit@5 questions")
    parser.add_argument("--encode-sample", type=int, default=256, help="chunks per backend")
    parser.add_argument("--no-hits", action="store_true", help="skip hit@5 per backend")
    parser.add_argument("--keep", action="store_true", help="keep the temporary homes")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit code."""
    args = parse_args(argv)
    from vectorstore.embeddings import set_offline

    set_offline()
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    payload: dict[str, Any] = {"machine": machine, "sizes": [], "hits": None}
    out = Path(args.out)
    for size in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"newsqa-bench-{size}-"))
        try:
            payload["sizes"].append(run_size(size, work, args))
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    if not args.no_hits:
        work = Path(tempfile.mkdtemp(prefix="newsqa-bench-hits-"))
        try:
            payload["hits"] = bench_hit_at_5(work, args.eval_questions)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    md = write_outputs(out, payload)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
