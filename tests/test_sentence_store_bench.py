"""``python -m benchmarks.sentence_store`` end to end on a made week of the bundled articles.

No speed is asserted (speed belongs to the benchmark's output): the test checks that both
ingests and both ways of answering are measured, and that reading the kept vectors changed
no answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WEEK = "20250905"


def _made_week(folder: Path) -> None:
    """The bundled articles as one week's search results, and two of its questions."""
    results = []
    for i, path in enumerate(sorted((ROOT / "data" / "articles").glob("*.txt"))):
        results.append(
            {
                "url": f"https://news.example.org/{i}",
                "title": path.stem,
                "text": path.read_text(encoding="utf-8"),
                "publish_date": "2025/09/03",
                "authors": [],
            }
        )
    assert len(results) == 5
    questions = [
        ("Who is the spokesperson of the Chinese foreign ministry?", ["Mao Ning", "Wang Yi"]),
        ("Which city hosted the Xi-Putin summit?", ["Beijing", "Moscow"]),
    ]
    folder.mkdir(parents=True)
    lines = {
        f"{WEEK}_qa.jsonl": [
            {
                "question_id": f"{WEEK}_{i}",
                "question_date": "2025/09/05",
                "question_sentence": q,
                "choices": c,
                "answer": ["0"],
            }
            for i, (q, c) in enumerate(questions)
        ],
        f"{WEEK}_gcs.jsonl": [
            {"question_id": f"{WEEK}_{i}", "search_result": results if i == 0 else []}
            for i in range(len(questions))
        ],
    }
    for name, rows in lines.items():
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_sentence_store_bench_measures_both_ways(tmp_path: Path) -> None:
    from benchmarks.sentence_store import main

    source = tmp_path / "weeks"
    _made_week(source)
    out = tmp_path / "out" / "sentences.md"
    assert main(["--source", str(source), "--weeks", WEEK, "--out", str(out)]) == 0
    (row,) = json.loads(out.with_suffix(".json").read_text())
    off, on = row["ingest_off"], row["ingest_on"]
    assert off["articles"] == on["articles"] == 5 and off["chunks"] == on["chunks"] > 0
    assert "sentences" not in off["stages"] and on["stages"]["sentences"] > 0
    assert off["stored"] == 0 and on["stored"] > on["chunks"] and on["disk_mb"] > 0
    assert row["questions"] == 2 and row["answers_differ"] == 0
    for name in ("ask_stored_ms", "ask_embedded_ms"):
        assert 0 < row[name]["p50"] <= row[name]["p95"] <= row[name]["max"]
    text = out.read_text()
    assert text.startswith(
        "# Sentence vectors kept at ingest\n\n`python -m benchmarks.sentence_store"
    )
    assert f"| {WEEK} | {on['chunks']} |" in text and "| 0 of 2 |" in text
