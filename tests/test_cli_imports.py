"""What a command-line question imports: only what answering it needs.

Why a test of the import graph and not of the time: start-up time depends on the machine
and on what else runs on it (``benchmarks/cli_startup.py`` measures it), while importing
torch (~1.2 s, ~200 MB) or SciPy's integrators on the default path is a regression on any
machine. The question runs in a fresh process, as a user would run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Not on the default path: torch and transformers (the torch backend and the one-time ONNX
# export only), LangChain (``QAChain.runnable``, ``vectorstore.langchain_embeddings`` and the
# generative answerer only: the extractive CLI path streams the chain's own steps),
# langchain-chroma (``ChromaStore.vectorstore`` only), datasketch and
# SciPy (signing articles at ingest only), bm25s (building the keyword index: searching
# it is numpy, ``vectorstore.bm25_index.ScoreMatrix``), the upper layers.
NEVER_FOR_A_QUESTION = (
    "torch",
    "transformers",
    "sentence_transformers",
    "langchain_chroma",
    "langchain_core",
    "langsmith",
    "datasketch",
    "scipy",
    "bm25s",
    "sklearn",
    "spacy",
    "eval",
    "ui",
    "benchmarks",
    "gradio",
    "trafilatura",
)
PROBE = (
    "import io, json, sys\n"
    "from rag.cli import main\n"
    "out = io.StringIO()\n"
    "code = main(sys.argv[1:], out=out)\n"
    "print(json.dumps({'code': code, 'answer': out.getvalue(), 'modules': sorted(sys.modules)}))\n"
)


def _run(home: Path, *argv: str) -> dict[str, Any]:
    env = {**os.environ, "NEWSQA_HOME": str(home), "NEWSQA_EMBEDDING_BACKEND": "onnx"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.slow
def test_ask_with_the_onnx_backend_imports_no_torch(assistant: Any) -> None:
    home = assistant.settings.home
    question = "When did Kim last visit China?"
    _run(home, "ask", question)  # a first run may export the ONNX model (which needs torch)
    result = _run(home, "ask", question)
    assert result["code"] == 0
    assert "2 September 2025" in result["answer"]
    loaded = set(result["modules"])
    imported = [m for m in NEVER_FOR_A_QUESTION if m in loaded]
    assert not imported, f"`newsqa ask` imported {imported}"
    assert {"onnxruntime", "tokenizers", "chromadb", "vectorstore.bm25_index"} <= loaded


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import json, sys\nfrom rag.cli import build_parser\n"
        "build_parser()\nprint(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout))
    heavy = {"numpy", "langchain_core", "chromadb", "onnxruntime", "torch", "bm25s"}
    assert not heavy & loaded, heavy & loaded


def test_the_program_ends_one_shot_commands_with_their_output_and_code(tmp_path: Path) -> None:
    """``rag.cli.run`` (the ``newsqa`` program) skips the interpreter's tear-down after
    ``ask``/``timeline``/``articles``: what was printed must still arrive, and the exit
    code must be the command's."""
    env = {**os.environ, "NEWSQA_HOME": str(tmp_path / "home")}

    def newsqa(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "rag.cli", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    empty = newsqa("articles", "--json")  # one-shot, on an empty index
    assert (empty.returncode, json.loads(empty.stdout), empty.stderr) == (0, [], "")
    bad = newsqa("ask", "   ")  # one-shot, an error
    assert bad.returncode == 1
    assert (
        bad.stderr == "newsqa: error: the question is empty; type a question about the articles\n"
    )
    gone = newsqa("remove", "no-such-article")  # not one-shot: the normal exit
    assert gone.returncode == 1 and gone.stderr.startswith("newsqa: error: no indexed article")
