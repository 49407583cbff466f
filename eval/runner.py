"""Run a question set through the same ``Assistant`` the chat and the CLI use.

``newsqa eval --dataset FILE --out DIR [--retriever ...] [--compare "retriever=dense,bm25"]``
asks every question, scores each answer (``eval.metrics``), and writes the report
(``eval.report``). With ``--compare`` it runs one configuration per value and reports
them side by side; the main report is the first configuration's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from eval.compare import compare_configs, compare_entries, config_label
from eval.dataset import EvalItem, load_dataset
from eval.metrics import aggregate, score_record
from eval.report import format_summary_table, write_report
from rag.errors import ConfigError
from rag.settings import Settings


def make_record(item: EvalItem, answer: Any, latency_ms: float) -> dict[str, Any]:
    """One report record: the dataset item, what the assistant said, and its scores."""
    record: dict[str, Any] = item.to_dict()
    citations = [c.to_dict() for c in answer.citations]
    record.update(
        answer=answer.text,
        abstained=answer.abstained,
        short=None if answer.abstained else getattr(answer, "short", None),
        confidence=getattr(answer, "confidence", None),
        signals=getattr(answer, "signals", None),
        withheld=getattr(answer, "withheld", None),
        withheld_short=getattr(answer, "withheld_short", None),
        answerer=answer.answerer,
        fallback_reason=answer.fallback_reason,
        standalone_question=answer.standalone_question,
        citations=citations,
        retrieved=[
            {"doc_id": p.doc_id, "chunk_id": p.chunk_id, "text": p.text, "score": p.score}
            for p in answer.retrieved
        ],
        latency_ms=latency_ms,
        retrieve_ms=answer.timings.get("retrieve_ms"),
        answer_ms=answer.timings.get("answer_ms"),
    )
    record.update(score_record(record))
    return record


def run_eval(
    assistant: Any,
    items: Sequence[EvalItem],
    config: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Ask every question with one configuration; returns ``{config, metrics, records}``."""
    records = []
    for item in items:
        start = time.perf_counter()
        answer = assistant.ask(
            item.question,
            k=config.get("k"),
            retriever=config.get("retriever"),
            answerer=config.get("answerer"),
        )
        records.append(make_record(item, answer, (time.perf_counter() - start) * 1000.0))
        if progress:
            progress(1)
    return {"config": dict(config), "metrics": aggregate(records), "records": records}


def main(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The ``newsqa eval --dataset`` command (``--benchmark`` runs go to their own module,
    ``eval.realtimeqa``, chosen by the CLI)."""
    from rag.assistant import Assistant

    benchmark_only = ("source", "weeks", "limit", "set", "split")
    extra = [f"--{n}" for n in benchmark_only if getattr(args, n, None)]
    if extra:
        raise ConfigError(f"{', '.join(extra)} only apply to --benchmark, not to --dataset")

    try:
        items = load_dataset(args.dataset)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read dataset {args.dataset}: {exc}") from None
    base = {
        "dataset": str(args.dataset),
        "retriever": settings.retriever,
        "answerer": settings.answerer,
        "k": settings.k,
        "embedding_model": settings.embedding_model or "all-MiniLM-L6-v2 (bundled)",
    }
    configs, key = compare_configs(args.compare, base)
    assistant = Assistant(settings)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=len(items) * len(configs), desc="evaluating", unit=" q", file=sys.stderr)
    runs = []
    try:
        for config in configs:
            runs.append(run_eval(assistant, items, config, bar.update if bar else None))
    finally:
        if bar:
            bar.close()
    paths = write_report(runs[0], Path(args.out), compare=compare_entries(runs, key))
    for r in runs:
        out.write(f"\n{config_label(r['config'])}\n{format_summary_table(r['metrics'])}\n")
    out.write(f"\nreport: {paths['md']}\n")
    return 0
