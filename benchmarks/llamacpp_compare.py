"""NewsQA's ``LlamaCppChat`` next to langchain-community's ``ChatLlamaCpp``, on one GGUF.

Why: ``docs/llm.md`` keeps NewsQA's own llama.cpp chat model only with a measured reason.
Both run the bundled SmolLM2-135M through the same ``LLMAnswerer`` (same prompt, same
checks) and are compared on: building the model (does it load weights?), the first
streamed answer (first token, total, text), the same answer again, ``answer`` with a
1 s ``llm_timeout``, two threads streaming from one model at once, and what importing
each costs. langchain-community is not a NewsQA dependency; install it beside, e.g.::

    pip install --target /tmp/lc-extra --no-deps langchain-community langchain-classic \\
        langchain-text-splitters SQLAlchemy httpx-sse dataclasses-json marshmallow \\
        typing-inspect mypy-extensions
    PYTHONPATH=/tmp/lc-extra python -m benchmarks.llamacpp_compare [--which both|own|community]

Each model runs in its own child process (``--which own`` / ``community``), so one's
loaded weights and imports do not colour the other's figures; the parent prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

QUESTION = "How did Kim Jong-un travel to Beijing?"


def _passages() -> list[Any]:
    from rag.types import Passage

    return [
        Passage(
            chunk_id="kim-0",
            doc_id="kim",
            text=(
                "North Korean leader Kim Jong-un arrived in Beijing by train on Tuesday. "
                "It is his first visit to China in six years and eight months. "
                "He will attend a military parade marking the end of World War Two."
            ),
            score=0.9,
            title="Kim arrives in Beijing",
            outlet="Yonhap",
            published=dt.date(2025, 9, 2),
        )
    ]


def _own(timeout: float | None) -> Any:
    from rag.answer.backends import SEED, LlamaCppChat, default_gguf

    return LlamaCppChat(model_path=str(default_gguf()), seed=SEED, timeout=timeout)


def _community(timeout: float | None) -> Any:
    # The settings that make it comparable: greedy, same seed, context, threads and
    # length; verbose off (its default prints llama.cpp's load log); NewsQA's batch size
    # (its default n_batch=8 reads a prompt 8 tokens at a time); no repeat penalty
    # (``create_chat_completion``'s default, which NewsQA keeps). It has no timeout.
    from langchain_community.chat_models import ChatLlamaCpp

    from rag.answer.backends import SEED, default_gguf

    return ChatLlamaCpp(
        model_path=str(default_gguf()),
        n_ctx=2048,
        n_threads=2,
        n_batch=512,
        temperature=0.0,
        seed=SEED,
        max_tokens=160,
        repeat_penalty=1.0,
        verbose=False,
    )


def _timed_stream(answerer: Any) -> dict[str, Any]:
    start = time.perf_counter()
    first = None
    pieces: list[str] = []
    final = None
    for piece in answerer.stream(QUESTION, _passages()):
        if isinstance(piece, str):
            first = first or time.perf_counter()
            pieces.append(piece)
        else:
            final = piece
    end = time.perf_counter()
    return {
        "first_token_s": (first - start) if first else None,
        "total_s": end - start,
        "pieces": len(pieces),
        "text": "".join(pieces),
        "fallback_reason": getattr(final, "fallback_reason", None),
    }


def measure(
    which: str, report: Callable[[dict[str, Any]], None] = lambda _: None
) -> dict[str, Any]:
    """Every figure for one chat model, in this process; ``report`` gets the figures so
    far before the concurrency check (which may crash the process)."""
    t0 = time.perf_counter()
    if which == "community":
        import langchain_community.chat_models  # noqa: F401
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.answer.llm import LLMAnswerer
    from vectorstore.embeddings import Embedder

    imported = time.perf_counter() - t0
    make: Callable[[float | None], Any] = _community if which == "community" else _own
    t1 = time.perf_counter()
    model = make(None)
    built = time.perf_counter() - t1
    loaded_at_build = which == "community"  # ChatLlamaCpp's validator loads the weights
    fallback = ExtractiveAnswerer(Embedder())
    answerer = LLMAnswerer(lambda: model, fallback=fallback)
    cold = _timed_stream(answerer)
    warm = _timed_stream(answerer)
    # ``answer`` (invoke) with a 1 s limit: the own model stops between tokens; the
    # community one can only be stopped by the answerer's stream check, not in invoke.
    slow = make(1.0) if which == "own" else model
    limited = LLMAnswerer(lambda: slow, fallback=fallback, timeout=1.0)
    t2 = time.perf_counter()
    timed = limited.answer(QUESTION * 12, _passages() * 4)  # a long prompt: > 1 s
    timeout_run = {
        "seconds": time.perf_counter() - t2,
        "fallback_reason": timed.fallback_reason,
    }
    so_far = {
        "which": which,
        "import_s": imported,
        "build_s": built,
        "weights_loaded_at_build": loaded_at_build,
        "cold": cold,
        "warm": warm,
        "timeout": timeout_run,
    }
    report(so_far)
    # Two threads streaming from the one model at once (two chat users).
    results: list[Any] = [None, None]

    def worker(i: int) -> None:
        try:
            results[i] = _timed_stream(answerer)["text"]
        except BaseException as exc:  # recorded, shown in the table
            results[i] = f"{exc.__class__.__name__}: {exc}"

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    return {
        **so_far,
        "concurrent_same_as_alone": [r == cold["text"] for r in results],
        "concurrent_texts": results,
    }


def _child(which: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.llamacpp_compare", "--which", which, "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        return {"which": which, "error": f"exit {done.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(lines[-1])
    if done.returncode != 0:  # died in the concurrency check
        result["concurrent_same_as_alone"] = f"process died (exit {done.returncode})"
    return result


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| | " + " | ".join(r["which"] for r in rows) + " |", "|---|" + "---|" * len(rows)]

    def row(label: str, get: Callable[[dict[str, Any]], Any]) -> None:
        cells = []
        for r in rows:
            try:
                cells.append(str(get(r)) if "error" not in r else r["error"])
            except (KeyError, TypeError):
                cells.append("-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def secs(part: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: f"{r[part]['first_token_s']:.2f} / {r[part]['total_s']:.2f}"

    row("import s", lambda r: f"{r['import_s']:.2f}")
    row(
        "build s (weights loaded?)",
        lambda r: f"{r['build_s']:.2f} ({r['weights_loaded_at_build']})",
    )
    row("first answer: first token / total s", secs("cold"))
    row("again: first token / total s", secs("warm"))
    row("streamed pieces", lambda r: r["cold"]["pieces"])
    row("text", lambda r: json.dumps(r["cold"]["text"][:80]))
    row("fallback reason", lambda r: r["cold"]["fallback_reason"])
    row(
        "answer() with 1 s limit: s / reason",
        lambda r: f"{r['timeout']['seconds']:.1f} / {r['timeout']['fallback_reason']}",
    )
    row("2 threads at once, same text as alone", lambda r: r["concurrent_same_as_alone"])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.llamacpp_compare")
    parser.add_argument("--which", choices=("both", "own", "community"), default="both")
    parser.add_argument("--json", action="store_true", help="print one JSON line (children)")
    args = parser.parse_args(argv)
    if args.which != "both":
        partial = (lambda r: print(json.dumps(r), flush=True)) if args.json else (lambda r: None)
        result = measure(args.which, partial)
        print(json.dumps(result) if args.json else table([result]))
        return 0
    rows = [_child("own"), _child("community")]
    print(table(rows))
    texts = [r.get("cold", {}).get("text") for r in rows]
    print(f"\nsame first answer from both: {texts[0] == texts[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
