"""The ``newsqa`` command line: output shapes, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rag.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No NEWSQA_* settings leak in from the developer's shell."""
    for name in list(os.environ):
        if name.startswith("NEWSQA_"):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def model_env(cli_env: pytest.MonkeyPatch, embedder: Any) -> pytest.MonkeyPatch:
    """``cli_env``, and every Assistant the CLI builds gets the session's loaded model."""
    cli_env.setattr("rag.assistant.Embedder", lambda *args, **kwargs: embedder)
    return cli_env


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit code, what went to ``out``, what went to stderr)."""
    capsys.readouterr()
    out = io.StringIO()
    code = main(argv, out=out)
    captured = capsys.readouterr()
    return code, out.getvalue() + captured.out, captured.err


def assert_one_error_line(code: int, err: str, expected: str) -> None:
    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("newsqa: error: ")
    assert expected in lines[0]


@pytest.mark.slow
def test_ask_json(assistant: Any, model_env: pytest.MonkeyPatch, capsys: Any) -> None:
    home = str(assistant.settings.home)
    model_env.setenv("NEWSQA_HOME", home)
    code, out, err = run(
        ["--home", home, "ask", "--json", "When", "did", "Kim", "last", "visit", "China?"], capsys
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {"answer", "abstained", "citations"} <= set(data)
    assert data["question"] == "When did Kim last visit China?"
    assert data["abstained"] is False
    assert "September 2025" in data["answer"]
    assert data["citations"]
    for c in data["citations"]:
        assert {"doc_id", "title", "published", "text", "score"} <= set(c)
        assert isinstance(c["score"], float)
        assert c["sentence"] in c["text"]
    assert "000_075620075a1fb010" in {c["doc_id"] for c in data["citations"]}


@pytest.mark.slow
def test_ask_plain_text_lists_sources(assistant: Any, model_env: Any, capsys: Any) -> None:
    home = str(assistant.settings.home)
    model_env.setenv("NEWSQA_HOME", home)
    code, out, err = run(["ask", "What is the capital of Australia?"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "The articles do not say. The closest passages are listed below."
    assert "Closest passages:" in lines
    assert [ln for ln in lines if ln.startswith("[1] ")]


@pytest.mark.slow
def test_articles_and_timeline_json(assistant: Any, model_env: Any, capsys: Any) -> None:
    home = str(assistant.settings.home)
    code, out, err = run(["--home", home, "articles", "--json"], capsys)
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert sorted(r["doc_id"] for r in rows) == sorted(p.stem for p in ARTICLES.glob("*.txt"))
    code, out, err = run(["--home", home, "timeline", "--json", "Putin meetings with Kim"], capsys)
    assert (code, err) == (0, "")
    dates = [row["date"] for row in json.loads(out)]
    assert dates.index("2023-09-13") < dates.index("2024-06-19")


@pytest.mark.slow
def test_ingest_twice(tmp_path: Path, model_env: Any, capsys: Any) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLES / "004_6c2af2daa34679c7.txt", folder)
    home = tmp_path / "home"
    model_env.setenv("NEWSQA_HOME", str(home))
    code, out, err = run(["--home", str(home), "ingest", str(folder)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("added 1, updated 0, unchanged 0, skipped 0, removed 0 (")
    code, out, err = run(["--home", str(home), "ingest", str(folder)], capsys)
    assert (code, err) == (0, "")
    assert out == (
        "added 0, updated 0, unchanged 1, skipped 0, removed 0 (0 chunks written, 0 removed)\n"
    )
    code, out, err = run(["--home", str(home), "ingest", "--json", str(folder)], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)["unchanged"] == 1


def test_empty_question(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    cli_env.setenv("NEWSQA_HOME", str(tmp_path))
    code, out, err = run(["--home", str(tmp_path), "ask", ""], capsys)
    assert out == ""
    assert_one_error_line(code, err, "the question is empty")


def test_too_long_question(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    code, out, err = run(["--home", str(tmp_path), "ask", "x" * 100_000], capsys)
    assert out == ""
    assert_one_error_line(code, err, "the question is 100,000 characters long; the limit is 2,000")


def test_unknown_retriever_from_environment(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    cli_env.setenv("NEWSQA_HOME", str(tmp_path))
    cli_env.setenv("NEWSQA_RETRIEVER", "magic")
    code, out, err = run(["ask", "Who is Mao Ning?"], capsys)
    assert out == ""
    assert_one_error_line(code, err, "unknown retriever 'magic'")


def test_remove_unknown_article(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    code, out, err = run(["--home", str(tmp_path), "remove", "nope"], capsys)
    assert out == ""
    assert_one_error_line(code, err, "no indexed article has the id 'nope'")


def test_missing_path_fails_and_names_it(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    missing = tmp_path / "no-such-folder"
    code, out, err = run(["--home", str(tmp_path / "home"), "ingest", str(missing)], capsys)
    assert code == 1
    assert "Traceback" not in out + err
    assert f"{missing}: no such file or folder" in out + err


def test_binary_file_fails_and_names_it(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 8)
    code, out, err = run(["--home", str(tmp_path / "home"), "ingest", str(path)], capsys)
    assert code == 1
    assert "Traceback" not in out + err
    assert f"{path}: binary data, not text" in out + err


def test_missing_path_error_line_on_stderr(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    missing = tmp_path / "no-such-folder"
    code, _, err = run(["--home", str(tmp_path / "home"), "ingest", str(missing)], capsys)
    assert_one_error_line(code, err, str(missing))


def test_unreadable_file_error_line_on_stderr(tmp_path: Path, cli_env: Any, capsys: Any) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 8)  # tests run as root: chmod 000 would not stop us
    code, _, err = run(["--home", str(tmp_path / "home"), "ingest", str(path)], capsys)
    assert_one_error_line(code, err, str(path))


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSQA_")}
    env.update(NEWSQA_HOME=str(tmp_path), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return env


def test_console_script_error_is_one_line(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "newsqa"
    assert script.is_file()
    proc = subprocess.run(
        [str(script), "--home", str(tmp_path), "ask", "   "],
        capture_output=True,
        text=True,
        env=_clean_env(tmp_path),
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "newsqa: error: the question is empty; type a question about the articles\n"
    )


def test_module_entry_point_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rag.cli", "--home", str(tmp_path), "frobnicate"],
        capture_output=True,
        text=True,
        env=_clean_env(tmp_path),
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "invalid choice: 'frobnicate'" in proc.stderr
