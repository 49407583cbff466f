"""The chat app end to end over HTTP, with ``gradio_client`` (nothing mocked).

One ``Assistant`` over a temporary index serves the whole module: the bundled articles
are indexed on the first question (~15-20 s on a small machine), so doing it once keeps
the module fast. Tests that change the collection use their own article files.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from servers import serve_app

from rag.assistant import Assistant
from rag.errors import ConfigError
from rag.settings import Settings
from ui.app import is_loopback, main, parse_auth
from ui.uploads import MAX_UPLOAD_BYTES, safe_name, save_uploads

# Gradio's own queue statistics trip pandas deprecation warnings; they are not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting.*"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

KIM_CHINA_DOC = "000_075620075a1fb010"
BRIDGE_ARTICLE = """Harrowgate Bridge opens in Glenmoor after six years of work

Published: October 3, 2024

GLENMOOR — The Harrowgate Bridge, a 410-metre crossing over the River Tamsel, opened to \
traffic in the town of Glenmoor on Wednesday, October 2, 2024, mayor Elspeth Varrow said.

The bridge cost 38 million crowns and replaces a ferry that had carried people and cars \
across the Tamsel since 1911. Construction began in the spring of 2018 and was delayed \
twice by floods.

"For the first time, Glenmoor is one town on both banks," Varrow told the crowd at the \
opening ceremony. About 9,000 vehicles a day are expected to use the crossing.
"""
LIBRARY_ARTICLE = """Ossory Library reopens its reading room

Published: March 12, 2024

OSSORY — The Ossory Library reopened its restored reading room on Monday, March 11, 2024, \
after a roof repair that kept it closed for fourteen months, the librarian Tamsin Quell said.
"""


@pytest.fixture(scope="module")
def assistant(
    tmp_path_factory: pytest.TempPathFactory, make_assistant: Callable[..., Assistant]
) -> Assistant:
    """A fresh index of its own; the bundled articles go in on the first question.

    ``make_assistant`` (tests/conftest.py) is ``Assistant(Settings.load(home=...,
    environ={}))`` sharing the session's embedding model, so the model loads only once.
    """
    return make_assistant(tmp_path_factory.mktemp("home"), bundled_on_first_use=True)


@pytest.fixture(scope="module")
def url(assistant: Assistant) -> Iterator[str]:
    with serve_app(assistant) as address:
        yield address


@pytest.fixture(scope="module")
def client(url: str) -> Any:
    from gradio_client import Client

    return Client(url, verbose=False)


def doc_ids(result: dict[str, Any]) -> list[str]:
    return [c["doc_id"] for c in result["citations"]]


def article_count(client: Any) -> int:
    return len(client.predict(api_name="/articles"))


# --- plain functions (no server) ------------------------------------------------------------


def test_safe_name_keeps_uploads_in_their_folder() -> None:
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\me\\notes.MD") == "notes.md"
    assert safe_name(".hidden.txt") == "hidden.txt"
    assert safe_name("a b;rm -rf.txt") == "a_b_rm_-rf.txt"
    assert safe_name("../..") == ""
    assert safe_name("Ünïcode név.html") == "Unicode_nev.html"


def test_save_uploads_refuses_big_and_unsupported_files(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_UPLOAD_BYTES + 1)
    odd = tmp_path / "notes.pdf"
    odd.write_bytes(b"%PDF-1.4")
    good = tmp_path / "ok.md"
    good.write_text("Fine text.", encoding="utf-8")
    dest = tmp_path / "uploads"
    saved = save_uploads([big, odd, good], dest)
    assert saved.paths == [(dest / "ok.md").resolve()]
    assert saved.problems == [
        "big.txt: 20.0 MB is over the 20 MB upload limit",
        "notes.pdf: unsupported file type .pdf; use .txt, .md, .html, .htm, .jsonl",
    ]
    assert sorted(p.name for p in dest.iterdir()) == ["ok.md"]


def test_non_loopback_bind_needs_auth_or_no_auth(tmp_path: Path) -> None:
    settings = Settings.load(home=tmp_path, environ={})
    args = argparse.Namespace(host="0.0.0.0", port=None, auth=None, no_auth=False, share=False)
    with pytest.raises(ConfigError, match="--auth user:password"):
        main(args, settings)
    with pytest.raises(ConfigError, match="user:password"):
        parse_auth("nopassword")
    assert parse_auth("ann:s3cr:et") == ("ann", "s3cr:et")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


# --- over HTTP ------------------------------------------------------------------------------


@pytest.mark.slow
def test_chat_streams_and_cites(client: Any) -> None:
    job = client.submit("When did Kim last visit China?", [], 6, "extractive", api_name="/chat")
    final = job.result(timeout=300)
    outputs = job.outputs()
    assert final["done"] is True
    assert final["abstained"] is False
    assert "September 2025" in final["answer"]
    assert KIM_CHINA_DOC in doc_ids(final)
    assert final["citations"][0]["index"] == 1
    assert final["citations"][0]["sentence"] in final["citations"][0]["text"]
    assert outputs[-1] == final
    partial = [o for o in outputs if not o["done"]]
    assert partial, "the endpoint should stream partial answers before the final one"
    assert all(isinstance(o["answer"], str) for o in partial)


@pytest.mark.slow
def test_follow_up_uses_history(client: Any) -> None:
    result = client.predict(
        "And when did he meet Putin?",
        ["When did Kim last visit China?"],
        api_name="/chat",
    )
    assert result["question"] == "And when did he meet Putin?"
    assert "Kim" in result["standalone_question"]
    assert result["standalone_question"] != result["question"]
    assert "September 2023" in result["answer"]
    assert result["abstained"] is False


@pytest.mark.slow
def test_errors_are_one_line_messages(client: Any) -> None:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="the question is empty"):
        client.predict("   ", api_name="/chat")
    with pytest.raises(AppError, match="unknown answerer 'gpt9'; choose one of extractive"):
        client.predict("Who is Mao Ning?", [], 6, "gpt9", api_name="/chat")
    with pytest.raises(AppError, match="k must be between 1 and 100"):
        client.predict("Who is Mao Ning?", [], 0, "extractive", api_name="/chat")


@pytest.mark.slow
def test_llm_answerer_without_a_model_falls_back(client: Any) -> None:
    result = client.predict("Who is Mao Ning?", [], 6, "llm", api_name="/chat")
    assert result["done"] is True
    assert "Mao Ning" in result["answer"]
    # With a local model installed the LLM answers; without one the extractive answer is
    # given and says why.
    assert result["answerer"] == "llm" or result["fallback_reason"]


@pytest.mark.slow
def test_upload_article_then_ask_about_it(
    client: Any, assistant: Assistant, tmp_path: Path
) -> None:
    from gradio_client import handle_file

    before = article_count(client)
    path = tmp_path / "glenmoor_bridge.txt"
    path.write_text(BRIDGE_ARTICLE, encoding="utf-8")
    report, table, _choices, count = client.predict([handle_file(str(path))], api_name="/upload")
    assert report.startswith("**Done:** added 1, updated 0, unchanged 0, skipped 0")
    assert "problem" not in report
    assert f"**{before + 1}** article(s) indexed." == count
    assert "glenmoor_bridge" in [row[-1] for row in table["data"]]
    assert (assistant.settings.uploads_path / "glenmoor_bridge.txt").is_file()
    assert article_count(client) == before + 1

    result = client.predict("When did the Harrowgate Bridge open?", api_name="/chat")
    assert result["abstained"] is False
    assert doc_ids(result)[0] == "glenmoor_bridge"
    assert "2 October 2024" in result["answer"]


@pytest.mark.slow
def test_fifty_files_uploaded_at_once(client: Any, assistant: Assistant, tmp_path: Path) -> None:
    """One upload of 50 articles (tests/bad_inputs.md): all indexed, one report, the
    question about any of them answered from it."""
    from gradio_client import handle_file

    before = article_count(client)
    towns = ["Arvik", "Belmar", "Corran", "Dunsby", "Elstow"]
    paths = []
    for i in range(50):
        town = towns[i % len(towns)]
        path = tmp_path / f"batch_{i:02d}.txt"
        path.write_text(
            f"{town} council approves footbridge {i}\n\nPublished: May {1 + i % 28}, 2024\n\n"
            f"The council of {town} approved footbridge number {i} on Tuesday, at a cost of "
            f"{100 + i} thousand crowns, the clerk said. Work starts in the autumn.\n",
            encoding="utf-8",
        )
        paths.append(handle_file(str(path)))
    report, _table, _choices, count = client.predict(paths, api_name="/upload")
    assert report.startswith("**Done:** added 50, updated 0, unchanged 0, skipped 0"), report
    assert f"**{before + 50}** article(s) indexed." == count
    assert len(list(assistant.settings.uploads_path.glob("batch_*.txt"))) == 50
    result = client.predict(
        "What did the council approve at a cost of 137 thousand crowns?", api_name="/chat"
    )
    assert result["abstained"] is False
    assert doc_ids(result)[0] == "batch_37"
    for i in range(50):  # leave the module's collection as it was
        client.predict(f"batch_{i:02d}", api_name="/remove")
    assert article_count(client) == before


@pytest.mark.slow
def test_bad_upload_is_refused_and_index_unchanged(
    client: Any, assistant: Assistant, tmp_path: Path
) -> None:
    from gradio_client import handle_file

    before = article_count(client)
    bad = tmp_path / "corrupt.txt"
    bad.write_bytes(b"GIF89a\x00\x01\x02\x03\xff\xfe\x00\x00binary\x00junk" * 50)
    report, _table, _choices, count = client.predict([handle_file(str(bad))], api_name="/upload")
    assert report.startswith("**Nothing was added; the index is unchanged.**")
    assert "corrupt.txt: binary data, not text" in report
    assert str(assistant.settings.home) not in report  # no server paths in messages
    assert f"**{before}** article(s) indexed." == count
    assert article_count(client) == before
    assert not (assistant.settings.uploads_path / "corrupt.txt").exists()


@pytest.mark.slow
def test_upload_over_20_mb_is_refused(client: Any, tmp_path: Path) -> None:
    from gradio_client import handle_file

    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_UPLOAD_BYTES + 1)
    before = article_count(client)
    with pytest.raises(ValueError, match="exceeds the maximum file size"):
        client.predict([handle_file(str(big))], api_name="/upload")
    assert article_count(client) == before


@pytest.mark.slow
def test_remove_article(client: Any, assistant: Assistant, tmp_path: Path) -> None:
    from gradio_client import handle_file

    path = tmp_path / "ossory_library.md"
    path.write_text(LIBRARY_ARTICLE, encoding="utf-8")
    client.predict([handle_file(str(path))], api_name="/upload")
    before = article_count(client)
    status, _table, _choices, count = client.predict("ossory_library", api_name="/remove")
    assert status.startswith("Removed `ossory_library` (")
    assert count == f"**{before - 1}** article(s) indexed."
    assert "ossory_library" not in [a["doc_id"] for a in client.predict(api_name="/articles")]
    assert not (assistant.settings.uploads_path / "ossory_library.md").exists()
    status, *_ = client.predict("no_such_article", api_name="/remove")
    assert status == "No indexed article has the id `no_such_article`."


@pytest.mark.slow
def test_timeline_endpoint(client: Any) -> None:
    events = client.predict("Kim Jong Un visits", api_name="/timeline")
    assert events, "the bundled articles have dated Kim visits"
    dates = [e["date"] for e in events]
    assert "2023-09-13" in dates
    assert dates.index("2023-09-13") < dates.index("2025-09-02")  # oldest first
    first = events[0]
    assert first["when"] and first["sentence"] and first["citation"]["doc_id"]


@pytest.mark.slow
def test_ten_concurrent_questions(url: str) -> None:
    from gradio_client import Client

    questions = [
        "When did Kim last visit China?",
        "Who is Mao Ning?",
        "Where did Kim Jong-un and Vladimir Putin meet in September 2023?",
        "On what date did Putin visit Pyongyang?",
        "When did the Harrowgate Bridge open?",
    ] * 2

    def ask(question: str) -> dict[str, Any]:
        return Client(url, verbose=False).predict(question, api_name="/chat")

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(ask, questions))
    assert len(results) == 10
    for question, result in zip(questions, results, strict=True):
        assert result["done"] is True
        assert result["question"] == question
        assert result["answer"].strip()
        assert result["citations"]


@pytest.mark.slow
def test_chat_as_of_hides_later_articles(client: Any) -> None:
    result = client.predict(
        "When did Kim last visit China?", [], 6, "extractive", "2024-01-01", api_name="/chat"
    )
    assert result["done"] is True
    assert result["as_of"] == "2024-01-01"
    assert KIM_CHINA_DOC not in {p["doc_id"] for p in result["retrieved"]}
    assert all(c["published"] <= "2024-01-01" for c in result["citations"])
    assert "September 2025" not in result["answer"]
    with pytest.raises(Exception, match="must look like YYYY-MM-DD"):
        client.predict("Who is Mao Ning?", [], 6, "extractive", "tomorrow", api_name="/chat")
