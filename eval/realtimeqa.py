"""The RealTime QA benchmark: real news questions over the week's web search results.

``newsqa eval --benchmark realtimeqa --source DIR --out DIR [--weeks ...] [--limit N]
[--set qa|nota|both] [--compare KEY=V1,V2]`` reads the benchmark's original files
(``eval.realtimeqa_data``). For each week it pools the search results into one collection,
ingests it into a fresh temporary index, asks every question *without* its choices (as a
user would, on the day it was asked), and scores the answer with the shared README's rule
(``eval.realtimeqa_metrics``); one week's index and records: ``eval.realtimeqa_week``.
Reports: ``eval.realtimeqa_report``.

Why a fresh index per week: each week's questions are meant to be answered from that week's
results only, and an index mixing weeks would let one week's articles answer another's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from eval.compare import compare_configs, compare_entries, config_label
from eval.realtimeqa_data import (
    SETS,
    Question,
    find_weeks,
    load_question_pools,
    load_questions,
    parse_weeks,
    split_of,
    week_file,
)
from eval.realtimeqa_metrics import summarise
from eval.realtimeqa_report import format_text, write_realtimeqa_report
from eval.realtimeqa_week import ask_question, build_week, declined_record
from rag.errors import ConfigError, InputError
from rag.settings import Settings

DEFAULT_CACHE = Path("~/.cache/newsqa/realtimeqa-embeddings.sqlite")
"""Embedding cache of the benchmark when ``NEWSQA_EMBEDDING_CACHE`` is not set: a rerun of
the same weeks then skips the model (the texts and the model are the same)."""


def embedding_cache(settings: Settings) -> str:
    """The user's embedding cache, else the benchmark's own (``DEFAULT_CACHE``).

    The benchmark embeds ~30k chunks over 14 weeks; with a cache a rerun (another retriever,
    answerer or k) skips the model. The user's chat index keeps its own default (none).
    """
    return settings.embedding_cache or str(DEFAULT_CACHE.expanduser())


SETTINGS = ("pooled", "per-question")


def run_per_question(
    source: Path,
    week: str,
    asked: Sequence[Question],
    settings: Settings,
    configs: Sequence[Mapping[str, Any]],
    records: list[list[dict[str, Any]]],
    shared: Any,
) -> Any:
    """The per-question setting: each question over its own first 5 search results only.

    Returns the embedding model, for the next week to share.
    """
    pools = load_question_pools(source, week)
    for question in asked:
        pool = pools.get(question.id)
        if pool is None or not pool.articles:
            for i in range(len(configs)):
                records[i].append(declined_record(question))
            continue
        with tempfile.TemporaryDirectory(
            prefix=f"newsqa-rtqa-{question.id}-", ignore_cleanup_errors=True
        ) as tmp:
            index = build_week(source, week, Path(tmp), settings, shared, None, pool=pool)
            shared = index.assistant.embedder
            for i, config in enumerate(configs):
                records[i].append(ask_question(index, question, config))
    return shared


def run_weeks(
    source: Path,
    questions: Mapping[str, list[Question]],
    settings: Settings,
    configs: Sequence[Mapping[str, Any]],
    progress: bool,
    setting: str = "pooled",
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """Ingest each week once and ask its questions under every configuration.

    Args:
        setting: "pooled" (one index of the week's pooled results) or "per-question" (each
            question over its own first 5 results: ``run_per_question``).

    Returns:
        (one info dict per week, one list of records per configuration).
    """
    infos: list[dict[str, Any]] = []
    records: list[list[dict[str, Any]]] = [[] for _ in configs]
    shared = None
    for week, asked in questions.items():
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(asked) * len(configs), desc=week, unit=" it", file=sys.stderr)
        started = time.perf_counter()
        if setting == "per-question":
            shared = run_per_question(source, week, asked, settings, configs, records, shared)
            infos.append({"week": week, "questions": len(asked),
                          "elapsed_s": time.perf_counter() - started})  # fmt: skip
            continue
        try:
            with tempfile.TemporaryDirectory(
                prefix=f"newsqa-rtqa-{week}-", ignore_cleanup_errors=True
            ) as tmp:
                index = build_week(source, week, Path(tmp), settings, shared, bar)
                shared = index.assistant.embedder
                for i, config in enumerate(configs):
                    for question in asked:
                        if bar is not None:
                            bar.set_postfix_str(question.set)
                        records[i].append(ask_question(index, question, config))
                        if bar is not None:
                            bar.update(1)
            index.info["questions"] = len(asked)
            index.info["elapsed_s"] = time.perf_counter() - started
            infos.append(index.info)
        finally:
            if bar is not None:
                bar.close()
    return infos, records


def main(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The ``newsqa eval --benchmark realtimeqa`` command."""
    if args.benchmark != "realtimeqa":
        raise ConfigError(f"unknown benchmark {args.benchmark!r}; the one known is realtimeqa")
    if not getattr(args, "source", None):
        raise ConfigError("--benchmark realtimeqa needs --source DIR (the weeks' .jsonl files)")
    limit = getattr(args, "limit", None)
    if limit is not None and limit < 1:
        raise ConfigError(f"--limit must be at least 1, not {limit}")
    source = Path(args.source).expanduser()
    weeks = find_weeks(source, parse_weeks(getattr(args, "weeks", None)))
    split = getattr(args, "split", None)
    if split:
        weeks = [w for w in weeks if split_of(w) == split]
        if not weeks:
            years = "2022 and 2024" if split == "train" else "2025"
            raise ConfigError(f"no {split} weeks in {source} (the {split} weeks are {years})")
    chosen = getattr(args, "set", None) or "both"
    sets = SETS if chosen == "both" else (chosen,)
    # Read every question file first: a broken file fails now, not after an hour of weeks.
    questions = {w: [q for s in sets for q in load_questions(source, w, s, limit)] for w in weeks}
    missing = [f for w in weeks if not (f := week_file(source, f"{w}_gcs.jsonl")).is_file()]
    if missing:
        raise InputError(f"missing search results {missing[0]}")

    setting = getattr(args, "setting", None) or "pooled"
    if setting not in SETTINGS:
        raise ConfigError(f"--setting must be one of {', '.join(SETTINGS)}, not {setting!r}")
    cache = embedding_cache(settings)
    if not settings.embedding_cache:
        out.write(f"embedding cache: {cache} (set NEWSQA_EMBEDDING_CACHE to change it)\n")
    settings = settings.replace(embedding_cache=cache)
    base = {
        "benchmark": "realtimeqa",
        "source": str(source),
        "weeks": ",".join(weeks),
        "sets": ",".join(sets),
        "limit": limit,
        "retriever": settings.retriever,
        "answerer": settings.answerer,
        "k": settings.k,
        "embedding_model": settings.embedding_model or "all-MiniLM-L6-v2 (bundled)",
        "embedding_backend": settings.embedding_backend,
        "embedding_cache": cache,
        "setting": setting,
        "split": split or "all weeks",
        "reader": settings.reader,
    }
    configs, key = compare_configs(args.compare, base)
    started = time.perf_counter()
    infos, records = run_weeks(source, questions, settings, configs, not args.no_progress, setting)
    elapsed = time.perf_counter() - started
    runs: list[dict[str, Any]] = [
        {"config": c, "weeks": infos, "metrics": summarise(r, infos), "records": r}
        for c, r in zip(configs, records, strict=True)
    ]
    compare = compare_entries(runs, key)
    paths = write_realtimeqa_report({**runs[0], "elapsed_s": elapsed}, Path(args.out), compare)
    for run in runs:
        out.write(f"\n{config_label(run['config'])}\n{format_text(run['metrics'])}\n")
    out.write(f"\n{len(weeks)} week(s) in {elapsed:.1f} s; report: {paths['md']}\n")
    return 0
