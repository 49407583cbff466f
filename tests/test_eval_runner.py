"""End to end: the eval harness runs dev.jsonl through the real assistant and reports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from eval.compare import compare_configs, compare_entries, config_label, parse_compare
from eval.dataset import load_dataset
from eval.metrics import aggregate
from eval.report import write_report
from eval.runner import run_eval
from rag.cli import main
from rag.errors import ConfigError

pytestmark = pytest.mark.slow

DEV = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "dev.jsonl"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def dev_report(assistant: Any) -> dict[str, Any]:
    items = load_dataset(DEV)
    return run_eval(assistant, items, {"retriever": "hybrid", "answerer": "extractive", "k": 6})


def test_records_hold_what_the_report_promises(dev_report: dict[str, Any]) -> None:
    records = dev_report["records"]
    assert len(records) == 16
    for r in records:
        for key in ("id", "question", "kind", "answer", "abstained", "citations", "retrieved",
                    "correct", "latency_ms"):  # fmt: skip
            assert key in r, key
        for c in r["citations"]:
            assert {"doc_id", "title", "published", "text", "score"} <= set(c)
        for p in r["retrieved"]:
            assert {"doc_id", "chunk_id"} <= set(p)
        assert r["latency_ms"] > 0


def test_metrics_agree_with_the_records(dev_report: dict[str, Any]) -> None:
    records, metrics = dev_report["records"], dev_report["metrics"]
    assert metrics["n"] == len(records)
    assert metrics["accuracy"] == pytest.approx(sum(r["correct"] for r in records) / len(records))
    assert metrics == aggregate(records)
    unanswerable = [r for r in records if not r["answerable"]]
    recalled = sum(r["abstained"] for r in unanswerable) / len(unanswerable)
    assert metrics["abstention_recall"] == pytest.approx(recalled)
    # The bar for the core: at least 13 of the 16 development questions.
    assert sum(r["correct"] for r in records) >= 13


def test_report_files_and_plots(dev_report: dict[str, Any], tmp_path: Path) -> None:
    paths = write_report(dev_report, tmp_path)
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["metrics"]["accuracy"] == dev_report["metrics"]["accuracy"]
    assert len(saved["records"]) == 16
    for name in ("accuracy_by_kind", "hit_at_k", "latency_hist"):
        assert paths[name].read_bytes().startswith(PNG)
    html = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64," in html
    missed = [r for r in dev_report["records"] if not r["correct"]]
    assert f"Misses ({len(missed)})" in html
    assert all(r["question"] in html for r in missed)
    assert "accuracy_by_kind.png" in (tmp_path / "report.md").read_text()


def test_cli_eval_with_compare(assistant: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    code = main(
        ["--home", str(assistant.settings.home), "eval", "--dataset", str(DEV),
         "--out", str(tmp_path), "--compare", "retriever=bm25,hybrid", "--no-progress"],
        out=out,
    )  # fmt: skip
    assert code == 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert [c["name"] for c in report["compare"]] == ["retriever=bm25", "retriever=hybrid"]
    assert (tmp_path / "compare.png").read_bytes().startswith(PNG)
    assert "retriever=bm25" in out.getvalue() and "accuracy" in out.getvalue()


def test_compare_spec_is_checked() -> None:
    assert parse_compare("k=3,6") == ("k", ["3", "6"])
    assert parse_compare(None) is None
    with pytest.raises(ConfigError, match="KEY=V1,V2"):
        parse_compare("speed=fast")


def test_compare_configs_entries_and_labels() -> None:
    base = {"retriever": "hybrid", "answerer": "extractive", "k": 6}
    assert compare_configs(None, base) == ([base], None)
    configs, key = compare_configs("k=3,6", base)
    assert (key, [c["k"] for c in configs]) == ("k", [3, 6])
    with pytest.raises(ConfigError, match="whole numbers"):
        compare_configs("k=three", base)
    runs = [{"config": c, "metrics": {"accuracy": 0.5}} for c in configs]
    assert compare_entries(runs, None) is None
    assert [e["name"] for e in compare_entries(runs, key) or []] == ["k=3", "k=6"]
    assert config_label(base) == "retriever=hybrid, answerer=extractive, k=6"
