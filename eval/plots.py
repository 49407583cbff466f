"""PNG charts for evaluation reports, drawn with matplotlib's Agg canvas.

matplotlib is imported inside each function, and figures are built on an explicit
``FigureCanvasAgg`` instead of through ``pyplot``: importing this module costs nothing, no
global backend is switched (the chat app may have its own), and drawing is safe from threads.
Every chart is written even when there is no data, with a "no data" note, so a report always
links to files that exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COMPARE_SHARES: tuple[tuple[str, str], ...] = (
    ("accuracy", "accuracy"),
    ("hit@5", "hit_at_k"),
    ("MRR", "mrr"),
    ("citation precision", "citation_precision"),
)
"""Metrics on a 0..1 scale shown side by side in ``compare.png`` (label, metrics key)."""


def at_k(mapping: Mapping[Any, Any] | None, k: int) -> Any:
    """Look up ``k`` in a ``*_at_k`` dict whose keys may be ints or, after JSON, strings."""
    if not mapping:
        return None
    return mapping.get(k, mapping.get(str(k)))


def _new_figure(width: float = 6.4, height: float = 4.0) -> Figure:
    """A figure on its own Agg canvas, so no pyplot state or global backend is touched."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _no_data(ax: Axes) -> None:
    ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def plot_accuracy_by_kind(metrics: Mapping[str, Any], path: Path) -> Path:
    """Bar chart of accuracy per question kind, with the number of questions on each bar."""
    fig = _new_figure()
    ax = fig.subplots()
    by_kind = {k: v for k, v in (metrics.get("accuracy_by_kind") or {}).items() if v is not None}
    if not by_kind:
        _no_data(ax)
    else:
        kinds = list(by_kind)
        bars = ax.bar(kinds, [by_kind[k] for k in kinds], color="#4C72B0")
        counts = metrics.get("n_by_kind") or {}
        ax.bar_label(bars, labels=[f"{by_kind[k]:.2f} (n={counts.get(k, '?')})" for k in kinds])
        ax.set_ylim(0, 1.1)
        ax.set_ylabel("accuracy")
    ax.set_title("Accuracy by question kind")
    return _save(fig, path)


def plot_hit_at_k(metrics: Mapping[str, Any], path: Path) -> Path:
    """Hit@k and recall@k as curves over k, to show how deep retrieval has to go."""
    fig = _new_figure()
    ax = fig.subplots()
    plotted = False
    curves = (("hit_at_k", "hit@k", "o", "-"), ("recall_at_k", "recall@k", "s", "--"))
    for key, label, marker, style in curves:
        mapping = metrics.get(key) or {}
        points = sorted((int(k), v) for k, v in mapping.items() if v is not None)
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            ax.plot(xs, ys, marker=marker, linestyle=style, label=label)
            ax.set_xticks([p[0] for p in points])
            plotted = True
    if plotted:
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("k (retrieved chunks)")
        ax.set_ylabel("share of answerable questions")
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower right")
    else:
        _no_data(ax)
    ax.set_title("Retrieval: source article among the first k")
    return _save(fig, path)


def plot_latency_hist(records: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Histogram of end-to-end latency per question, with p50 and p95 marked."""
    from eval.metrics import percentile

    fig = _new_figure()
    ax = fig.subplots()
    values = [
        float(r["latency_ms"]) for r in records if isinstance(r.get("latency_ms"), int | float)
    ]
    if not values:
        _no_data(ax)
    else:
        ax.hist(values, bins=min(30, max(5, len(values) // 3)), color="#55A868")
        for q, style in ((50, "--"), (95, ":")):
            value = percentile(values, q)
            if value is not None:
                ax.axvline(value, color="black", linestyle=style, label=f"p{q} = {value:.0f} ms")
        ax.set_xlabel("latency (ms)")
        ax.set_ylabel("questions")
        ax.legend()
    ax.set_title("End-to-end latency per question")
    return _save(fig, path)


def plot_compare(
    entries: Sequence[Mapping[str, Any]],
    path: Path,
    shares: Sequence[tuple[str, str]] = COMPARE_SHARES,
) -> Path:
    """Configurations side by side: quality shares on the left, p95 latency on the right.

    Args:
        entries: ``{"name", "config", "metrics"}`` dicts, one per configuration.
        path: where to write the PNG.
        shares: (label, metrics key) of the 0..1 metrics to draw; a ``*_at_k`` key is read
            at k = 5. Benchmarks with their own metrics pass theirs.
    """
    fig = _new_figure(width=10.0, height=4.2)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 1]})
    if not entries:
        _no_data(left)
        _no_data(right)
        return _save(fig, path)
    names = [str(e.get("name", f"config {i + 1}")) for i, e in enumerate(entries)]
    width = 0.8 / len(entries)
    positions = range(len(shares))
    for i, (name, entry) in enumerate(zip(names, entries, strict=True)):
        metrics = entry.get("metrics") or {}
        values = []
        for _label, key in shares:
            value = at_k(metrics.get(key), 5) if key.endswith("_at_k") else metrics.get(key)
            values.append(float(value) if value is not None else 0.0)
        left.bar([p + i * width for p in positions], values, width=width, label=name)
    left.set_xticks([p + width * (len(entries) - 1) / 2 for p in positions])
    left.set_xticklabels([label for label, _key in shares])
    left.set_ylim(0, 1.05)
    left.set_title("Quality (higher is better)")
    left.legend(fontsize="small")
    p95 = [((e.get("metrics") or {}).get("latency_ms") or {}).get("p95") for e in entries]
    right.bar(names, [float(v) if v is not None else 0.0 for v in p95], color="#C44E52")
    right.set_title("p95 latency, ms (lower better)", fontsize="medium")
    right.tick_params(axis="x", labelrotation=30)
    return _save(fig, path)


def plot_weekly(
    by_week: Mapping[str, Mapping[str, Any]],
    path: Path,
    references: Sequence[tuple[str, float]] = (),
) -> Path:
    """Share correct and the ceiling per week, as paired bars (RealTime QA).

    The ceiling (right choice literally in the week's articles) bounds what an answerer that
    quotes the articles can reach, so the gap between the two bars is NewsQA's own loss.

    Args:
        by_week: ``{"YYYYMMDD": {"correct": share, "ceiling": share, "n": count}}``.
        path: where to write the PNG.
        references: (label, share) drawn as dashed horizontal lines (published figures).
    """
    fig = _new_figure(width=max(6.4, 0.6 * len(by_week) + 2.0), height=4.2)
    ax = fig.subplots()
    if not by_week:
        _no_data(ax)
    else:
        weeks = list(by_week)
        xs = range(len(weeks))
        for offset, key, color in ((-0.2, "correct", "#4C72B0"), (0.2, "ceiling", "#BBBBBB")):
            values = [by_week[w].get(key) for w in weeks]
            ax.bar(
                [x + offset for x in xs],
                [float(v) if v is not None else 0.0 for v in values],
                width=0.4,
                color=color,
                label=key,
            )
        for (label, value), style in zip(references, ("--", ":", "-.", "--"), strict=False):
            ax.axhline(value, color="#C44E52", linestyle=style, linewidth=1, label=label)
        ax.set_xlim(-0.8, len(weeks) - 0.2)
        ax.set_xticks(list(xs))
        labels = [f"{w[:4]}-{w[4:6]}-{w[6:]}\nn={by_week[w].get('n', '?')}" for w in weeks]
        ax.set_xticklabels(labels, rotation=45, ha="right", fontsize="small")
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("share of questions")
        ax.legend(loc="upper right", fontsize="small")
    ax.set_title("RealTime QA: correct and ceiling per week")
    return _save(fig, path)


def plot_coverage(curves: Mapping[str, Sequence[Mapping[str, float]]], path: Path) -> Path:
    """Accuracy against coverage, one line per benchmark or split: answering the most
    confident share first, how many of those answers are right (``eval.abstention.curve``)."""
    fig = _new_figure()
    ax = fig.subplots()
    drawn = False
    for name, points in curves.items():
        pts = [p for p in points if p.get("coverage")]
        if not pts:
            continue
        ax.plot([p["coverage"] for p in pts], [p["precision"] for p in pts], marker=".", label=name)
        drawn = True
    if not drawn:
        _no_data(ax)
    else:
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("share of questions answered (most confident first)")
        ax.set_ylabel("share of those answers that are right")
        ax.legend()
    ax.set_title("Accuracy against coverage")
    return _save(fig, path)
