"""``newsqa train-abstention``: fit the learned abstention policy and report both splits.

Asks RealTime QA (the ``qa`` set of every week in ``--source``) and the project question set
with the ``never`` policy, turns the records into ``eval.abstention.Row``s, fits the model
on the training split, chooses its threshold on the threshold split, writes the model JSON
(``--model``, by default ``model.json`` in ``--out``; the shipped one is
``rag/answer/abstention_model.json``) and a report with
both splits' figures and accuracy-coverage curves. ``--rows`` refits from the rows a
previous run saved, without asking again.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from eval import plots
from eval.abstention import (
    THRESHOLD,
    TRAIN,
    Row,
    choose_threshold,
    confidences,
    curve,
    fit,
    outcome,
    project_row,
    realtimeqa_row,
    repeated_ids,
)
from eval.report import md_table, save_report
from rag.answer.abstention import LogisticAbstention, RulesAbstention
from rag.errors import ConfigError
from rag.settings import Settings


def collect(args: argparse.Namespace, settings: Settings) -> list[Row]:
    """Ask both benchmarks with the ``never`` policy and label every draft."""
    from eval.dataset import load_dataset
    from eval.realtimeqa import embedding_cache, run_weeks
    from eval.realtimeqa_data import find_weeks, load_questions
    from eval.runner import run_eval
    from rag.assistant import Assistant

    # The signal model decides for drafts the learned reader does not: fit it on hand drafts.
    never = settings.replace(abstention="never", answerer="extractive", reader="rules")
    config = {"retriever": settings.retriever, "answerer": "extractive", "k": settings.k}
    rows: list[Row] = []
    if args.source:
        source = Path(args.source).expanduser()
        weeks = find_weeks(source, None)
        questions = {w: load_questions(source, w, "qa", None) for w in weeks}
        rtqa = never.replace(embedding_cache=embedding_cache(settings))
        _infos, records = run_weeks(source, questions, rtqa, [config], not args.no_progress)
        rows += [realtimeqa_row(r) for r in records[0]]
    assistant = Assistant(never) if args.dataset else None
    for dataset in args.dataset or ():
        try:
            items = load_dataset(dataset)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read dataset {dataset}: {exc}") from None
        run = run_eval(assistant, items, config)
        rows += [project_row(r) for r in run["records"]]
    return rows


def train(
    rows: Sequence[Row], c: float = 0.3, min_score: float = 0.5
) -> tuple[LogisticAbstention, dict[str, Any]]:
    """Fit on the training split, choose the threshold on the other; figures for both."""
    training = [r for r in rows if r.split == TRAIN]
    held = [r for r in rows if r.split == THRESHOLD]
    if not training or not held:
        raise ConfigError("both splits need questions: give --source and --dataset")
    model = fit(training, c)
    model.threshold = choose_threshold(confidences(model, held), confidences(model, training))
    rules = RulesAbstention(min_score)
    figures: dict[str, Any] = {"threshold": model.threshold, "splits": {}}
    for split, part in ((TRAIN, training), (THRESHOLD, held)):
        for bench in ("realtimeqa", "project", "all"):
            chosen = [r for r in part if bench in ("all", r.benchmark)]
            if not chosen:
                continue
            scored = confidences(model, chosen)
            figures["splits"][f"{split}/{bench}"] = {
                "learned": outcome(scored, model.threshold),
                "rules": outcome(confidences(rules, chosen), rules.threshold),
                "never": outcome(scored, -1.0),
                "curve": curve(scored),
            }
    return model, figures


def render_markdown(figures: dict[str, Any], model: LogisticAbstention, images: Any) -> str:
    header = ["split", "policy", "questions", "answered", "accuracy", "precision"]
    header += ["decision accuracy", "abstention recall"]
    rows = []
    for name, entry in figures["splits"].items():
        for policy in ("learned", "rules", "never"):
            o = entry[policy]
            rows.append(
                [name, policy, str(o["questions"])]
                + [_fmt(o[k]) for k in ("coverage", "accuracy", "precision")]
                + [_fmt(o[k]) for k in ("decision_accuracy", "abstention_recall")]
            )
    weights = [[f, f"{w:+.3f}"] for f, w in zip(model.features, model.weights)]
    lines = [
        "# Learned abstention",
        "",
        f"Threshold (chosen on the threshold split): **{model.threshold}**; "
        f"the answer ranker's P floor: **{model.p_floor}**",
        "",
        *md_table(header, rows),
        "",
        "Weights (on standardised signals):",
        "",
        *md_table(["signal", "weight"], weights),
        "",
        *(f"![{n}]({p.name})" for n, p in images.items()),
    ]
    return "\n".join(lines) + "\n"


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The ``newsqa train-abstention`` command."""
    out_dir = Path(args.out)
    if not args.rows and not args.source and not args.dataset:
        raise ConfigError("give --source (RealTime QA) and --dataset, or --rows")
    rows: list[Row] = []
    if args.rows:
        # e.g. the drafts ``newsqa train-reader`` cached for the realtimeqa-train weeks
        try:
            data = json.loads(Path(args.rows).read_text(encoding="utf-8"))
            rows = [Row(**r) for r in data]
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigError(f"cannot read rows {args.rows}: {exc}") from None
    if args.source or args.dataset:
        rows += collect(args, settings)
    twice = repeated_ids(rows)
    if twice:
        # The split hashes the id: a question asked twice would weigh twice in one split.
        raise ConfigError(f"question ids repeat across the rows: {', '.join(twice[:5])}")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "rows.json").write_text(
        json.dumps([asdict(r) for r in rows], indent=1) + "\n", encoding="utf-8"
    )
    model, figures = train(rows, args.c, settings.min_answer_score)
    if args.p_floor is not None:
        model = LogisticAbstention(
            model.weights,
            model.means,
            model.scales,
            model.bias,
            model.threshold,
            model.features,
            p_floor=args.p_floor,
        )
    model_path = Path(args.model) if args.model else out_dir / "model.json"
    model_path.parent.mkdir(parents=True, exist_ok=True)
    weeks = sorted(
        {r.id.split("/", 1)[1].split("_", 1)[0] for r in rows if r.benchmark == "realtimeqa"}
    )
    meta = {
        "command": "newsqa train-abstention " + " ".join(sys.argv[2:]),
        "realtimeqa_weeks": weeks,
        "splits": "train: RealTime QA weeks before 2025 and half of the project sets' questions; "
        "threshold: 2025 weeks and the other half (eval.abstention.realtimeqa_split, "
        "project_split); each benchmark weighs the same",
        "rows": {split: sum(1 for r in rows if r.split == split) for split in (TRAIN, THRESHOLD)},
    }
    saved = {**model.to_dict(), "meta": meta}
    model_path.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    curves = {name: entry["curve"] for name, entry in figures["splits"].items()}
    payload = {"model": model.to_dict(), "figures": figures, "rows": len(rows)}
    markdown = lambda images: render_markdown(figures, model, images)  # noqa: E731
    paths = save_report(
        out_dir,
        payload,
        {"coverage": lambda p: plots.plot_coverage(curves, p)},
        markdown,
        lambda images: "<pre>" + html.escape(markdown(images)) + "</pre>\n",
    )
    out.write(render_markdown(figures, model, {}))
    out.write(f"\nmodel: {model_path}\nreport: {paths['md']}\n")
    return 0
