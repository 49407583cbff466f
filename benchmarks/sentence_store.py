"""What keeping sentence vectors at ingest costs and saves, on real news weeks.

Why real weeks: ``newsqa bench`` builds its large corpora from a small vocabulary, so their
sentences and phrases repeat far more than real articles' do and the store looks cheaper
there than it is. Per RealTime QA week, in the same run: the week ingested into a fresh
index with ``sentence_vectors`` off (the anchor) and on (stages, seconds, stored texts,
disk), then every ``qa`` question of the week asked cold (embedding LRU cleared, ``as_of``
its date) on that index with the store read and with it ignored: p50/p95/max ms, and how
many answers differ (it must be none: a stored vector is the computed one).

    python -m benchmarks.sentence_store --source ../shared/eval/realtimeqa-train \\
        --weeks 20250627 [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench import percentile


def _ingest(path: Path, home: Path, on: bool, shared: Any) -> tuple[Any, dict[str, Any]]:
    from rag.assistant import Assistant
    from rag.settings import Settings

    settings = Settings.load(home=home, environ={}, bundled_on_first_use=False, sentence_vectors=on)
    assistant = Assistant(settings)
    if shared is not None:
        assistant.embedder = shared
    report = assistant.ingest([path])
    disk = sum(f.stat().st_size for f in home.glob("sentences.sqlite*"))
    return assistant, {
        "articles": report.added,
        "chunks": report.chunks_added,
        "seconds": report.timings["total"],
        "stages": {k: round(v, 1) for k, v in report.timings.items() if k != "total"},
        "stored": len(assistant.index.sentences) if on else 0,
        "disk_mb": disk / 2**20,
        "chroma_mb": sum(f.stat().st_size for f in (home / "chroma").rglob("*") if f.is_file())
        / 2**20,
    }


def _ask_all(assistant: Any, questions: Sequence[Any]) -> tuple[list[float], list[Any]]:
    from eval.realtimeqa_week import ask

    assistant.ask("Who won the election?")  # warm code paths, not these questions
    times, answers = [], []
    for q in questions:
        assistant.embedder.clear_cache()
        start = time.perf_counter()
        answer = ask(assistant, q.sentence, q.date)
        times.append(1000 * (time.perf_counter() - start))
        answers.append((answer.text, answer.short, answer.abstained))
    return times, answers


def measure_week(source: Path, week: str, work: Path) -> dict[str, Any]:
    """Both ingests and both ways of answering for one week."""
    from eval.realtimeqa_data import load_pool, load_questions, write_articles
    from rag.assistant import Assistant

    pool = load_pool(source, week)
    path = write_articles(pool.articles, work / week / "articles.jsonl")
    questions = load_questions(source, week, "qa")
    plain, off = _ingest(path, work / week / "off", False, None)
    stored, on = _ingest(path, work / week / "on", True, plain.embedder)
    t_on, a_on = _ask_all(stored, questions)
    ignoring = Assistant(stored.settings.replace(sentence_vectors=False))
    ignoring.embedder = stored.embedder
    t_off, a_off = _ask_all(ignoring, questions)

    def stats(times: list[float]) -> dict[str, float]:
        return {"p50": percentile(times, 50), "p95": percentile(times, 95), "max": max(times)}

    return {
        "week": week,
        "ingest_off": off,
        "ingest_on": on,
        "questions": len(questions),
        "ask_stored_ms": stats(t_on),
        "ask_embedded_ms": stats(t_off),
        "answers_differ": sum(x != y for x, y in zip(a_on, a_off, strict=True)),
    }


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| week | chunks | ingest s: off / on (sentences stage) | stored texts | disk MB "
        "(Chroma) | ask p50 / p95 / max ms: stored | embedded when asked | answers differ |",
        "|---|---:|---|---:|---|---|---|---|",
    ]
    for r in rows:
        off, on, s, e = r["ingest_off"], r["ingest_on"], r["ask_stored_ms"], r["ask_embedded_ms"]
        lines.append(
            f"| {r['week']} | {on['chunks']} | {off['seconds']:.0f} / {on['seconds']:.0f} "
            f"({on['stages'].get('sentences', 0):.0f}) | {on['stored']} "
            f"| {on['disk_mb']:.0f} ({on['chroma_mb']:.0f}) "
            f"| {s['p50']:.0f} / {s['p95']:.0f} / {s['max']:.0f} "
            f"| {e['p50']:.0f} / {e['p95']:.0f} / {e['max']:.0f} "
            f"| {r['answers_differ']} of {r['questions']} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="a realtimeqa folder")
    parser.add_argument("--weeks", required=True, help="comma-separated weeks (YYYYMMDD)")
    parser.add_argument("--out", type=Path, help="write the table (and .json beside it)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsqa-sentences-") as tmp:
        for week in args.weeks.split(","):
            rows.append(measure_week(args.source, week.strip(), Path(tmp)))
            print(format_table(rows[-1:]), flush=True)
    table = format_table(rows)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        command = "python -m benchmarks.sentence_store " + " ".join(
            sys.argv[1:] if argv is None else argv
        )
        args.out.write_text(
            f"# Sentence vectors kept at ingest\n\n`{command}`\n\n{table}\n", encoding="utf-8"
        )
        args.out.with_suffix(".json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
