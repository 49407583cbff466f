"""Client/server mode: a real ``chroma run`` on loopback, used through NEWSQA_CHROMA_URL."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import free_port

from rag.assistant import Assistant
from rag.settings import BUNDLED_ARTICLES, Settings

pytestmark = pytest.mark.slow

CHROMA = Path(sys.executable).with_name("chroma")


def wait_listening(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"chroma server did not listen on {port}")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma server command is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [
            str(CHROMA if CHROMA.exists() else "chroma"),
            "run",
            "--path",
            str(data),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_listening(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ingest_and_ask_through_a_chroma_server(
    chroma_url: str, tmp_path: Path, embedder: object
) -> None:
    settings = Settings.load(home=tmp_path, chroma_url=chroma_url, environ={})
    assistant = Assistant(settings)
    assistant.embedder = embedder  # type: ignore[assignment]
    report = assistant.ingest([BUNDLED_ARTICLES])
    assert (report.added, report.skipped) == (5, 0)
    assert not (tmp_path / "chroma").exists()  # nothing written to an embedded store
    assert assistant.index.store.search_ef == 1000  # made empty by NewsQA: the default
    answer = assistant.ask("Who is Mao Ning?")
    assert not answer.abstained
    assert "Mao Ning" in answer.text
    assert {c.doc_id for c in answer.citations} <= {"001_8bacbee5ccb4060f", "003_856a94d7b1fc46ae"}

    # A second client (another machine, in production) sees the same index and
    # rebuilds its BM25 side from the server when it has none.
    other_home = tmp_path / "other"
    other = Assistant(Settings.load(home=other_home, chroma_url=chroma_url, environ={}))
    other.embedder = embedder  # type: ignore[assignment]
    assert other.ingest([BUNDLED_ARTICLES]).unchanged == 5
    assert sorted(other.index.bm25.ids) == sorted(assistant.index.bm25.ids)
    assert "Mao Ning" in other.ask("Who is Mao Ning?", retriever="bm25").text

    # A server's collection that holds chunks keeps its breadth: readers with other
    # settings do not reset it under each other.
    narrow = Settings.load(
        home=tmp_path / "narrow", chroma_url=chroma_url, environ={}, search_ef=300
    )
    assert Assistant(narrow).index.store.search_ef == 1000


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    from rag.errors import StoreError

    settings = Settings.load(
        home=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}", environ={}
    )
    with pytest.raises(StoreError, match="cannot open the Chroma store"):
        Assistant(settings).articles()
