"""Date-resolution benchmark: how many gold date expressions ``find_dates`` resolves.

Usage::

    python -m eval.dates_bench eval/datasets/aquaint_dates.jsonl [--half even|odd] [--show 5]

A case counts as resolved when the tagger, run on ``context`` with ``published``, returns a
mention that overlaps the expression's characters and whose value equals the gold value
exactly (the rule in ``/work/shared/eval/README.md``). Misses are grouped by the kind of
expression so that a failing rule stands out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eval.dates_baseline import DateparserBaseline
from rag.jsonl import json_objects
from rag.temporal import find_dates

KINDS = (
    "absolute",
    "year",
    "spelled-year",
    "year-word",
    "month-name",
    "day-of-month",
    "weekday",
    "relative-day",
    "relative-period",
    "holiday",
    "anaphoric",
    "other",
)
_MONTH = r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?![a-z])"
_WEEKDAY = r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b"


@dataclass(frozen=True)
class Miss:
    """One unresolved case: where it is, what was expected and what the tagger said."""

    line: int
    expression: str
    gold: str
    got: tuple[str | None, ...]
    context: str


@dataclass
class DateBenchResult:
    """Totals and misses of one benchmark run."""

    resolved: int = 0
    total: int = 0
    per_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    misses: dict[str, list[Miss]] = field(default_factory=dict)
    ms_per_1000_chars: float = 0.0
    baseline: dict[str, int] | None = None  # kind -> cases dateparser resolves; None: not run

    @property
    def baseline_rate(self) -> float | None:
        """dateparser's share of the cases, or None when the baseline was not run."""
        if self.baseline is None or not self.total:
            return None
        return sum(self.baseline.values()) / self.total

    @property
    def rate(self) -> float:
        """Share of cases resolved (0.0 for an empty set)."""
        return self.resolved / self.total if self.total else 0.0


def expression_kind(expression: str) -> str:
    """Classify a gold expression so that misses can be grouped by the rule that owns them."""
    text = expression.strip()
    low = text.lower()
    has_month = re.search(_MONTH, text) is not None
    has_digit = re.search(r"\d", text) is not None
    if re.search(r"\d{4}-\d{1,2}-\d{1,2}", text) or (has_month and re.search(r"\b\d{1,2}\b", text)):
        return "absolute"
    if has_month and re.search(r"\b\d{4}\b", text):
        return "absolute"
    if re.search(r"\b(?:nineteen|eighteen|two\s+thousand)\b", low):
        return "spelled-year"
    if re.search(r"\b(?:that|same)\b|\bthen\b", low) or re.fullmatch(
        r"(?:the\s+)?(?:days?|weeks?)|(?:the|a|an)\s+(?:\w+(?:st|nd|rd|th)|first|second|third)"
        r"\s+(?:straight\s+)?day",
        low,
    ):
        return "anaphoric"  # relative to narrative time, not to the publication date
    if re.search(r"\byear\b", low) and not re.search(
        r"\b(?:last|next|this|ago|years|earlier\s+than)\b|\d", low
    ):
        return "year-word"  # "the fiscal year", "year-end", "a year earlier"
    if (
        re.search(r"\b(?:day|thanksgiving|christmas|easter|eve)\b", low)
        and text[:1].isupper()
        and not re.search(r"\b(?:to|yester|previous|next|following)", low)
    ):
        return "holiday"
    if re.search(_WEEKDAY, text):
        return "weekday"
    if has_month:
        return "month-name"
    if re.fullmatch(r"(?:(?:early|mid|late)[\s-])?\d{4}", low):
        return "year"
    if re.search(r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b", low):
        return "day-of-month"
    if re.search(
        r"\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening))\b", low
    ):
        return "relative-day"
    if re.search(r"\bdays?\b", low) and (
        has_digit or re.search(r"\b(?:ago|previous|next|following|before|after)\b", low)
    ):
        return "relative-day"
    if re.search(r"\b(?:week|weeks|month|months|year|years)\b", low):
        return "relative-period"
    return "other"


def _load(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, case) per line; a bad line stops the run (a silently dropped case
    would change the score)."""
    return [(line.lineno, obj) for line, obj in json_objects(path.read_text("utf-8"), path)]


def run(path: str | Path, half: str = "all", baseline: bool = False) -> DateBenchResult:
    """Run the tagger over a date-resolution set.

    Args:
        path: a JSONL file with ``context``, ``published``, ``expression`` and ``value``.
        half: "all", or "even"/"odd" to score only even- or odd-numbered lines (1-based), so
            that rules can be developed on one half and checked on the other.
        baseline: also run dateparser on every case (``eval.dates_baseline``).

    Returns:
        A ``DateBenchResult`` with totals, per-kind counts and the misses grouped by kind.
    """
    result = DateBenchResult()
    counts: dict[str, list[int]] = {kind: [0, 0] for kind in KINDS}
    other = DateparserBaseline() if baseline else None
    if other is not None:
        result.baseline = dict.fromkeys(KINDS, 0)
    chars = 0
    elapsed = 0.0
    for number, case in _load(Path(path)):
        if (half == "even" and number % 2) or (half == "odd" and not number % 2):
            continue
        context, expression, gold = case["context"], case["expression"], case["value"]
        published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
        began = time.perf_counter()
        mentions = find_dates(context, published)
        elapsed += time.perf_counter() - began
        chars += len(context)
        start = context.find(expression)
        end = start + len(expression)
        overlapping = [m for m in mentions if start >= 0 and m.start < end and m.end > start]
        kind = expression_kind(expression)
        counts[kind][1] += 1
        result.total += 1
        if other is not None and result.baseline is not None:
            result.baseline[kind] += other.resolves(context, expression, gold, published)
        if any(m.value == gold for m in overlapping):
            counts[kind][0] += 1
            result.resolved += 1
            continue
        miss = Miss(number, expression, gold, tuple(m.value for m in overlapping), context)
        result.misses.setdefault(kind, []).append(miss)
    result.per_kind = {kind: (c[0], c[1]) for kind, c in counts.items() if c[1]}
    result.ms_per_1000_chars = 1000.0 * elapsed / chars * 1000 if chars else 0.0
    return result


def _snippet(miss: Miss, width: int = 70) -> str:
    at = miss.context.find(miss.expression)
    lo = max(0, at - width)
    hi = at + len(miss.expression) + width // 2
    return " ".join(miss.context[lo:hi].split())


def format_report(result: DateBenchResult, show: int = 1000) -> str:
    """Render the per-kind table and the grouped misses as plain text."""
    base = result.baseline
    extra = f"{'dateparser':>12}" if base is not None else ""
    lines = [f"{'kind':<16}{'resolved':>9}{'total':>7}{'rate':>8}{extra}"]
    for kind, (ok, total) in result.per_kind.items():
        other = f"{base[kind] / total:>12.1%}" if base is not None else ""
        lines.append(f"{kind:<16}{ok:>9}{total:>7}{ok / total:>8.1%}{other}")
    other = f"{result.baseline_rate:>12.1%}" if result.baseline_rate is not None else ""
    lines.append(f"{'ALL':<16}{result.resolved:>9}{result.total:>7}{result.rate:>8.1%}{other}")
    lines.append(f"time: {result.ms_per_1000_chars:.3f} ms per 1,000 characters")
    for kind in KINDS:
        misses = result.misses.get(kind, [])
        if not misses:
            continue
        lines.append(f"\n== misses: {kind} ({len(misses)})")
        for miss in misses[:show]:
            got = ", ".join(str(v) for v in miss.got) or "not found"
            lines.append(f"  line {miss.line}: {miss.expression!r} gold {miss.gold} got {got}")
            lines.append(f"      … {_snippet(miss)} …")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code.

    The options are ``newsqa dates-bench``'s (``rag.cli_options.add_dates_bench_arguments``), so
    both ways in take the same ones.
    """
    from rag.cli_options import add_dates_bench_arguments

    parser = argparse.ArgumentParser(
        prog="dates-bench", description="Date-resolution benchmark for find_dates."
    )
    add_dates_bench_arguments(parser)
    return run_args(parser.parse_args(list(argv) if argv is not None else None))


def run_args(args: argparse.Namespace) -> int:
    """Score the set named by parsed options and print the report."""
    result = run(args.dataset, args.half, baseline=not getattr(args, "no_baseline", False))
    print(format_report(result, args.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
