"""Report writer tests: files, JSON round trip, PNG validity, HTML escaping, comparison."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from eval.metrics import aggregate, score_record
from eval.report import format_summary_table, write_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TRICKY_QUESTION = 'Did <b>Xi</b> & Putin say "no" to a <script>alert(1)</script>?'


def _records() -> list[dict[str, Any]]:
    raw = [
        {
            "id": "t1", "question": TRICKY_QUESTION, "kind": "factoid", "answerable": True,
            "answers": ["no"], "sources": ["A"], "evidence": ["no joint statement"],
            "answer": "They issued a statement <i>together</i> [1].", "abstained": False,
            "answerer": "extractive", "fallback_reason": None,
            "citations": [{"index": 1, "doc_id": "A", "title": "T", "published": "2022-09-16",
                           "text": "There was no joint statement.", "score": 0.9,
                           "sentence": None}],
            "retrieved": [{"doc_id": "A", "chunk_id": "A#0", "text": "no joint statement",
                           "score": 0.9}],
            "latency_ms": 120.0, "retrieve_ms": 20.0, "answer_ms": 100.0,
        },
        {
            "id": "t2", "question": "Where did they meet?", "kind": "temporal", "answerable": True,
            "answers": ["Samarkand"], "sources": ["A"], "evidence": ["Samarkand"],
            "answer": "In Samarkand [1].", "abstained": False, "answerer": "extractive",
            "fallback_reason": None,
            "citations": [{"index": 1, "doc_id": "A", "title": "T", "published": None,
                           "text": "They met in Samarkand.", "score": 0.8, "sentence": None}],
            "retrieved": [{"doc_id": "B", "chunk_id": "B#0", "text": "x", "score": 0.9},
                          {"doc_id": "A", "chunk_id": "A#1", "text": "Samarkand", "score": 0.8}],
            "latency_ms": 80.0, "retrieve_ms": 10.0, "answer_ms": 70.0,
        },
        {
            "id": "t3", "question": "What is the capital of Australia?", "kind": "unanswerable",
            "answerable": False, "answers": [], "sources": [], "evidence": [],
            "answer": "The articles do not say.", "abstained": True, "answerer": "extractive",
            "fallback_reason": None, "citations": [], "retrieved": [],
            "latency_ms": 50.0, "retrieve_ms": 10.0, "answer_ms": 40.0,
        },
    ]  # fmt: skip
    return [{**r, **score_record(r)} for r in raw]


def _report() -> dict[str, Any]:
    records = _records()
    return {
        "config": {"retriever": "hybrid", "k": 5, "answerer": "extractive"},
        "metrics": aggregate(records),
        "records": records,
    }


def _assert_png(path: Path) -> None:
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 50 and image.shape[1] > 50


def test_write_report_files(tmp_path: Path) -> None:
    report = _report()
    paths = write_report(report, tmp_path / "out")
    assert set(paths) == {
        "json",
        "md",
        "html",
        "accuracy_by_kind",
        "hit_at_k",
        "latency_hist",
        "coverage",
    }
    for path in paths.values():
        assert path.exists() and path.parent == tmp_path / "out"
    saved = json.loads(paths["json"].read_text(encoding="utf-8"))
    curve = saved.pop("coverage_curve")
    assert saved == json.loads(json.dumps(report))
    assert curve[0]["coverage"] == 0.0 and len(curve) == 21
    for name in ("accuracy_by_kind", "hit_at_k", "latency_hist", "coverage"):
        _assert_png(paths[name])
    assert not (tmp_path / "out" / "compare.png").exists()


def test_html_is_escaped_and_self_contained(tmp_path: Path) -> None:
    text = write_report(_report(), tmp_path)["html"].read_text(encoding="utf-8")
    assert html.escape(TRICKY_QUESTION) in text
    assert "<script>alert(1)</script>" not in text
    assert html.escape("They issued a statement <i>together</i> [1].") in text
    assert text.count('src="data:image/png;base64,') == 4
    assert 'src="accuracy_by_kind.png"' not in text


def test_markdown_lists_misses_and_links_images(tmp_path: Path) -> None:
    text = write_report(_report(), tmp_path)["md"].read_text(encoding="utf-8")
    for name in ("accuracy_by_kind", "hit_at_k", "latency_hist"):
        assert f"]({name}.png)" in text
    assert "## Misses (1)" in text  # only t1 ("no" is not in the answer)
    assert "expected: no" in text
    assert "answered: They issued a statement &lt;i&gt;together&lt;/i&gt; [1]." in text
    assert "<script>" not in text
    assert "| accuracy | 0.667 |" in text
    assert "| temporal | 1 | 1.000 |" in text


def test_compare(tmp_path: Path) -> None:
    report = _report()
    other = json.loads(json.dumps(report["metrics"]))  # string keys, as read back from disk
    other["accuracy"] = 0.2
    other["short_accuracy"] = 0.1
    compare = [
        {"name": "hybrid", "config": report["config"], "metrics": report["metrics"]},
        {"name": "bm25", "config": {"retriever": "bm25"}, "metrics": other},
    ]
    paths = write_report(report, tmp_path, compare=compare)
    _assert_png(paths["compare"])
    saved = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert saved["compare"] == json.loads(json.dumps(compare))
    md = paths["md"].read_text(encoding="utf-8")
    assert "| bm25 | 0.200 | 0.100 | 1.000 |" in md
    page = paths["html"].read_text(encoding="utf-8")
    assert "<h2>Comparison</h2>" in page and "<td>bm25</td>" in page
    assert page.count('src="data:image/png;base64,') == 5


def test_empty_report(tmp_path: Path) -> None:
    report = {"config": {}, "metrics": aggregate([]), "records": []}
    paths = write_report(report, tmp_path)
    for name in ("accuracy_by_kind", "hit_at_k", "latency_hist"):
        _assert_png(paths[name])
    assert "## Misses (0)" in paths["md"].read_text(encoding="utf-8")


def test_format_summary_table() -> None:
    table = format_summary_table(_report()["metrics"])
    lines = table.splitlines()
    assert lines[0].split() == ["metric", "value"]
    assert set(lines[1]) == {"-"}
    assert any(line.split() == ["accuracy", "0.667"] for line in lines)
    assert any(line.split() == ["hit@1", "0.500"] for line in lines)
    assert any(line.split() == ["latency", "p95", "(ms)", "116.0"] for line in lines)
    assert any(line.split() == ["accuracy", "[unanswerable]", "1.000"] for line in lines)
    assert "n/a" in format_summary_table(aggregate([]))


def test_plots_do_not_import_matplotlib_at_module_import() -> None:
    import subprocess
    import sys

    code = "import sys, eval.report, eval.plots; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("bad_compare", [[], None])
def test_no_compare_png_without_entries(tmp_path: Path, bad_compare: Any) -> None:
    paths = write_report(_report(), tmp_path, compare=bad_compare)
    assert "compare" not in paths
