"""Child processes of ``newsqa bench``: ingest, and answer, each with its own peak RSS.

Why separate processes: the bench process also loads the bare anchors (a second model,
the raw Chroma client), so its memory says little about NewsQA. Each worker prints one
JSON line on stdout; ``answer`` first prints ``first`` when the first answer is ready, so
the parent can time process start to first answer.

    python -m benchmarks.workers ingest HOME CORPUS [--cache FILE]
    python -m benchmarks.workers answer HOME QUESTIONS_JSON
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _status_mb(field: str) -> float:
    found = re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(found.group(1)) / 1024 if found else 0.0


def peak_rss_mb() -> float:
    """VmHWM of this process (``ru_maxrss`` would carry the forking parent's peak)."""
    return _status_mb("VmHWM")


def rss_mb() -> float:
    """Current resident memory (VmRSS)."""
    return _status_mb("VmRSS")


def reset_peak_rss() -> None:
    """Restart VmHWM from the current RSS (Linux: write 5 to clear_refs)."""
    # Not Linux, or not allowed: the peak then includes start-up.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def bench_assistant(
    home: str | Path,
    backend: str | None = None,
    cache: str | None = None,
    sentence_vectors: bool = True,
) -> Any:
    """An ``Assistant`` on ``home`` as the benchmark measures it: defaults, no environment,
    no bundled articles; optionally another embedding backend, an embedding cache, or
    answers that embed their sentences when asked instead of reading the stored ones."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings.load(
        home=home,
        environ={},
        bundled_on_first_use=False,
        embedding_backend=backend,
        embedding_cache=cache or "",
        sentence_vectors=sentence_vectors,
    )
    return Assistant(settings)


def ingest(home: str, corpus: str, cache: str | None) -> dict[str, Any]:
    """Time ``Assistant.ingest`` with the model already loaded; peak RSS of the ingest."""
    assistant = bench_assistant(home, cache=cache)
    assistant.embedder.count_tokens("warm up")
    assistant.embedder.encode(["warm up"])
    assistant.index.count()  # open Chroma before timing, like the model
    disk = assistant.embedder.disk_cache
    cached_before = len(disk) if disk is not None else 0
    before = rss_mb()
    reset_peak_rss()
    start = time.perf_counter()
    report = assistant.ingest([corpus])
    seconds = time.perf_counter() - start
    return {
        # Texts the model embedded: chunks, and the sentences and phrases kept for answers.
        "cache_misses": (len(disk) - cached_before) if disk is not None else None,
        "kept_texts": len(assistant.index.sentences),
        "report_errors": report.errors[:5],
        "seconds": seconds,
        "articles": report.added + report.updated,
        "chunks": report.chunks_added,
        "errors": len(report.errors),
        "timings": report.timings,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
        "backend": assistant.settings.embedding_backend,
    }


def answer(home: str, questions: Sequence[str]) -> dict[str, Any]:
    """Answer the first question (signalled on stdout), then the rest; peak RSS of it all."""
    assistant = bench_assistant(home)
    first = assistant.ask(questions[0])
    print("first", flush=True)
    answered = int(not first.abstained)
    for question in questions[1:]:
        answered += int(not assistant.ask(question).abstained)
    return {"questions": len(questions), "answered": answered, "peak_rss_mb": peak_rss_mb()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workers")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("home")
    p.add_argument("corpus")
    p.add_argument("--cache")
    p = sub.add_parser("answer")
    p.add_argument("home")
    p.add_argument("questions", help="a JSON file holding a list of questions")
    args = parser.parse_args(argv)
    if args.command == "ingest":
        result = ingest(args.home, args.corpus, args.cache)
    else:
        result = answer(args.home, json.loads(Path(args.questions).read_text()))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
