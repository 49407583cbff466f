"""Options of the ``newsqa`` sub-commands that other entry points share.

``python -m benchmarks.bench`` and ``python -m eval.dates_bench`` take the same options as
``newsqa bench`` and ``newsqa dates-bench``; both the CLI and those modules import them from
here, so none of them imports another (no import circle through ``rag.cli``).
"""

from __future__ import annotations

import argparse


def add_bench_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``newsqa bench``, also used by ``python -m benchmarks.bench``.

    Defined once, so the two ways in take the same options (they once drifted:
    ``newsqa bench --no-hits`` was refused); here rather than in ``benchmarks``, so that
    ``newsqa --help`` imports no benchmark code, and rather than in ``rag.cli``, so that
    nothing imports the CLI (``tests/test_layers.py`` forbids import circles).
    """
    p.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in chunks")
    p.add_argument("--out", help="folder for bench.json and bench.md (default reports/bench)")
    p.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    p.add_argument("--questions", type=int, default=25, help="latency questions (default 25)")
    p.add_argument(
        "--eval-questions", type=int, default=30, help="hit@5 questions per backend (default 30)"
    )
    p.add_argument(
        "--encode-sample",
        type=int,
        default=256,
        help="chunks per backend for the encode-speed comparison (default 256)",
    )
    p.add_argument(
        "--throughput-max",
        type=int,
        default=10000,
        help="largest size whose ingest throughput is measured; larger ones ingest through "
        "the embedding cache (default 10000)",
    )
    p.add_argument(
        "--embedding-cache",
        help="embedding cache for sizes above --throughput-max "
        "(default ~/.cache/newsqa/bench-embeddings.sqlite)",
    )
    p.add_argument("--no-hits", action="store_true", help="skip hit@5 per embedding backend")
    p.add_argument("--keep", action="store_true", help="keep the temporary homes")


def add_dates_bench_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``newsqa dates-bench``, also used by ``python -m eval.dates_bench``."""
    p.add_argument(
        "dataset",
        nargs="?",
        default="eval/datasets/aquaint_dates.jsonl",
        help="a date-resolution set (.jsonl; default eval/datasets/aquaint_dates.jsonl)",
    )
    p.add_argument(
        "--half",
        choices=("all", "even", "odd"),
        default="all",
        help="score only the even or odd lines (development / held-out half)",
    )
    p.add_argument("--show", type=int, default=1000, help="misses listed per kind")
    p.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the dateparser column (it takes about a minute on 410 cases)",
    )
