"""RealTime QA reports: per-week tables, the overall line, the NOTA section, references.

Written with ``eval.report``'s helpers (cell formatting, Markdown/HTML tables, inlined
charts, ``save_report``), so a benchmark folder looks like a question-set report folder:
``report.json`` (config, weeks, metrics, records, references), ``report.md``,
``report.html`` and PNG charts.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from eval import plots
from eval.report import CSS, fmt, fmt_ms, html_table, img_tag, md_cell, md_table, save_report

REFERENCE: tuple[dict[str, Any], ...] = (
    {"system": "GPT-3 + search results", "measured_on": "2023 weeks", "correct": 0.21},
    {"system": "RAG (DPR + BART) + search results", "measured_on": "2023 weeks", "correct": 0.00},
    {"system": "Claude Opus 4.6 + search results", "measured_on": "2026 weeks", "correct": 0.63},
    {"system": "ceiling: right choice in the week's articles", "measured_on": "held-out weeks",
     "correct": 0.59},
)  # fmt: skip
"""Figures of the shared RealTime QA README, scored with the same rule on other weeks."""

REFERENCE_LINES: tuple[tuple[str, float], ...] = (
    ("Claude Opus 4.6, other weeks", 0.63),
    ("ceiling, other weeks", 0.59),
    ("GPT-3, other weeks", 0.21),
)
"""Reference figures drawn as dashed lines on the weekly chart."""

REFERENCE_NOTE = (
    "Reference figures from the shared RealTime QA README: measured on other, held-out weeks "
    "(not the weeks of this run), with the same scoring rule and search results."
)

Getter = Callable[[Mapping[str, Any]], str]


def _lat(stat: str) -> Getter:
    return lambda m: fmt_ms((m.get("latency_ms") or {}).get(stat))


def _hit(k: int) -> Getter:
    return lambda m: fmt(plots.at_k(m.get("passage_hit_at_k"), k))


def _key(name: str, digits: int = 3) -> Getter:
    return lambda m: fmt(m.get(name), digits)


WEEK_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("n", _key("n")),
    ("correct", _key("correct")),
    ("ceiling", _key("ceiling")),
    ("EM", _key("em")),
    ("F1", _key("f1")),
    ("abstained", _key("abstention")),
    ("abstained (ceiling)", _key("abstention_when_ceiling")),
    ("median words", _key("median_answer_words", 1)),
    ("hit@1", _hit(1)),
    ("hit@5", _hit(5)),
    ("hit@10", _hit(10)),
    ("hit@20", _hit(20)),
    ("article hit@5", _key("article_hit_at_5")),
    ("p50 ms", _lat("p50")),
    ("p95 ms", _lat("p95")),
    ("articles", _key("articles")),
    ("chunks", _key("chunks")),
    ("ingest s", _key("ingest_s", 1)),
)
"""(header, cell) of the per-week table; the overall line uses the same columns."""

TEXT_COLUMNS = ("n", "correct", "ceiling", "F1", "abstained", "hit@5", "article hit@5",
                "p95 ms", "articles", "ingest s")  # fmt: skip
"""The narrower table printed by the CLI."""


def _nota(name: str) -> Getter:
    return lambda m: fmt((m.get("nota") or {}).get(name))


NOTA_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("n", _key("n")),
    ("right is NOTA", _key("n_nota")),
    ("declined (right)", _nota("declined")),
    ("named a wrong choice", _nota("wrong_choice")),
    ("other answer", _nota("other")),
    ("correct, listed right choice", _key("correct_listed")),
    ("correct, all", _key("correct")),
)
"""The NOTA section: questions whose right answer is "None of the above", then the rest."""

COMPARE_COLUMNS: tuple[tuple[str, Getter], ...] = (
    ("correct", _key("correct")),
    ("ceiling", _key("ceiling")),
    ("F1", _key("f1")),
    ("hit@5", _hit(5)),
    ("article hit@5", _key("article_hit_at_5")),
    ("abstained", _key("abstention")),
    ("NOTA declined", _nota("declined")),
    ("NOTA wrong choice", _nota("wrong_choice")),
    ("p95 ms", _lat("p95")),
)
COMPARE_SHARES: tuple[tuple[str, str], ...] = (
    ("correct", "correct"),
    ("ceiling", "ceiling"),
    ("F1", "f1"),
    ("passage hit@5", "passage_hit_at_k"),
    ("article hit@5", "article_hit_at_5"),
)
"""(label, metrics key) drawn in ``compare.png``."""


def table_rows(
    section: Mapping[str, Any], columns: Sequence[tuple[str, Getter]]
) -> list[list[str]]:
    """One row per week, then the overall line, of one question set's metrics."""
    rows = [[week, *(cell(m) for _h, cell in columns)] for week, m in section["by_week"].items()]
    rows.append(["all weeks", *(cell(section["overall"]) for _h, cell in columns)])
    return rows


def _first_set(metrics: Mapping[str, Any]) -> str | None:
    return "qa" if "qa" in metrics else next(iter(metrics), None)


def format_text(metrics: Mapping[str, Any]) -> str:
    """Plain-text per-week tables (one per question set), printed by the CLI after a run."""
    columns = [c for c in WEEK_COLUMNS if c[0] in TEXT_COLUMNS]
    blocks = []
    for kind, section in metrics.items():
        header = ["week", *(h for h, _c in columns)]
        rows = [header, *table_rows(section, columns)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines = [f"[{kind}]"]
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        nota = section["overall"].get("nota") or {}
        if nota.get("n"):
            lines.append(
                f"None of the above: {nota['n']} questions, declined {fmt(nota['declined'])}, "
                f"named a wrong choice {fmt(nota['wrong_choice'])}"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _compare_rows(compare: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    rows = []
    for entry in compare:
        for kind, section in (entry.get("metrics") or {}).items():
            overall = section["overall"]
            rows.append(
                [f"{entry.get('name', '')} [{kind}]", *(c(overall) for _h, c in COMPARE_COLUMNS)]
            )
    return rows


def _misses(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Wrong answers to questions whose right choice was in the week's articles."""
    return [r for r in records if r.get("ceiling") and not r.get("correct")]


def _answered(record: Mapping[str, Any]) -> str:
    answer = " ".join(str(record.get("answer") or "").split())
    return f"(abstained) {answer}" if record.get("abstained") else answer or "(empty)"


def _reference_rows() -> list[list[str]]:
    return [[r["system"], r["measured_on"], fmt(r["correct"], 2)] for r in REFERENCE]


def _sections(report: Mapping[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) of every table, shared by the Markdown and HTML reports."""
    metrics = report.get("metrics") or {}
    out = []
    for kind, section in metrics.items():
        title = "Questions (qa set)" if kind == "qa" else f"{kind} set"
        header = ["week", *(h for h, _c in WEEK_COLUMNS)]
        out.append((title, header, table_rows(section, WEEK_COLUMNS)))
        if kind == "nota":
            header = ["week", *(h for h, _c in NOTA_COLUMNS)]
            out.append(("None of the above (nota set)", header, table_rows(section, NOTA_COLUMNS)))
    out.append(("Reference figures", ["system", "measured on", "correct"], _reference_rows()))
    return out


def render_markdown(
    report: Mapping[str, Any], images: Mapping[str, Path], compare: Sequence[Mapping[str, Any]]
) -> str:
    """Markdown report; the charts are linked by file name, next to the report."""
    lines = ["# NewsQA on RealTime QA", "", "## Configuration", ""]
    config = {**(report.get("config") or {}), "elapsed_s": report.get("elapsed_s")}
    lines += [f"- **{md_cell(str(k))}**: {md_cell(fmt(v, 1))}" for k, v in config.items()]
    for title, header, rows in _sections(report):
        lines += ["", f"## {title}", "", *md_table(header, rows)]
        if title == "Reference figures":
            lines += ["", md_cell(REFERENCE_NOTE)]
    lines += ["", *(f"![{n}]({p.name})" for n, p in images.items() if n != "compare")]
    if compare:
        header = ["configuration", *(h for h, _c in COMPARE_COLUMNS)]
        lines += ["", "## Comparison", "", *md_table(header, _compare_rows(compare))]
        lines += ["", f"![comparison]({images['compare'].name})"]
    wrong = _misses(report.get("records") or [])
    lines += ["", f"## Misses with the right choice in the articles ({len(wrong)})", ""]
    for r in wrong:
        lines += [
            f"- **{md_cell(str(r['id']))}** {md_cell(str(r['question']))}",
            f"  - right: {md_cell(' / '.join(r['right']))}",
            f"  - choices: {md_cell('; '.join(r['choices']))}",
            f"  - answered: {md_cell(_answered(r))}",
        ]
    return "\n".join(lines) + "\n"


def render_html(
    report: Mapping[str, Any], images: Mapping[str, Path], compare: Sequence[Mapping[str, Any]]
) -> str:
    """Stand-alone HTML report (charts inlined, every text escaped)."""
    config = {**(report.get("config") or {}), "elapsed_s": report.get("elapsed_s")}
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>NewsQA on RealTime QA</title>',
        f"<style>{CSS}</style></head><body>",
        "<h1>NewsQA on RealTime QA</h1>",
        "<h2>Configuration</h2>",
        html_table(["setting", "value"], [(str(k), fmt(v, 1)) for k, v in config.items()]),
    ]
    for title, header, rows in _sections(report):
        parts += [f"<h2>{html.escape(title)}</h2>", html_table(header, rows)]
        if title == "Reference figures":
            parts.append(f"<p>{html.escape(REFERENCE_NOTE)}</p>")
    parts += [img_tag(n, p) for n, p in images.items() if n != "compare"]
    if compare:
        header = ["configuration", *(h for h, _c in COMPARE_COLUMNS)]
        parts += ["<h2>Comparison</h2>", html_table(header, _compare_rows(compare))]
        parts.append(img_tag("comparison", images["compare"]))
    wrong = _misses(report.get("records") or [])
    parts.append(f"<h2>Misses with the right choice in the articles ({len(wrong)})</h2><ul>")
    for r in wrong:
        parts.append(
            f'<li><span class="q">{html.escape(str(r["id"]))}</span> '
            f"{html.escape(str(r['question']))}<br>right: {html.escape(' / '.join(r['right']))}"
            f"; choices: {html.escape('; '.join(r['choices']))}"
            f"<br>answered: {html.escape(_answered(r))}</li>"
        )
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


def write_realtimeqa_report(
    report: dict[str, Any], out_dir: Path, compare: list[dict[str, Any]] | None = None
) -> dict[str, Path]:
    """Write ``report.json``, ``report.md``, ``report.html`` and the charts into ``out_dir``.

    Args:
        report: ``{"config", "weeks", "metrics", "records", "elapsed_s"}`` of one run;
            ``metrics`` is ``realtimeqa_metrics.summarise`` of the records.
        out_dir: created if missing.
        compare: ``{"name", "config", "metrics"}`` per configuration, for ``--compare``.

    Returns:
        Paths by name: ``json``, ``md``, ``html``, ``weekly``, ``latency_hist``,
        ``coverage`` and, with ``compare``, ``compare``.
    """
    metrics = report.get("metrics") or {}
    first = _first_set(metrics)
    by_week = metrics[first]["by_week"] if first else {}
    records = report.get("records") or []
    payload: dict[str, Any] = {
        "benchmark": "realtimeqa",
        **report,
        "reference": {"note": REFERENCE_NOTE, "figures": list(REFERENCE)},
    }
    drawers: dict[str, Callable[[Path], Path]] = {
        "weekly": lambda p: plots.plot_weekly(by_week, p, references=REFERENCE_LINES),
        "latency_hist": lambda p: plots.plot_latency_hist(records, p),
    }
    from eval.abstention import coverage_curve

    payload["coverage_curve"] = coverage_curve(records)
    drawers["coverage"] = lambda p: plots.plot_coverage({"qa set": payload["coverage_curve"]}, p)
    if compare is not None:
        payload["compare"] = compare
        flat = [
            {"name": e["name"], "metrics": e["metrics"][first]["overall"] if first else {}}
            for e in compare
        ]
        drawers["compare"] = lambda p: plots.plot_compare(flat, p, shares=COMPARE_SHARES)
    return save_report(
        Path(out_dir),
        payload,
        drawers,
        lambda images: render_markdown(report, images, compare or []),
        lambda images: render_html(report, images, compare or []),
    )
