"""Near-duplicate stories: grouping at ingest (real model, real Chroma), the story table's
persistence and rebuild, ``diversify``, ``also_reported_by``, the report and the render.

The copies are edited versions of the bundled Korea Herald article (a new headline and a
rewritten paragraph; three paragraphs dropped; the same text under another outlet); the
other four bundled articles are on the same topic (Kim, Putin, China) and must stay apart.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from servers import free_port

from rag.cli import main
from rag.errors import ConfigError
from rag.retrieve.stories import diversify
from rag.settings import Settings
from rag.stories import (
    StoryIndex,
    also_reported_by,
    article_text,
    from_bytes,
    shingles,
    signature,
    similarity,
    to_bytes,
)
from rag.types import Answer, Citation, Passage
from ui.render import citation_card, sources_html
from vectorstore.index import ArticleInfo, passage_from

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
ORIGINAL = "004_6c2af2daa34679c7"
TITLE = "How will Kim-Putin summit affect China?"
OTHERS = ["000_075620075a1fb010", "001_8bacbee5ccb4060f", "002_aaca5e63689b7572"]
OTHERS += ["003_856a94d7b1fc46ae"]
COPIES = ["005_copy_headline", "006_copy_dropped", "007_copy_outlet"]
NEW_PARAGRAPH = (
    "Officials in Beijing declined to comment on Thursday, saying only that China would "
    "keep playing a constructive role on the Korean Peninsula."
)
UNRELATED = (
    "The Harrowgate Bridge, a 410-metre crossing over the River Tamsel, opened to traffic in "
    "Glenmoor on Wednesday. It cost 38 million crowns and replaces a ferry that had carried "
    "people and cars across the river since 1911, the mayor said at the opening ceremony."
)


def original_text() -> str:
    return (ARTICLES / f"{ORIGINAL}.txt").read_text(encoding="utf-8")


def edited(text: str, drop: tuple[str, ...] = (), replace: dict[str, str] | None = None) -> str:
    """The text with paragraphs starting with ``drop`` removed and others replaced."""
    out = []
    for para in text.split("\n\n"):
        if para.startswith(drop):
            continue
        for start, new in (replace or {}).items():
            if para.startswith(start):
                para = new
        out.append(para)
    return "\n\n".join(out)


def copies() -> dict[str, str]:
    text = original_text()
    return {
        COPIES[0]: edited(
            text.replace(TITLE, "Putin's Pyongyang trip tests Beijing's clout"),
            replace={"Kang also said, for example": NEW_PARAGRAPH},
        ),
        COPIES[1]: edited(text, drop=("Kang added that", "Park also noted", "Experts in Seoul")),
        COPIES[2]: text,
    }


def write_folder(folder: Path, extra: dict[str, str] | None = None) -> Path:
    """The five bundled articles, the three copies (and ``extra``), with a manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((ARTICLES / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["articles"]:
        shutil.copy(ARTICLES / entry["file"], folder / entry["file"])
    meta = {
        COPIES[0]: ("Putin's Pyongyang trip tests Beijing's clout", "Seoul Wire", "2024-06-20"),
        COPIES[1]: (TITLE, "Korea Herald (syndicated)", "2024-06-21"),
        COPIES[2]: (TITLE, "Yonhap", "2024-06-22"),
    }
    texts = {**copies(), **(extra or {})}
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        title, outlet, published = meta.get(doc_id, (doc_id, "Other Times", "2024-07-01"))
        manifest["articles"].append(
            {"file": f"{doc_id}.txt", "title": title, "outlet": outlet, "published": published}
        )
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def joined_line(doc_id: str) -> str:
    return f"{doc_id} joined story {ORIGINAL} ({TITLE})"


def chunk_stories(assistant: Any) -> dict[str, set[str]]:
    """doc_id -> the story ids on its chunks in Chroma."""
    out: dict[str, set[str]] = {}
    for _, _, meta in assistant.index.store.iter_all(include_text=False):
        out.setdefault(meta["doc_id"], set()).add(meta.get("story_id"))
    return out


def expected_stories(*copy_ids: str) -> dict[str, set[str]]:
    stories = {d: {d} for d in [*OTHERS, ORIGINAL]}
    stories.update({d: {ORIGINAL} for d in copy_ids})
    return stories


# --- pure: shingles, signatures, the LSH index ----------------------------------------------


def test_shingles_are_normalised_word_five_grams() -> None:
    assert shingles("The quick, brown FOX jumps over") == {
        "the quick brown fox jumps",
        "quick brown fox jumps over",
    }
    assert shingles("Only “three” words") == {"only three words"}
    assert shingles(" .. ") == set()


def test_article_text_drops_the_chunk_overlap() -> None:
    text = "One two. Three four. Five six."
    pieces = [(0, "One two. Three four."), (9, "Three four. Five six.")]
    assert article_text(pieces) == text
    assert article_text([(0, "A b."), (10, "C d.")]) == "A b. C d."


def test_signature_roundtrip_and_similarity() -> None:
    sig = signature(original_text())
    assert sig.shape == (128,)
    assert from_bytes(to_bytes(sig)).tolist() == sig.tolist()
    assert similarity(sig, signature(original_text())) == 1.0
    for doc_id in OTHERS:
        other = (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert similarity(sig, signature(other)) < 0.05


def test_story_index_groups_copies_and_keeps_others_apart() -> None:
    index = StoryIndex(0.7)
    for doc_id in [*OTHERS, ORIGINAL]:
        story, match = index.assign(doc_id, signature((ARTICLES / f"{doc_id}.txt").read_text()))
        assert (story, match) == (doc_id, None)
    for doc_id, text in copies().items():
        story, match = index.assign(doc_id, signature(text))
        assert story == ORIGINAL
        assert match is not None and match.similarity >= 0.7
    assert index.assign("unrelated", signature(UNRELATED)) == ("unrelated", None)
    # A changed article is re-grouped by its new text.
    story, match = index.assign(COPIES[2], signature(UNRELATED))
    assert story == "unrelated" and match is not None and match.doc_id == "unrelated"
    assert index.assign(COPIES[1], signature(NEW_PARAGRAPH)) == (COPIES[1], None)
    # Removed articles are never matched again.
    index.remove(ORIGINAL)
    index.remove(COPIES[0])
    assert ORIGINAL not in index and len(index) == 7
    assert index.assign("late", signature(original_text())) == ("late", None)


def test_story_index_picks_the_most_similar_member() -> None:
    text = original_text()
    index = StoryIndex(0.8)
    index.add("x", "story-x", signature(text))
    near = edited(text, replace={"Kang also said, for example": NEW_PARAGRAPH})
    near = edited(near, drop=("Park also noted",))
    index.add("z", "story-z", signature(near))
    story, match = index.assign("w", signature(edited(near, drop=("Kang added that",))))
    assert story == "story-z" and match is not None and match.doc_id == "z"
    index.remove("z")
    index.remove("w")
    assert index.assign("v", signature(near))[0] == "story-x"


def test_story_index_edge_cases() -> None:
    index = StoryIndex(1.0)
    index.add("a", "a", signature(original_text()))
    assert index.assign("b", signature(copies()[COPIES[1]])) == ("b", None)  # not identical
    assert index.assign("c", signature(original_text()))[0] == "a"  # identical at 1.0
    assert index.assign("e1", signature("")) == ("e1", None)
    assert index.assign("e2", signature("")) == ("e2", None)  # empty texts never match
    with pytest.raises(ValueError):
        StoryIndex(0.0)


def test_threshold_setting() -> None:
    assert Settings.load(environ={}).story_threshold == 0.7
    env = {"NEWSQA_STORY_THRESHOLD": "0.85"}
    assert Settings.load(environ=env).story_threshold == 0.85
    assert Settings.load(environ={}, story_threshold=1).story_threshold == 1.0
    for bad in ("0", "1.5", "-0.2"):
        with pytest.raises(ConfigError, match="story_threshold"):
            Settings.load(environ={"NEWSQA_STORY_THRESHOLD": bad})


# --- ingest into a real index ---------------------------------------------------------------


@pytest.fixture(scope="module")
def grouped(
    tmp_path_factory: pytest.TempPathFactory, make_assistant: Callable[..., Any]
) -> tuple[Any, Any]:
    """(assistant, first ingest report) over the five articles and three copies (read-only)."""
    folder = write_folder(tmp_path_factory.mktemp("articles"))
    assistant = make_assistant(tmp_path_factory.mktemp("home"))
    return assistant, assistant.ingest([folder])


@pytest.mark.slow
def test_copies_join_the_original_story(grouped: tuple[Any, Any]) -> None:
    assistant, report = grouped
    assert (report.added, report.updated, report.stories, report.errors) == (8, 0, 5, [])
    assert report.joined == [joined_line(d) for d in COPIES]
    assert report.to_dict()["joined"] == report.joined
    assert report.to_dict()["stories"] == 5
    assert chunk_stories(assistant) == expected_stories(*COPIES)
    rows = {r.doc_id: r.story_id for r in assistant.index.stories.rows()}
    assert rows == {d: s.pop() for d, s in expected_stories(*COPIES).items()}
    assert assistant.index.stories.first_member(ORIGINAL) == (ORIGINAL, TITLE)


@pytest.mark.slow
def test_story_members_lists_every_copy(grouped: tuple[Any, Any]) -> None:
    index = grouped[0].index
    members = index.story_members(ORIGINAL)
    assert [(m.doc_id, m.outlet, m.published) for m in members] == [
        (ORIGINAL, "The Korea Herald", "2024-06-19"),
        (COPIES[0], "Seoul Wire", "2024-06-20"),
        (COPIES[1], "Korea Herald (syndicated)", "2024-06-21"),
        (COPIES[2], "Yonhap", "2024-06-22"),
    ]
    assert all(m.chunks >= 1 for m in members)
    assert [m.doc_id for m in index.story_members(OTHERS[0])] == [OTHERS[0]]
    assert index.story_members("no-such-story") == []
    many = index.story_members_many([ORIGINAL, OTHERS[0], "no-such-story"])
    assert many == {ORIGINAL: members, OTHERS[0]: index.story_members(OTHERS[0])}
    # A retrieved chunk carries its story; the citation helper lists the other copies.
    chunk_id = sorted(index.doc_chunk_ids(COPIES[2]))[0]
    passage = passage_from(chunk_id, *index.store.get([chunk_id])[chunk_id], score=1.0)
    assert passage.metadata["story_id"] == ORIGINAL
    assert [a["outlet"] for a in also_reported_by(passage, members)] == [
        "The Korea Herald",
        "Seoul Wire",
        "Korea Herald (syndicated)",
    ]


@pytest.mark.slow
def test_answers_keep_one_passage_per_story_and_cite_the_copies(grouped: tuple[Any, Any]) -> None:
    assistant = grouped[0]
    question = "Which professor said Putin's Pyongyang visit could weaken China's clout?"
    answer = assistant.ask(question, as_of=dt.date(2024, 7, 1))
    stories = [p.metadata["story_id"] for p in answer.retrieved]
    assert ORIGINAL in stories
    # one article per story: passages of the story's copies are left out of the answer's
    # passages while passages of other articles remain
    found = assistant.chain().retriever.retrieve(question, 12, as_of=dt.date(2024, 7, 1))
    assert [p.chunk_id for p in answer.retrieved] == [p.chunk_id for p in diversify(found, 6)]
    lead = {p.metadata["story_id"]: p.doc_id for p in reversed(found)}

    def copies_in(passages: list[Passage]) -> int:
        return sum(p.doc_id != lead[p.metadata["story_id"]] for p in passages)

    # The copies crowd the 12 passages found; the 6 kept hold fewer of them (only as
    # many as are needed to fill k, because these eight articles make only five stories).
    assert copies_in(answer.retrieved) < copies_in(found)
    assert copies_in(answer.retrieved) == max(0, 6 - (len(found) - copies_in(found)))
    assert len(stories) == 6
    assert answer.abstained is False
    assert "Kang Jun-young" in answer.text
    cited = [c for c in answer.citations if c.doc_id in {ORIGINAL, *COPIES}]
    assert cited
    for c in cited:
        others = {ORIGINAL, *COPIES} - {c.doc_id}
        assert {r["doc_id"] for r in c.also_reported_by} == others
    assert [c.to_dict()["also_reported_by"] for c in answer.citations] == [
        c.also_reported_by for c in answer.citations
    ]
    # Copies published after the question's date are not listed.
    early = assistant.ask(question, as_of=dt.date(2024, 6, 20))
    for c in early.citations:
        assert all(r["published"] <= "2024-06-20" for r in c.also_reported_by)
        assert c.doc_id not in {COPIES[1], COPIES[2]}


@pytest.mark.slow
def test_story_table_survives_a_new_process_and_is_rebuilt_when_lost(
    tmp_path: Path, make_assistant: Callable[..., Any]
) -> None:
    folder = write_folder(tmp_path / "articles")
    home = tmp_path / "home"
    first = make_assistant(home)
    first.ingest([folder])
    table_file = first.index.stories.path
    before = {r.doc_id: r for r in first.index.stories.rows()}
    assert table_file.parent == home and len(before) == 8

    # A new Assistant on the same home: nothing re-read, the copies keep their story, and a
    # new copy joins it.
    second = make_assistant(home)
    again = second.ingest([folder])
    assert (again.unchanged, again.stories, again.joined) == (8, 5, [])
    (folder / "008_copy_late.txt").write_text(original_text(), encoding="utf-8")
    late = second.ingest([folder / "008_copy_late.txt"])
    assert (late.added, late.stories, late.joined) == (1, 1, [joined_line("008_copy_late")])

    # The table file is lost: it is rebuilt from Chroma's chunks, signature for signature.
    table_file.unlink()
    third = make_assistant(home)
    rebuilt = third.ingest([folder])
    assert (rebuilt.unchanged, rebuilt.added, rebuilt.stories, rebuilt.joined) == (9, 0, 5, [])
    after = {r.doc_id: r for r in third.index.stories.rows()}
    assert {d: after[d] for d in before} == before
    assert after["008_copy_late"].story_id == ORIGINAL


@pytest.mark.slow
def test_rows_follow_chroma_removals_changes_and_old_chunks(
    tmp_path: Path, make_assistant: Callable[..., Any]
) -> None:
    folder = write_folder(tmp_path / "articles")
    assistant = make_assistant(tmp_path / "home")
    assistant.ingest([folder])
    index = assistant.index
    # Removing an article removes its row; so does a prune.
    assert assistant.remove(COPIES[0]) > 0
    assert COPIES[0] not in index.stories.hashes()
    (folder / f"{COPIES[0]}.txt").unlink()
    (folder / f"{COPIES[1]}.txt").unlink()
    pruned = assistant.ingest([folder], prune=True)
    assert pruned.removed == 1 and COPIES[1] not in index.stories.hashes()
    assert [m.doc_id for m in index.story_members(ORIGINAL)] == [ORIGINAL, COPIES[2]]

    # A changed article is re-grouped: the copy becomes its own story.
    (folder / f"{COPIES[2]}.txt").write_text(UNRELATED, encoding="utf-8")
    changed = assistant.ingest([folder])
    assert (changed.updated, changed.joined, changed.stories) == (1, [], 6)
    assert chunk_stories(assistant)[COPIES[2]] == {COPIES[2]}
    assert index.stories.story_ids()[COPIES[2]] == COPIES[2]

    # Chunks deleted behind the table's back (another writer on a Chroma server) lose
    # their row at the next ingest.
    index.store.delete(sorted(index.doc_chunk_ids(COPIES[2])))
    assistant.ingest([folder / f"{ORIGINAL}.txt"])
    assert COPIES[2] not in index.stories.hashes()


@pytest.mark.slow
def test_chunks_written_before_stories_are_grouped_and_stamped(
    tmp_path: Path, make_assistant: Callable[..., Any]
) -> None:
    folder = write_folder(tmp_path / "articles")
    home = tmp_path / "home"
    assistant = make_assistant(home)
    assistant.ingest([folder])
    collection = assistant.index.store.collection
    ids = collection.get(include=[])["ids"]
    collection.update(ids=ids, metadatas=[{"story_id": None}] * len(ids))  # an old index
    assert chunk_stories(assistant) == {d: {None} for d in [*OTHERS, ORIGINAL, *COPIES]}
    assistant.index.stories.path.unlink()
    report = make_assistant(home).ingest([folder])
    assert (report.unchanged, report.stories) == (8, 5)
    assert chunk_stories(assistant) == expected_stories(*COPIES)


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A real ``chroma run`` on a free loopback port."""
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.skip("the chroma server command is not installed")
    port = free_port()
    command = [str(chroma), "run", "--path", str(tmp_path / "server"), "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_a_second_machine_on_a_chroma_server_rebuilds_the_table(
    tmp_path: Path, chroma_url: str, make_assistant: Callable[..., Any]
) -> None:
    folder = write_folder(tmp_path / "articles")
    first = make_assistant(tmp_path / "machine1", chroma_url=chroma_url)
    assert first.ingest([folder]).joined == [joined_line(d) for d in COPIES]
    # Another machine (its own empty home) writes a new copy to the same server: its table
    # is rebuilt from the server's chunks, so the copy joins the story.
    (folder / "008_copy_late.txt").write_text(original_text(), encoding="utf-8")
    second = make_assistant(tmp_path / "machine2", chroma_url=chroma_url)
    report = second.ingest([folder / "008_copy_late.txt"])
    assert (report.added, report.joined) == (1, [joined_line("008_copy_late")])
    assert len(second.index.stories.hashes()) == 9
    # Oldest first: the late copy has no manifest entry, so its date is the dateline's.
    members = [(m.doc_id, m.published) for m in first.index.story_members(ORIGINAL)]
    assert members[:2] == [(ORIGINAL, "2024-06-19"), ("008_copy_late", "2024-06-19")]
    assert [d for d, _ in members[2:]] == COPIES


@pytest.fixture
def model_env(monkeypatch: pytest.MonkeyPatch, embedder: Any) -> pytest.MonkeyPatch:
    """No NEWSQA_* settings from the shell, and the CLI's Assistant gets the loaded model."""
    for name in list(os.environ):
        if name.startswith("NEWSQA_"):
            monkeypatch.delenv(name)
    monkeypatch.setattr("rag.assistant.Embedder", lambda *args, **kwargs: embedder)
    return monkeypatch


@pytest.mark.slow
def test_cli_ingest_prints_joined_lines(
    tmp_path: Path, model_env: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "articles")
    home = ["--home", str(tmp_path / "home")]
    first = [str(folder / f"{d}.txt") for d in [*OTHERS, ORIGINAL, COPIES[0]]]
    out = io.StringIO()
    assert main([*home, "ingest", *first], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("added 6, updated 0, unchanged 0,")
    assert lines[1:] == [joined_line(COPIES[0])]
    out = io.StringIO()
    assert main([*home, "ingest", "--json", str(folder)], out=out) == 0
    data = json.loads(out.getvalue())
    assert (data["added"], data["unchanged"], data["stories"]) == (2, 6, 5)
    assert data["joined"] == [joined_line(COPIES[1]), joined_line(COPIES[2])]


# --- diversify, also_reported_by, the citation and the sources panel ------------------------


def passage(chunk_id: str, story: str | None, score: float) -> Passage:
    """A passage of article ``chunk_id[0]`` (outlet "Outlet X", published 2024-06-0N)."""
    doc = chunk_id[0]
    meta: dict[str, Any] = {"doc_id": doc} | ({"story_id": story} if story else {})
    day = dt.date(2024, 6, "abcdef".index(doc) + 1)
    return Passage(
        chunk_id,
        doc,
        f"text {chunk_id}",
        score,
        f"Title {doc}",
        f"Outlet {doc}",
        day,
        metadata=meta,
    )


def ref(doc: str) -> dict[str, Any]:
    day = f"2024-06-0{'abcdef'.index(doc) + 1}"
    return {"doc_id": doc, "title": f"Title {doc}", "outlet": f"Outlet {doc}", "published": day}


def ids(passages: list[Passage]) -> list[str]:
    return [p.chunk_id for p in passages]


RANKED = [
    passage("a1", "S1", 0.9),
    passage("b1", "S1", 0.8),
    passage("c1", "S2", 0.7),
    passage("a2", "S1", 0.6),
    passage("d1", "S3", 0.5),
    passage("e1", None, 0.4),  # no story id: its own article is its story
    passage("f1", "S2", 0.3),
]


def test_diversify_keeps_one_article_per_story_in_rank_order() -> None:
    kept = diversify(RANKED, 3)
    assert ids(kept) == ["a1", "c1", "a2"]  # b1 repeats a's story; a2 is a's own passage
    assert [p.metadata["also"] for p in kept] == [[ref("b")], [ref("f")], [ref("b")]]
    assert ids(diversify(RANKED, 5)) == ["a1", "c1", "a2", "d1", "e1"]
    assert diversify(RANKED, 5)[4].metadata["also"] == []
    assert "also" not in RANKED[0].metadata  # the input passages are not changed
    assert kept[0].metadata["story_id"] == "S1" and kept[0].score == 0.9
    assert diversify(RANKED, 0) == []
    assert diversify([], 3) == []


def test_diversify_fills_with_the_best_remaining_when_stories_run_out() -> None:
    # Five passages of lead articles (a, c, d, e); k=6 adds the best duplicate, b1.
    kept = diversify(RANKED, 6)
    assert ids(kept) == ["a1", "b1", "c1", "a2", "d1", "e1"]
    assert [p.metadata["also"] for p in kept] == [[], [], [ref("f")], [], [], []]
    # One story only: the best k, and "also" lists the articles left out.
    one = [passage("a1", "S", 0.9), passage("b1", "S", 0.8), passage("c1", "S", 0.7)]
    two = diversify(one, 2)
    assert ids(two) == ["a1", "b1"]
    assert [p.metadata["also"] for p in two] == [[ref("c")], [ref("c")]]
    assert ids(diversify(one, 10)) == ["a1", "b1", "c1"]
    # Without story ids, each article is its own story; its passages all stay.
    same_doc = [passage("a1", None, 0.9), passage("a2", None, 0.8), passage("b1", None, 0.7)]
    assert ids(diversify(same_doc, 2)) == ["a1", "a2"]
    assert [p.metadata["also"] for p in diversify(same_doc, 3)] == [[], [], []]


def test_also_reported_by_merges_members_and_retrieved_copies() -> None:
    cited = diversify(RANKED, 3)[0]  # a1, with b left out
    members = [
        ArticleInfo("c", "Title c", "Outlet c", "2024-06-03", 2),
        ArticleInfo("a", "Title a", "Outlet a", "2024-06-01", 3),
        ArticleInfo("x", None, None, None, 1),
    ]
    assert also_reported_by(cited, members) == [
        ref("b"),
        ref("c"),
        {"doc_id": "x", "title": None, "outlet": None, "published": None},
    ]
    assert also_reported_by(RANKED[0], []) == []


def test_citation_and_sources_panel_show_also_reported_by() -> None:
    others = [
        ref("b"),
        {"doc_id": "z", "title": "<b>T</b>", "outlet": "<script>x</script>", "published": None},
    ]
    cite = Citation(1, "a", "Title a", "Outlet a", dt.date(2024, 6, 1), "a1", "Text.", 0.9)
    assert cite.to_dict()["also_reported_by"] == []
    cite = Citation(
        1,
        "a",
        "Title a",
        "Outlet a",
        dt.date(2024, 6, 1),
        "a1",
        "Text.",
        0.9,
        also_reported_by=others,
    )
    assert cite.to_dict()["also_reported_by"] == others
    card = citation_card(cite)
    assert (
        '<div class="nqa-also">Also reported by: <span title="Title b">Outlet b (2 June 2024)'
        '</span>, <span title="&lt;b&gt;T&lt;/b&gt;">&lt;script&gt;x&lt;/script&gt; '
        "(date unknown)</span></div>"
    ) in card
    assert "<script>" not in card
    panel = sources_html(Answer("Text [1].", False, [cite]))
    assert panel.count("Also reported by: ") == 1
    plain = Citation(2, "c", "Title c", "Outlet c", None, "c1", "Other.", 0.5)
    assert "Also reported by" not in citation_card(plain)


def test_threshold_benchmark_counts_stories_per_week(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.stories import main as bench_main

    def result(url: str, text: str) -> dict[str, Any]:
        return {"url": url, "title": url, "text": text, "publish_date": "2024/06/19"}

    week = [
        {"search_result": [result("u1", original_text()), result("u2", UNRELATED)]},
        {"search_result": [result("u1", original_text()), result("u3", copies()[COPIES[0]])]},
        {"search_result": [result("u4", ""), result("u5", copies()[COPIES[1]])]},
    ]
    lines = "\n".join(json.dumps(q) for q in week)
    (tmp_path / "20240621_gcs.jsonl").write_text(lines, encoding="utf-8")
    assert bench_main(["--source", str(tmp_path), "--show", "0.7"]) == 0
    out = capsys.readouterr().out.splitlines()
    # u1 counted once, u4 (no text) left out; u3 (similarity 0.91) and u5 (0.87) join u1.
    assert out[2] == "| 20240621 | 4 | 2 / 2 | 2 / 2 | 2 / 2 | 2 / 2 | 3 / 1 |"
    assert "joined pairs at 0.7 (lowest similarity first; 2 in all):" in out
