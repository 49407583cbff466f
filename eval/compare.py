"""``--compare KEY=V1,V2``: one run per value, reported side by side.

Shared by both harnesses (``eval.runner`` for question sets, ``eval.realtimeqa`` for the
benchmark), which is why it lives in a module of its own: neither harness imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rag.errors import ConfigError

COMPARABLE = ("retriever", "answerer", "k")


def parse_compare(spec: str | None) -> tuple[str, list[str]] | None:
    """``"retriever=dense,bm25,hybrid"`` -> ("retriever", ["dense", "bm25", "hybrid"])."""
    if not spec:
        return None
    key, sep, values = spec.partition("=")
    key = key.strip()
    options = [v.strip() for v in values.split(",") if v.strip()]
    if not sep or key not in COMPARABLE or not options:
        raise ConfigError(
            f"--compare must look like KEY=V1,V2 with KEY one of {', '.join(COMPARABLE)}"
        )
    return key, options


def compare_configs(
    spec: str | None, base: dict[str, Any]
) -> tuple[list[dict[str, Any]], str | None]:
    """The configurations ``--compare KEY=V1,V2`` asks for (just ``base`` without it), and
    the compared key."""
    compare = parse_compare(spec)
    if compare is None:
        return [base], None
    key, values = compare
    try:
        configs = [{**base, key: int(v) if key == "k" else v} for v in values]
    except ValueError:
        raise ConfigError(f"--compare k=... takes whole numbers, not {values}") from None
    return configs, key


def compare_entries(runs: Sequence[dict[str, Any]], key: str | None) -> list[dict[str, Any]] | None:
    """``{"name", "config", "metrics"}`` per run for the reports' comparison; None when
    nothing was compared."""
    if key is None:
        return None
    return [
        {"name": f"{key}={run['config'][key]}", "config": run["config"], "metrics": run["metrics"]}
        for run in runs
    ]


def config_label(config: dict[str, Any]) -> str:
    """``retriever=hybrid, answerer=extractive, k=6``: the heading of a run's printed table."""
    return ", ".join(f"{k}={config[k]}" for k in COMPARABLE)
