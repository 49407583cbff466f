"""``newsqa bench``: how fast NewsQA ingests and answers, each figure beside its anchor.

Why anchors: an absolute "12 chunks/s" says little on a shared 2-core machine; the ratio
to the bare library doing the same work (``SentenceTransformer.encode``, Chroma's
``collection.query``, ``bm25s`` retrieve) shows what NewsQA's own layers cost and stays
comparable across machines.

For each size (in chunks) a corpus is generated (``benchmarks.corpus``) into a temporary
home and measured:

a. ingest throughput of ``Assistant.ingest`` (in a child process, model loaded before
   timing) vs bare ``SentenceTransformer.encode`` (batch 32) of the same chunk texts and
   vs NewsQA's own encoder alone, with the seconds per pipeline stage. Sizes above
   ``--throughput-max`` ingest through the on-disk embedding cache instead (embedding
   100k chunks takes most of an hour here) and report no throughput ratio;
b. torch vs ONNX vs ONNX-int8 encode speed on the same chunk texts (a sample, first size
   only), plus hit@5 per backend on the eval set over the five real articles;
c. p50/p95 latency of hybrid retrieval and of a full ``ask`` vs bare Chroma + bm25s with
   the same question embedding, and a cProfile top 10 of ``ask``;
d. peak RSS of the ingest and of a process answering every latency question, and the
   time from process start to its first answer on the existing index.

Results go to ``OUT/bench.json`` and ``OUT/bench.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate
from benchmarks.workers import bench_assistant
from rag.errors import NewsQAError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASET = PROJECT_ROOT / "eval" / "datasets" / "newsqa.jsonl"
BACKENDS = ("torch", "onnx", "onnx-int8")
# A worker's time limit. The 100k ingest embeds every chunk and its sentences when the
# embedding cache is cold: about 100 minutes on 2 cores (benchmarks/README.md), more when the
# machine is shared (README.md, "Speed"); one hour stopped it half-way (2026-12-04). Four
# hours still stops a hang.
WORKER_TIMEOUT_S = 4 * 3600
INGEST_BATCH = 256  # chunks per embedding batch in ``Ingestor`` (its default)
DEFAULT_CACHE = Path.home() / ".cache" / "newsqa" / "bench-embeddings.sqlite"


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


def _questions(n: int, answerable_only: bool = False) -> list[Any]:
    from eval.dataset import load_dataset

    items = load_dataset(DATASET)
    if answerable_only:
        items = [i for i in items if i.answerable]
    return items[:n]


def _worker_env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def _worker(*args: str) -> dict[str, Any]:
    """Run ``benchmarks.workers`` and return its JSON line.

    Raises:
        NewsQAError: the worker failed (its last stderr lines are in the message).
    """
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.workers", *args],
            cwd=PROJECT_ROOT,
            env=_worker_env(),
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        cached = "; the embeddings it made are cached, a rerun goes on" if "--cache" in args else ""
        raise NewsQAError(
            f"benchmark worker {args[0]} took over {WORKER_TIMEOUT_S} s{cached}"
        ) from None
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise NewsQAError(f"benchmark worker {args[0]} failed: {tail}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_ingest(home: Path, corpus: Path, cache: Path | None) -> dict[str, Any]:
    """(a)/(d) ``Assistant.ingest`` in a child process: seconds, stages, peak RSS."""
    args = ["ingest", str(home), str(corpus)]
    if cache is not None:
        args += ["--cache", str(cache)]
    result = _worker(*args)
    result["pipeline_chunks_per_s"] = result["chunks"] / result["seconds"]
    result["cached_embeddings"] = cache is not None
    return result


def bench_ingest_anchors(texts: Sequence[str], backend: str) -> dict[str, Any]:
    """(a) the anchors: bare ``SentenceTransformer.encode`` and NewsQA's encoder alone."""
    from sentence_transformers import SentenceTransformer

    from vectorstore.embeddings import Embedder, bundled_model_path

    model = SentenceTransformer(str(bundled_model_path()), device="cpu", local_files_only=True)
    model.encode(["warm up"])
    _, bare = _timed(
        lambda: model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
    )
    own = Embedder(backend=backend)
    own.encode(["warm up"])
    # In slices the size of the ingest's batches, so that both pad alike.
    slices = [list(texts[i : i + INGEST_BATCH]) for i in range(0, len(texts), INGEST_BATCH)]
    _, own_s = _timed(lambda: [own.encode(part) for part in slices])
    return {
        "texts": len(texts),
        "bare_st_encode_s": bare,
        "bare_chunks_per_s": len(texts) / bare,
        "own_encode_s": own_s,
        "own_chunks_per_s": len(texts) / own_s,
        "own_backend": backend,
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
        assistant = bench_assistant(work / f"eval-{backend}", backend)
        assistant.ingest([assistant.settings.articles_dir])
        run = run_eval(assistant, items, {"retriever": "hybrid"})
        dense = run_eval(assistant, items, {"retriever": "dense"})
        out[backend] = {
            "hybrid_hit_at_5": run["metrics"]["hit_at_k"][5],
            "dense_hit_at_5": dense["metrics"]["hit_at_k"][5],
        }
    return out


def bench_queries(assistant: Any, items: Sequence[Any], unstored: Any) -> dict[str, Any]:
    """(c) hybrid retrieval and ``ask`` latency vs bare Chroma + bm25s (same embedding).

    Each ``ask`` starts with the embedding LRU cleared, so it pays for the question and
    every candidate sentence not stored at ingest, as a first question would. ``unstored``
    is an assistant on the same index that embeds every candidate sentence when asked
    (``sentence_vectors`` off): its ``ask`` is timed beside, and its answers must be the
    same. The real articles are in every corpus, so hit@5 and answer accuracy of these
    questions are checked at every size.
    """
    from eval.metrics import is_correct
    from vectorstore.bm25_index import tokenize

    k = assistant.settings.k
    chain = assistant.chain()
    index = assistant.index
    index.ensure_bm25()
    assistant.ask("Who won the election?")  # warm code paths, not these questions
    collection = index.store.collection
    # The anchor is bm25s itself on the saved index (NewsQA searches it with numpy alone).
    import bm25s

    bm25 = bm25s.BM25.load(str(index.bm25.path), mmap=True, show_progress=False)
    depth = 3 * k
    unstored.ask("Who won the election?")
    rows: dict[str, list[float]] = {
        "embed": [], "chroma": [], "bm25s": [], "hybrid": [], "ask": [], "ask_unstored": [],
    }  # fmt: skip
    hits: list[bool] = []
    correct: list[bool] = []
    differ = 0
    for item in items:
        q = item.question
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
        passages, t = _timed(chain.retriever.retrieve, q, k)
        rows["hybrid"].append(t)
        if item.answerable:
            hits.append(any(p.doc_id in item.sources for p in passages[:5]))
        assistant.embedder.clear_cache()
        answer, t = _timed(assistant.ask, q)
        rows["ask"].append(t)
        unstored.embedder.clear_cache()
        plain, t = _timed(unstored.ask, q)
        rows["ask_unstored"].append(t)
        differ += (plain.text, plain.short) != (answer.text, answer.short)
        record = {
            "answerable": item.answerable,
            "abstained": answer.abstained,
            "answer": answer.text,
            "answers": list(item.answers),
        }
        correct.append(is_correct(record))
    bare = [a + b + c for a, b, c in zip(rows["embed"], rows["chroma"], rows["bm25s"])]
    rows["bare_sum"] = bare
    stats = {
        name: {"p50_ms": 1000 * percentile(v, 50), "p95_ms": 1000 * percentile(v, 95)}
        for name, v in rows.items()
    }
    stats["questions"] = {
        "n": len(items),
        "hit_at_5": sum(hits) / max(1, len(hits)),
        "accuracy": sum(correct) / max(1, len(correct)),
        "answers_differ_unstored": differ,
    }
    stats["hybrid_ratio_p50"] = {"value": stats["hybrid"]["p50_ms"] / stats["bare_sum"]["p50_ms"]}
    stats["ask_ratio_p50"] = {"value": stats["ask"]["p50_ms"] / stats["bare_sum"]["p50_ms"]}
    return stats


def profile_ask(assistant: Any, questions: Sequence[str], top: int = 10) -> str:
    """cProfile top functions (cumulative time) over a few ``ask`` calls.

    The embedding LRU is cleared before each question, so the profile shows cold
    questions (as users ask them), not sentence vectors cached by the latency loop.
    """
    profiler = cProfile.Profile()
    for q in questions:
        assistant.embedder.clear_cache()
        profiler.enable()
        assistant.ask(q)
        profiler.disable()
    buffer = io.StringIO()
    # Only NewsQA's own functions: LangChain's runnable wrappers would fill the top 10.
    stats = pstats.Stats(profiler, stream=buffer).sort_stats("cumulative")
    stats.print_stats(r"(rag|vectorstore)/", top)
    lines = [ln for ln in buffer.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
    return "\n".join(line.replace(str(PROJECT_ROOT) + "/", "") for line in lines[start:])


def first_answer(home: Path, questions: Sequence[str], work: Path) -> dict[str, float]:
    """(d) seconds from process start to the first answer, and that process's peak RSS
    over all the latency questions (``benchmarks.workers answer``)."""
    qfile = work / "questions.json"
    qfile.write_text(json.dumps(list(questions)))
    errors = work / "answer.stderr"
    start = time.perf_counter()
    with errors.open("w") as err_file:
        # stderr goes to a file: a chatty child can then never block on a full pipe.
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.workers", "answer", str(home), str(qfile)],
            cwd=PROJECT_ROOT,
            env=_worker_env(),
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        seconds = time.perf_counter() - start
        try:
            rest, _ = proc.communicate(timeout=WORKER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise NewsQAError("benchmark worker answer timed out") from None
    if proc.returncode != 0 or line.strip() != "first":
        tail = " | ".join(errors.read_text().strip().splitlines()[-3:])
        raise NewsQAError(f"benchmark worker answer failed: {tail}")
    result = json.loads(rest.strip().splitlines()[-1])
    return {"seconds": seconds, **result}


def run_size(size: int, work: Path, args: argparse.Namespace, first: bool) -> dict[str, Any]:
    """Every measurement for one corpus size, in its own temporary home."""
    corpus_info = generate(work / "corpus", size, seed=args.seed)
    home = work / "home"
    measure_rate = size <= args.throughput_max
    cache = None if measure_rate else Path(args.embedding_cache).expanduser()
    ingest = bench_ingest(home, work / "corpus", cache)
    assistant = bench_assistant(home)
    texts = [text for _, text, _ in assistant.index.store.iter_all()]
    if measure_rate:
        ingest["anchors"] = bench_ingest_anchors(texts, ingest["backend"])
    backends = bench_backends(texts, args.encode_sample) if first else None
    items = _questions(args.questions)
    questions = [i.question for i in items]
    queries = bench_queries(assistant, items, bench_assistant(home, sentence_vectors=False))
    profile = profile_ask(assistant, questions[:5])
    answering = first_answer(home, questions, work)
    return {
        "size": size,
        "corpus": corpus_info,
        "ingest": ingest,
        "backends": backends,
        "queries": queries,
        "first_answer": answering,
        "profile": profile,
    }


def _ingest_rows(i: dict[str, Any]) -> list[str]:
    what = f"{i['chunks']} chunks, {i['articles']} articles, {i['backend']}"
    rate = i["pipeline_chunks_per_s"]
    stages = f"total {i['timings']['total']:.1f}: " + ", ".join(
        f"{k} {v:.1f}"
        for k, v in sorted(i["timings"].items(), key=lambda kv: -kv[1])
        if k != "total"
    )
    if "anchors" not in i:
        label = (
            "cached embeddings" if not i["cache_misses"] else f"{i['cache_misses']} texts embedded"
        )
        return [
            f"| ingest with {label}, chunks/s ({what}) | {rate:.1f} | - | - |",
            f"| ingest stages, s | {stages} | - | - |",
            f"| peak RSS while ingesting, MB | {i['peak_rss_mb']:.0f} "
            f"| RSS before ingest: {i['rss_before_mb']:.0f} | - |",
        ]
    a = i["anchors"]
    return [
        f"| ingest, chunks/s ({what}) | {rate:.1f} | bare ST encode (torch) b32: "
        f"{a['bare_chunks_per_s']:.1f} | {rate / a['bare_chunks_per_s']:.2f} |",
        f"| ingest, chunks/s | {rate:.1f} | NewsQA's encoder alone ({a['own_backend']}): "
        f"{a['own_chunks_per_s']:.1f} | {rate / a['own_chunks_per_s']:.2f} |",
        f"| ingest stages, s | {stages} | - | - |",
        f"| peak RSS while ingesting, MB | {i['peak_rss_mb']:.0f} "
        f"| RSS before ingest: {i['rss_before_mb']:.0f} | - |",
    ]


def format_table(result: dict[str, Any]) -> str:
    """One markdown table per size: NewsQA figure | anchor | ratio."""
    q, f, b = result["queries"], result["first_answer"], result["backends"]
    rows = ["| measure | NewsQA | anchor | ratio |", "|---|---|---|---|"]
    rows += _ingest_rows(result["ingest"])
    for backend in ("onnx", "onnx-int8") if b else ():
        rows.append(
            f"| encode {backend}, chunks/s ({b['texts']} chunks) "
            f"| {b[backend]['chunks_per_s']:.1f} | torch: {b['torch']['chunks_per_s']:.1f} "
            f"| {b[backend]['speedup']:.2f}x |"
        )
    for name, label in (("hybrid", "hybrid retrieve"), ("ask", "full ask")):
        for p in ("p50_ms", "p95_ms"):
            rows.append(
                f"| {label} {p[:3]}, ms | {q[name][p]:.1f} | embed+chroma+bm25s: "
                f"{q['bare_sum'][p]:.1f} | {q[name][p] / q['bare_sum'][p]:.2f} |"
            )
    if "ask_unstored" in q:
        u = q["ask_unstored"]
        rows.append(
            f"| full ask p50 / p95, ms | {q['ask']['p50_ms']:.1f} / {q['ask']['p95_ms']:.1f} "
            f"| sentences embedded when asked: {u['p50_ms']:.1f} / {u['p95_ms']:.1f} "
            f"| {q['ask']['p50_ms'] / u['p50_ms']:.2f} / {q['ask']['p95_ms'] / u['p95_ms']:.2f} |"
        )
        rows.append(
            f"| answers that differ with sentences embedded when asked "
            f"| {q['questions']['answers_differ_unstored']} of {q['questions']['n']} | - | - |"
        )
    rows.append(
        f"| bare parts p50, ms | - | embed {q['embed']['p50_ms']:.1f}, chroma "
        f"{q['chroma']['p50_ms']:.1f}, bm25s {q['bm25s']['p50_ms']:.2f} | - |"
    )
    n = q["questions"]
    rows.append(
        f"| {n['n']} questions on the real articles: hit@5 / accuracy "
        f"| {n['hit_at_5']:.3f} / {n['accuracy']:.3f} | - | - |"
    )
    rows.append(f"| start to first answer, s | {f['seconds']:.1f} | - | - |")
    rows.append(
        f"| peak RSS answering {f['questions']} questions, MB | {f['peak_rss_mb']:.0f} | - | - |"
    )
    return "\n".join(rows)


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


def format_summary(payload: dict[str, Any]) -> str:
    """One row per size: the headline figures and their ratios to the anchors."""
    rows = [
        "| chunks | ingest chunks/s (vs bare ST encode / vs own encoder) "
        "| hybrid p50 / p95 ms (vs bare) | ask p50 / p95 ms | first answer s "
        "| peak RSS ingest / answering MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in payload["sizes"]:
        i, q, f = r["ingest"], r["queries"], r["first_answer"]
        rate = f"{i['pipeline_chunks_per_s']:.1f}"
        if "anchors" in i:
            a = i["anchors"]
            rate += (
                f" ({rate_ratio(i, a['bare_chunks_per_s']):.2f} / "
                f"{rate_ratio(i, a['own_chunks_per_s']):.2f})"
            )
        elif not i["cache_misses"]:
            rate += " (cached embeddings)"
        else:
            rate += f" ({i['cache_misses']} texts embedded, rest cached)"
        rows.append(
            f"| {i['chunks']} | {rate} | {q['hybrid']['p50_ms']:.0f} / {q['hybrid']['p95_ms']:.0f}"
            f" ({q['hybrid']['p50_ms'] / q['bare_sum']['p50_ms']:.2f}x / "
            f"{q['hybrid']['p95_ms'] / q['bare_sum']['p95_ms']:.2f}x) "
            f"| {q['ask']['p50_ms']:.0f} / {q['ask']['p95_ms']:.0f} | {f['seconds']:.1f} "
            f"| {i['peak_rss_mb']:.0f} / {f['peak_rss_mb']:.0f} |"
        )
    return "\n".join(rows)


def rate_ratio(ingest: dict[str, Any], anchor_rate: float) -> float:
    return float(ingest["pipeline_chunks_per_s"]) / anchor_rate


def write_outputs(out: Path, payload: dict[str, Any]) -> str:
    """Write ``bench.json`` and ``bench.md``; returns the markdown."""
    parts = [f"# NewsQA benchmark\n\n{payload['machine']}\n"]
    if payload.get("total_s"):
        parts.append(f"Whole run: {payload['total_s'] / 60:.1f} minutes.\n")
    parts.append(format_summary(payload) + "\n")
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
    """The options of ``newsqa bench`` (one definition: ``rag.cli_options.add_bench_arguments``)."""
    from rag.cli_options import add_bench_arguments

    parser = argparse.ArgumentParser(prog="newsqa bench", description=__doc__.splitlines()[0])
    add_bench_arguments(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from command-line arguments; returns the exit code."""
    return run(parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Run the benchmark with parsed options (``newsqa bench`` calls this)."""
    if not args.embedding_cache:
        args.embedding_cache = str(DEFAULT_CACHE)
    from vectorstore.embeddings import set_offline

    set_offline()
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    payload: dict[str, Any] = {"machine": machine, "sizes": [], "hits": None}
    out = Path(args.out) if args.out else PROJECT_ROOT / "reports" / "bench"
    started = time.perf_counter()
    for n, size in enumerate(sizes):
        work = Path(tempfile.mkdtemp(prefix=f"newsqa-bench-{size}-"))
        try:
            payload["sizes"].append(run_size(size, work, args, first=n == 0))
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        print(f"size {size} done after {time.perf_counter() - started:.0f} s", flush=True)
    if not args.no_hits:
        work = Path(tempfile.mkdtemp(prefix="newsqa-bench-hits-"))
        try:
            payload["hits"] = bench_hit_at_5(work, args.eval_questions)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    payload["total_s"] = time.perf_counter() - started
    md = write_outputs(out, payload)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
