"""Evaluation reports: ``report.json``, ``report.md``, ``report.html`` and PNG charts.

The JSON file is the record of a run (configuration, metrics, every per-question record) and
is enough to redraw everything else. The Markdown report links the PNGs next to it; the HTML
report embeds them as base64 so it can be mailed or attached as one file. All text taken from
questions and answers is escaped, since answers quote arbitrary article text.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from eval import plots

SUMMARY_ROWS: tuple[tuple[str, str, int | None], ...] = (
    ("questions", "n", None),
    ("accuracy", "accuracy", None),
    ("short-answer accuracy", "short_accuracy", None),
    ("token F1", "f1", None),
    ("hit@1", "hit_at_k", 1),
    ("hit@5", "hit_at_k", 5),
    ("recall@5", "recall_at_k", 5),
    ("MRR", "mrr", None),
    ("evidence recall", "evidence_recall", None),
    ("citation precision", "citation_precision", None),
    ("citation precision of answers", "answer_citation_precision", None),
    ("support rate", "support_rate", None),
    ("groundedness (lexical)", "groundedness", None),
    ("abstention precision", "abstention_precision", None),
    ("abstention recall", "abstention_recall", None),
    ("over-abstention", "over_abstention", None),
    ("fallback rate", "fallback_rate", None),
)
"""(label, metrics key, k) rows of the summary table; k picks from a ``*_at_k`` dict."""

LATENCY_KEYS: tuple[str, ...] = ("latency_ms", "retrieve_ms", "answer_ms")


def fmt(value: Any, digits: int = 3) -> str:
    """One cell: shares to three decimals, counts as integers, missing values as n/a."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def fmt_ms(value: Any) -> str:
    """A duration in milliseconds, always with one decimal (JSON may hold ints)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):.1f}"
    return fmt(value)


def summary_rows(metrics: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, formatted value) pairs shared by the text, Markdown and HTML summaries."""
    rows = []
    for label, key, k in SUMMARY_ROWS:
        value = plots.at_k(metrics.get(key), k) if k is not None else metrics.get(key)
        rows.append((label, fmt(value)))
    for key in LATENCY_KEYS:
        stats = metrics.get(key) or {}
        for stat in ("p50", "p95", "mean"):
            rows.append((f"{key.removesuffix('_ms')} {stat} (ms)", fmt_ms(stats.get(stat))))
    return rows


def format_summary_table(metrics: Mapping[str, Any]) -> str:
    """Plain-text two-column table of the headline metrics, printed by the CLI after a run."""
    rows = summary_rows(metrics)
    by_kind = metrics.get("accuracy_by_kind") or {}
    rows += [(f"accuracy [{kind}]", fmt(value)) for kind, value in by_kind.items()]
    width = max(len(label) for label, _ in rows)
    value_width = max(len(value) for _, value in rows)
    rule = "-" * (width + value_width + 3)
    lines = [f"{'metric':<{width}}   {'value':>{value_width}}", rule]
    lines += [f"{label:<{width}}   {value:>{value_width}}" for label, value in rows]
    return "\n".join(lines)


def misses(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Records scored wrong, in run order (uses ``correct`` as merged in by the runner)."""
    from eval.metrics import score_record

    return [
        r for r in records if not (r["correct"] if "correct" in r else score_record(r)["correct"])
    ]


def _expected(record: Mapping[str, Any]) -> str:
    if not record.get("answerable", True):
        return "(should abstain)"
    return " / ".join(str(a) for a in record.get("answers") or []) or "(none)"


def _answered(record: Mapping[str, Any]) -> str:
    answer = " ".join(str(record.get("answer") or "").split())
    return f"(abstained) {answer}".strip() if record.get("abstained") else answer or "(empty)"


def _kind_rows(metrics: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    counts = metrics.get("n_by_kind") or {}
    return [
        (str(kind), fmt(counts.get(kind)), fmt(value))
        for kind, value in (metrics.get("accuracy_by_kind") or {}).items()
    ]


def _compare_rows(compare: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    rows = []
    for entry in compare:
        m = entry.get("metrics") or {}
        rows.append(
            [
                str(entry.get("name", "")),
                fmt(m.get("accuracy")),
                fmt(m.get("short_accuracy")),
                fmt(plots.at_k(m.get("hit_at_k"), 5)),
                fmt(m.get("mrr")),
                fmt(m.get("citation_precision")),
                fmt_ms((m.get("latency_ms") or {}).get("p95")),
            ]
        )
    return rows


COMPARE_HEADER = [
    "configuration",
    "accuracy",
    "short-answer accuracy",
    "hit@5",
    "MRR",
    "citation precision",
    "p95 ms",
]


def md_cell(text: str) -> str:
    """One line of Markdown-safe text: no raw HTML, no table-breaking pipes or newlines."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(
    report: Mapping[str, Any], images: Mapping[str, Path], compare: Sequence[Mapping[str, Any]]
) -> str:
    """Markdown report; images are linked by file name, relative to the report itself."""
    metrics = report.get("metrics") or {}
    lines = ["# NewsQA evaluation report", "", "## Configuration", ""]
    config = report.get("config") or {}
    lines += [f"- **{md_cell(str(k))}**: {md_cell(str(v))}" for k, v in config.items()]
    lines += ["", "## Summary", "", *md_table(["metric", "value"], summary_rows(metrics))]
    lines += ["", "## By kind", "", *md_table(["kind", "n", "accuracy"], _kind_rows(metrics))]
    for name, path in images.items():
        if name != "compare":
            lines += ["", f"![{name.replace('_', ' ')}]({path.name})"]
    if compare:
        lines += ["", "## Comparison", "", *md_table(COMPARE_HEADER, _compare_rows(compare))]
        if "compare" in images:
            lines += ["", f"![comparison]({images['compare'].name})"]
    wrong = misses(report.get("records") or [])
    lines += ["", f"## Misses ({len(wrong)})", ""]
    for r in wrong:
        head = f"**{md_cell(str(r.get('id', '')))}** ({md_cell(str(r.get('kind', '')))})"
        lines += [
            f"- {head} {md_cell(str(r.get('question', '')))}",
            f"  - expected: {md_cell(_expected(r))}",
            f"  - answered: {md_cell(_answered(r))}",
        ]
    return "\n".join(lines) + "\n"


def html_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def img_tag(name: str, path: Path) -> str:
    """An ``<img>`` with the PNG inlined as base64, so the HTML file stands alone."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    alt = html.escape(name.replace("_", " "))
    return f'<img alt="{alt}" src="data:image/png;base64,{data}">'


CSS = (
    "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem}"
    "th{background:#f3f3f3;text-align:left}img{max-width:100%;display:block;margin:1rem 0}"
    "li{margin-bottom:.5rem}.q{font-weight:bold}"
)


def render_html(
    report: Mapping[str, Any], images: Mapping[str, Path], compare: Sequence[Mapping[str, Any]]
) -> str:
    """Stand-alone HTML report: every image is inlined as a base64 data URI."""
    metrics = report.get("metrics") or {}
    config = [(str(k), str(v)) for k, v in (report.get("config") or {}).items()]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>NewsQA evaluation report</title>',
        f"<style>{CSS}</style></head><body>",
        "<h1>NewsQA evaluation report</h1>",
        "<h2>Configuration</h2>",
        html_table(["setting", "value"], config),
        "<h2>Summary</h2>",
        html_table(["metric", "value"], summary_rows(metrics)),
        "<h2>By kind</h2>",
        html_table(["kind", "n", "accuracy"], _kind_rows(metrics)),
    ]
    parts += [img_tag(name, path) for name, path in images.items() if name != "compare"]
    if compare:
        parts += ["<h2>Comparison</h2>", html_table(COMPARE_HEADER, _compare_rows(compare))]
        if "compare" in images:
            parts.append(img_tag("comparison", images["compare"]))
    wrong = misses(report.get("records") or [])
    parts.append(f"<h2>Misses ({len(wrong)})</h2><ul>")
    for r in wrong:
        parts.append(
            f'<li><span class="q">{html.escape(str(r.get("id", "")))}</span> '
            f"({html.escape(str(r.get('kind', '')))}) {html.escape(str(r.get('question', '')))}"
            f"<br>expected: {html.escape(_expected(r))}"
            f"<br>answered: {html.escape(_answered(r))}</li>"
        )
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


def write_report(
    report: dict[str, Any], out_dir: Path, compare: list[dict[str, Any]] | None = None
) -> dict[str, Path]:
    """Write the JSON, Markdown and HTML reports and their PNG charts into ``out_dir``.

    Args:
        report: ``{"config": {...}, "metrics": {...}, "records": [...]}`` for one run.
        out_dir: created if missing; existing report files in it are overwritten.
        compare: optional ``{"name", "config", "metrics"}`` entries, one per configuration,
            stored under ``"compare"`` in ``report.json`` and drawn in ``compare.png``.

    Returns:
        Paths by name: ``json``, ``md``, ``html``, ``accuracy_by_kind``, ``hit_at_k``,
        ``latency_hist``, ``coverage`` (accuracy against coverage) and, with ``compare``,
        ``compare``.
    """
    payload = dict(report)
    if compare is not None:
        payload["compare"] = compare
    metrics = report.get("metrics") or {}
    records = report.get("records") or []
    drawers: dict[str, Callable[[Path], Path]] = {
        "accuracy_by_kind": lambda p: plots.plot_accuracy_by_kind(metrics, p),
        "hit_at_k": lambda p: plots.plot_hit_at_k(metrics, p),
        "latency_hist": lambda p: plots.plot_latency_hist(records, p),
    }
    if compare:
        drawers["compare"] = lambda p: plots.plot_compare(compare, p)
    from eval.abstention import coverage_curve

    payload["coverage_curve"] = coverage_curve(records)
    drawers["coverage"] = lambda p: plots.plot_coverage(
        {"question set": payload["coverage_curve"]}, p
    )
    return save_report(
        Path(out_dir),
        payload,
        drawers,
        lambda images: render_markdown(report, images, compare or []),
        lambda images: render_html(report, images, compare or []),
    )


Renderer = Callable[[Mapping[str, Path]], str]
"""Builds a report's text from the drawn charts (by name), so it can link or inline them."""


def save_report(
    out_dir: Path,
    payload: Mapping[str, Any],
    drawers: Mapping[str, Callable[[Path], Path]],
    markdown: Renderer,
    html_page: Renderer,
) -> dict[str, Path]:
    """Draw the charts, then write ``report.json``, ``report.md`` and ``report.html``.

    Shared by every kind of evaluation (question sets, benchmarks) so their output folders
    look alike: the charts come first because both text reports refer to them.

    Args:
        out_dir: created if missing; existing report files in it are overwritten.
        payload: what goes into ``report.json``.
        drawers: chart name -> function writing the PNG at the path it is given.
        markdown: renders ``report.md`` from the charts.
        html_page: renders ``report.html`` from the charts.

    Returns:
        Paths by name: ``json``, ``md``, ``html`` and one per chart.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    images = {name: draw(out_dir / f"{name}.png") for name, draw in drawers.items()}
    paths = {"json": out_dir / "report.json", "md": out_dir / "report.md"}
    paths["html"] = out_dir / "report.html"
    paths["json"].write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    paths["md"].write_text(markdown(images), encoding="utf-8")
    paths["html"].write_text(html_page(images), encoding="utf-8")
    return {**paths, **images}
