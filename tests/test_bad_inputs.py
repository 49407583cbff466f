"""Bad questions and bad files: a clear error or a sane answer, never a crash.

Every input here is listed, with its size and the expected outcome, in tests/bad_inputs.md.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from rag.answer.base import ABSTAIN_TEXT
from rag.errors import InputError
from rag.types import Answer

# --- questions --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty; type a question about the articles"),
        (" \t\n  \u3000 ", "the question is empty; type a question about the articles"),
        ("\x00\x07\x1b", "the question is empty; type a question about the articles"),
        ("x" * 100_000, "the question is 100,000 characters long; the limit is 2,000"),
        ("y" * 2001, "the question is 2,001 characters long; the limit is 2,000"),
    ],
    ids=["empty", "whitespace", "only-control-chars", "100k-chars", "2001-chars"],
)
def test_unusable_questions_raise_input_error(assistant: Any, question: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        assistant.ask(question)
    assert str(info.value) == message


def check_answer(answer: Answer) -> None:
    """Answered with citations, or abstained with the standard text; citations consistent."""
    assert isinstance(answer, Answer)
    if answer.abstained:
        assert answer.text == ABSTAIN_TEXT
    else:
        assert answer.citations
    for c in answer.citations:
        if c.sentence is not None:
            assert c.sentence in c.text


@pytest.mark.slow
def test_control_characters_are_removed_and_the_question_answered(assistant: Any) -> None:
    answer = assistant.ask("When did Kim\x00 last\x07 visit\x1b China?\u200b\r\n")
    assert answer.standalone_question == "When did Kim last visit China?"
    assert not answer.abstained
    assert "September 2025" in answer.text
    check_answer(answer)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "김정은은 언제 마지막으로 중국을 방문했나요?",
        "金正恩最后一次访问中国是什么时候？",
        "Когда Ким в последний раз посетил Китай?",
        "🤔🤔🤔",
        "<script>alert(1)</script> Who is Mao Ning?",
        "'; DROP TABLE chunks; -- Who is Mao Ning?",
        "Did Kim meet Putin? " * 100,  # 2,000 characters (1,999 once stripped): the limit
    ],
    ids=["korean", "chinese", "russian", "emoji", "html", "sql", "near-limit"],
)
def test_odd_questions_are_answered_or_abstained(assistant: Any, question: str) -> None:
    check_answer(assistant.ask(question))


# --- files, all in one folder -----------------------------------------------------------

PROSE = (
    "Officials from South Korea and Japan met in Seoul on Monday to discuss trade and "
    "fisheries. The talks lasted three hours, a ministry spokesperson said.\n\n"
)
LATIN1 = (
    "Délégation arrives in Zürich\n\n"
    "The délégation from São Paulo met officials in Zürich on Monday for talks on trade. "
    "A résumé of the talks was published by the Swiss foreign ministry.\n"
)
UTF16 = "Talks in Busan\n\nMinisters from both countries met in Busan on Friday. " + PROSE
HUGE_PARAGRAPH = (
    "Delegates from twelve countries met in Geneva to discuss shipping rules for the "
    "northern sea route. The talks will continue next month, a spokesperson said.\n\n"
)
HUGE_BYTES = 50 * 1024 * 1024

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Ministers meet in Busan</title>
<script>var tracker = "SCRIPT_TEXT_MUST_NOT_APPEAR"; function track() { return 1; }</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li>
<li><a href="/x">NAVIGATION_MUST_NOT_APPEAR</a></li></ul></nav>
<article><h1>Ministers meet in Busan</h1>
<p>Foreign ministers of South Korea and Japan met in Busan on Tuesday to discuss a new
fisheries agreement covering the waters between the two countries.</p>
<p>The ministers agreed to hold another round of talks in Tokyo next month, according to a
joint statement released after the meeting.</p></article>
<script>document.write("FOOTER_SCRIPT_MUST_NOT_APPEAR")</script>
</body></html>
"""


def build_folder(folder: Path, with_html: bool) -> None:
    """The bad-file folder of tests/bad_inputs.md (the HTML page only when asked)."""
    folder.mkdir()
    (folder / "good.txt").write_text("Trade talks in Seoul\n\n" + PROSE * 3, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + UTF16.encode("utf-16-le"))
    with (folder / "huge.txt").open("w", encoding="utf-8") as fh:
        fh.write("Shipping talks in Geneva\n\n")
        fh.write(HUGE_PARAGRAPH * (HUGE_BYTES // len(HUGE_PARAGRAPH) + 1))
    lines = [
        json.dumps(
            {"id": "j-good-1", "title": "Line one", "text": PROSE, "published": "2024-01-05"}
        ),
        '{"id": "j-bad", "text": "unterminated',
        json.dumps({"id": "j-good-3", "text": PROSE.replace("Seoul", "Busan")}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "j-no-text", "title": "No text here"}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    manifest = {
        "articles": [
            {"file": "good.txt", "title": "Trade talks", "published": "yesterday"},
            {"file": "gone.txt", "title": "Missing article", "published": "2024-01-01"},
        ]
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if with_html:
        # Sorted first, so that a crash on it costs no time.
        (folder / "0_page.html").write_text(HTML_PAGE, encoding="utf-8")


def expected_errors(folder: Path) -> dict[str, str]:
    """Bad input -> the start of its one error line."""
    return {
        "empty.txt": f"{folder / 'empty.txt'}: file is empty",
        "binary.txt": f"{folder / 'binary.txt'}: binary data, not text",
        "batch.jsonl:2": f"{folder / 'batch.jsonl'}:2: not valid JSON (",
        "batch.jsonl:4": f"{folder / 'batch.jsonl'}:4: expected a JSON object",
        "batch.jsonl:5": f"{folder / 'batch.jsonl'}:5: no 'text'",
        "manifest bad date": (
            f"{folder / 'manifest.json'} (good.txt): published 'yesterday' is not a YYYY-MM-DD date"
        ),
        "manifest missing file": (
            f"{folder / 'manifest.json'}: lists gone.txt, which is not in the folder"
        ),
    }


def check_folder_report(assistant: Any, folder: Path, report: Any, extra_docs: set[str]) -> None:
    expected = expected_errors(folder)
    assert len(report.errors) == len(expected), report.errors
    for key, start in expected.items():
        matching = [e for e in report.errors if e.startswith(start)]
        assert len(matching) == 1, (key, report.errors)
    for error in report.errors:
        assert "\n" not in error and "Traceback" not in error
    for name in ("empty.txt", "binary.txt", "gone.txt"):
        assert len([e for e in report.errors if name in e]) == 1
    assert not [e for e in report.errors if "notes.pdf" in e]  # not an article type: ignored

    docs = {"good", "latin1", "utf16", "huge", "j-good-1", "j-good-3"} | extra_docs
    assert report.added == len(docs)
    assert report.skipped == 5  # empty, binary and three JSONL lines
    info = {a.doc_id: a for a in assistant.articles()}
    assert set(info) == docs

    store = assistant.index.store
    text_of = {doc: " ".join(t for t, _ in store.get(store.ids_of(doc)).values()) for doc in docs}
    assert "The délégation from São Paulo met officials in Zürich" in text_of["latin1"]
    assert "Ministers from both countries met in Busan on Friday." in text_of["utf16"]
    assert "The talks lasted three hours" in text_of["good"]
    # The bad manifest date is dropped, not guessed; the rest of the entry is used.
    assert (info["good"].title, info["good"].published) == ("Trade talks", None)
    assert info["j-good-1"].published == "2024-01-05"
    # 50 MB of one repeated paragraph: repeats are dropped, one paragraph remains.
    assert text_of["huge"] == HUGE_PARAGRAPH.strip()
    assert info["huge"].chunks == 1


@pytest.mark.slow
def test_bad_files_in_one_folder(tmp_path: Path, fresh_assistant: Any) -> None:
    folder = tmp_path / "inbox"
    build_folder(folder, with_html=False)
    assert (folder / "huge.txt").stat().st_size >= HUGE_BYTES
    a = fresh_assistant()
    report = a.ingest([folder])
    check_folder_report(a, folder, report, extra_docs=set())


@pytest.mark.slow
def test_bad_files_in_one_folder_with_an_html_page(tmp_path: Path, fresh_assistant: Any) -> None:
    folder = tmp_path / "inbox"
    build_folder(folder, with_html=True)
    a = fresh_assistant()
    report = a.ingest([folder])
    check_folder_report(a, folder, report, extra_docs={"0_page"})
    store = a.index.store
    page = " ".join(t for t, _ in store.get(store.ids_of("0_page")).values())
    assert "met in Busan on Tuesday to discuss a new fisheries agreement" in page
    assert "MUST_NOT_APPEAR" not in page


# --- more bad files: names, links, permissions, sizes, layouts ----------------------------

FURNITURE = "Share this article\nSubscribe\nAdvertisement\nSign in\nCookie policy\n"
FURNITURE += "All rights reserved\nRead more\nFollow us on Twitter\n"
BIG_LINE_PARAGRAPH = (
    "Port officials in Rotterdam said the new container terminal would open in the spring, "
    "after two years of work on the quays.\n\n"
)
BIG_LINE_BYTES = 10 * 1024 * 1024
NON_UTF8_NAME = b"caf\xe9 report.txt"  # Latin-1 bytes: not a valid UTF-8 file name


def build_second_folder(root: Path) -> list[Path]:
    """The second bad-file layout of tests/bad_inputs.md; returns the paths to ingest."""
    inbox = root / "inbox2"
    inbox.mkdir()
    (inbox / "good.txt").write_text("Trade talks in Seoul\n\n" + PROSE * 3, encoding="utf-8")
    (inbox / "loop").symlink_to(inbox, target_is_directory=True)  # a folder inside itself
    (inbox / "selfloop.txt").symlink_to(inbox / "selfloop.txt")  # a link to itself
    (inbox / "manifest.json").write_text("{'articles': [not json", encoding="utf-8")
    (inbox / "furniture.txt").write_text(FURNITURE, encoding="utf-8")
    odd = PROSE.replace("Seoul", "Daegu").replace("Monday", "Friday")
    with open(os.path.join(os.fsencode(inbox), NON_UTF8_NAME), "w", encoding="utf-8") as fh:
        fh.write("Talks in Daegu\n\n" + odd * 2)
    record = {
        "id": "big-line",
        "title": "Rotterdam terminal",
        "published": "2024-02-01",
        "text": BIG_LINE_PARAGRAPH * (BIG_LINE_BYTES // len(BIG_LINE_PARAGRAPH) + 1),
    }
    (inbox / "big_line.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    first, second = root / "a", root / "b"
    first.mkdir()
    second.mkdir()
    (first / "report.txt").write_text("Talks in Seoul\n\n" + PROSE * 2, encoding="utf-8")
    (second / "report.txt").write_text("Talks in Busan\n\n" + odd * 2, encoding="utf-8")
    return [inbox, first, second]


@pytest.mark.slow
def test_more_bad_files(tmp_path: Path, fresh_assistant: Any) -> None:
    paths = build_second_folder(tmp_path)
    inbox, first, second = paths
    line = (inbox / "big_line.jsonl").read_bytes()
    assert line.count(b"\n") == 1 and len(line) >= BIG_LINE_BYTES
    a = fresh_assistant()
    report = a.ingest(paths)

    expected = [
        f"{inbox / 'manifest.json'}: unreadable manifest (JSONDecodeError); ignored",
        f"{inbox / 'furniture.txt'}: no article text left after cleaning",
        f"{second / 'report.txt'}: duplicate article id 'report' "
        f"(already read from {first / 'report.txt'}); skipped",
    ]
    assert sorted(report.errors) == sorted(expected)
    odd_id = "caf\\xe9 report"  # the undecodable byte, escaped: valid text everywhere
    assert report.added == 4 and report.skipped == 2
    info = {x.doc_id: x for x in a.articles()}
    assert set(info) == {"good", odd_id, "big-line", "report"}
    # Symlink loops are not followed (no error, no duplicate, no endless walk).
    assert not [e for e in report.errors if "loop" in e]
    # The file with the non-UTF-8 name: its id and path print, and JSON output works.
    store = a.index.store
    meta = next(iter(store.get(store.ids_of(odd_id)).values()))[1]
    assert meta["source"] == f"{inbox}/caf\\xe9 report.txt"
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")
    # ... and its text answers: its passage is the one cited (an answer, or the closest
    # passage of a decline: "Who met ...?" has no person to name, "Officials" opening the
    # sentence is none).
    met = a.ask("Who met in Daegu on Friday?")
    assert [c.doc_id for c in met.citations][:1] == [odd_id]
    # Two folders, one file name: the first folder's article is the one indexed.
    text = " ".join(t for t, _ in store.get(store.ids_of("report")).values())
    assert "Seoul" in text and "Busan" not in text
    # 10 MB on one JSONL line: parsed, its repeated paragraphs dropped, one chunk left.
    assert info["big-line"].published == "2024-02-01" and info["big-line"].chunks == 1


def test_lone_surrogates_in_jsonl_are_replaced(tmp_path: Path) -> None:
    from rag.ingest.loaders import load_paths

    path = tmp_path / "odd.jsonl"
    path.write_text('{"id": "x\\ud800", "title": "T\\udce9", "text": "Bad \\udfff text"}\n')
    (doc,) = [d for r in load_paths([path]) for d in r.documents]
    assert (doc.doc_id, doc.meta.title, doc.text) == ("x\\ud800", "T\\xe9", "Bad \ufffd text")
    for value in (doc.doc_id, doc.meta.title, doc.text, doc.source_path):
        value.encode("utf-8")  # no lone surrogate left


def _load_as_user(folder: Path, uid: int | None) -> dict[str, Any]:
    """``load_paths([folder])`` in a forked child that runs as ``uid`` (None: as we are).

    Why a fork and not a new interpreter: as root the check must run as another user, and
    this machine's Python lives in a folder that other users cannot read; a fork keeps the
    already-imported loader and drops the privileges only.
    """
    from rag.ingest.loaders import load_paths

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read_end)
            if uid is not None:
                os.setgid(uid)
                os.setuid(uid)
            results = list(load_paths([folder]))
            out = {
                "problems": [p for r in results for p in r.problems],
                "docs": [d.doc_id for r in results for d in r.documents],
            }
            os.write(write_end, json.dumps(out).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    result: dict[str, Any] = json.loads(data)
    return result


def test_a_file_without_read_permission_is_one_error_line() -> None:
    """chmod 000 stops everyone but root, so as root the loader runs as ``nobody``."""
    folder = Path(tempfile.mkdtemp(prefix="newsqa-perm-"))  # under /tmp: others may enter
    try:
        folder.chmod(0o755)
        (folder / "good.txt").write_text("Trade talks in Seoul\n\n" + PROSE, encoding="utf-8")
        (folder / "good.txt").chmod(0o644)
        secret = folder / "secret.txt"
        secret.write_text("Secret talks\n\n" + PROSE, encoding="utf-8")
        secret.chmod(0o000)
        result = _load_as_user(folder, 65534 if os.geteuid() == 0 else None)
        assert result == {"problems": [f"{secret}: permission denied"], "docs": ["good"]}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
