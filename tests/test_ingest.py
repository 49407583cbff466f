"""Ingest into a real Chroma store and BM25 index: counts, updates, pruning, metadata, locks."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rag.errors import IndexBusyError
from rag.ingest.loaders import load_paths
from rag.ingest.pipeline import prepare_article
from vectorstore.index import NewsIndex

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
SAMPLE_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))

pytestmark = pytest.mark.slow

PROSE = (
    "Officials from South Korea and Japan met in Seoul on Monday to discuss trade and "
    "fisheries. The talks lasted three hours, a ministry spokesperson said. Both sides "
    "agreed to meet again in Tokyo next month."
)

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Ministers meet in Busan</title>HEAD
<script>var tracker = "SCRIPT_TEXT_MUST_NOT_APPEAR"; function track() { return 1; }</script>
<style>.nav { color: red; }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/x">NAVIGATION_LINK_MUST_NOT_APPEAR</a></li></ul></nav>
<article><h1>Ministers meet in Busan</h1>
<p>Foreign ministers of South Korea and Japan met in Busan on Tuesday to discuss a new
fisheries agreement covering the waters between the two countries.</p>
<p>The ministers agreed to hold another round of talks in Tokyo next month, according to a
joint statement released after the meeting.</p>
<p>Fishermen's groups in both countries welcomed the agreement, saying it would end years of
disputes over quotas.</p></article>
<footer>FOOTER<script>document.write("FOOTER_SCRIPT_MUST_NOT_APPEAR")</script></footer>
</body></html>
"""


def stored(index: NewsIndex) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every chunk in Chroma: id -> (text, metadata)."""
    return {i: (text, meta) for i, text, meta in index.store.iter_all()}


def ids_by_doc(index: NewsIndex) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for i, (_, meta) in stored(index).items():
        out.setdefault(meta["doc_id"], set()).add(i)
    return out


# --- the bundled articles, in the shared assistant (read-only use) ----------------------


def test_first_ingest_adds_the_five_articles(bundled: tuple[Any, Any]) -> None:
    assistant, report = bundled
    index = assistant.index
    assert (report.added, report.updated, report.unchanged, report.skipped, report.removed) == (
        5,
        0,
        0,
        0,
        0,
    )
    assert report.errors == []
    assert report.chunks_removed == 0
    assert report.chunks_added == index.count()
    by_doc = ids_by_doc(index)
    assert sorted(by_doc) == SAMPLE_IDS
    assert sum(len(v) for v in by_doc.values()) == report.chunks_added
    for doc_id, ids in by_doc.items():
        assert set(index.store.ids_of(doc_id)) == ids


def test_second_ingest_changes_nothing(assistant: Any) -> None:
    before = stored(assistant.index)
    report = assistant.ingest([assistant.settings.articles_dir])
    counts = report.to_dict()
    timings = counts.pop("timings")
    assert counts == {
        "added": 0,
        "updated": 0,
        "unchanged": 5,
        "skipped": 0,
        "removed": 0,
        "chunks_added": 0,
        "chunks_removed": 0,
        "errors": [],
        "joined": [],
        "stories": 5,
        "redated": 0,
    }
    assert report.summary().startswith("added 0, updated 0, unchanged 5,")
    assert stored(assistant.index) == before
    # Nothing was embedded or written; the stages that ran are timed.
    assert {"clean", "chunk", "bm25", "read", "total"} <= set(timings)
    assert "embed" not in timings and "write" not in timings
    assert timings["total"] >= sum(v for k, v in timings.items() if k != "total") - 1e-6


def test_chroma_and_bm25_hold_the_same_chunks(assistant: Any) -> None:
    index = assistant.index
    index.ensure_bm25()
    chroma_ids = sorted(i for i, _, _ in index.store.iter_all())
    assert sorted(index.bm25.ids) == chroma_ids
    assert len(chroma_ids) == index.count() > 0
    # The cheap readers (ids only; ids and texts) page through the same chunks.
    assert sorted(index.store.all_ids(batch=7)) == chroma_ids
    texts = {i: text for i, text, _ in index.store.iter_all()}
    assert dict(index.store.all_texts(batch=5)) == texts


def test_chunk_metadata(assistant: Any) -> None:
    chunks = stored(assistant.index)
    articles = {
        raw.doc_id: prepare_article(raw) for r in load_paths([ARTICLES]) for raw in r.documents
    }
    per_doc: dict[str, list[dict[str, Any]]] = {}
    for chunk_id, (text, meta) in chunks.items():
        article = articles[meta["doc_id"]]
        assert chunk_id.startswith(meta["doc_id"] + ":")
        assert meta["title"] == article.title
        assert meta["outlet"] == article.outlet
        assert meta["published"] == article.published.isoformat()
        assert meta["published_int"] == int(article.published.strftime("%Y%m%d"))
        assert isinstance(meta["position"], int)
        assert text == article.text[meta["start"] : meta["end"]]
        per_doc.setdefault(meta["doc_id"], []).append(meta)
    for metas in per_doc.values():
        assert sorted(m["position"] for m in metas) == list(range(len(metas)))
        assert {m["n_chunks"] for m in metas} == {len(metas)}
        assert len({m["doc_hash"] for m in metas}) == 1
        assert {m["embedder"] for m in metas} == {assistant.embedder.identity}

    # A chunk that mentions "Sept. 4" (2023) carries integer event bounds around that day.
    sept4 = [
        meta
        for text, meta in chunks.values()
        if meta["doc_id"] == "001_8bacbee5ccb4060f" and "on Sept. 4" in text
    ]
    assert sept4
    for meta in sept4:
        assert isinstance(meta["event_min"], int) and isinstance(meta["event_max"], int)
        assert meta["event_min"] <= 20230904 <= meta["event_max"]
        mentions = json.loads(meta["dates"])
        assert [m for m in mentions if m[2] == "2023-09-04"]


@pytest.mark.slow
def test_question_against_another_embedders_index_is_refused(
    tmp_path: Path, make_assistant: Callable[..., Any]
) -> None:
    from rag.errors import ConfigError
    from vectorstore.embeddings import Embedder

    built = make_assistant(tmp_path / "home")
    built.ingest([built.settings.articles_dir])
    assert built.ask("Who is Mao Ning?").citations
    other = make_assistant(tmp_path / "home", embedding_backend="torch")
    other.embedder = Embedder(backend="torch")
    assert other.embedder.identity == "all-MiniLM-L6-v2/torch" != built.embedder.identity
    with pytest.raises(ConfigError, match="run `newsqa ingest` on your articles again"):
        other.ask("Who is Mao Ning?")
    # Ingesting again with the new embedder re-embeds every article, and then it answers.
    report = other.ingest([other.settings.articles_dir])
    assert report.updated == 5 and report.unchanged == 0
    assert other.ask("Who is Mao Ning?").citations


def html_page(head: str = "", footer: str = "") -> str:
    return HTML_PAGE.replace("HEAD", head).replace("FOOTER", footer)


def test_chunk_without_dates_has_no_event_bounds(
    tmp_path: Path, fresh_assistant: Callable[..., Any]
) -> None:
    folder = tmp_path / "undated"
    folder.mkdir()
    (folder / "plain.txt").write_text("Fisheries talks\n\n" + PROSE.replace(" on Monday", ""))
    a = fresh_assistant()
    report = a.ingest([folder])
    assert report.added == 1
    [(text, meta)] = stored(a.index).values()
    assert "event_min" not in meta and "event_max" not in meta
    # "next month" cannot be resolved without a publication date: no value, no bounds.
    mentions = json.loads(meta["dates"])
    assert [(text[s:e], value, gran) for s, e, value, gran in mentions] == [
        ("next month", None, "month")
    ]
    assert "published" not in meta  # Chroma stores nothing for a None value


def test_articles_dated_by_older_rules_are_dated_again_without_embedding(
    tmp_path: Path, fresh_assistant: Callable[..., Any]
) -> None:
    """An upgrade that changes the date rules re-dates what the index already holds: the
    next ingest replaces every date field (a stale event range goes), texts and vectors
    stay as stored, and an ingest after that has nothing to do."""
    from rag.tag_dates import DATE_RULES

    folder = tmp_path / "dated"
    folder.mkdir()
    (folder / "talks.txt").write_text(
        "Title: Fisheries talks\nPublished: 2025-09-02\n\n"
        + PROSE.replace("on Monday", "on the 3rd alongside the ministers")
    )
    a = fresh_assistant()
    assert a.ingest([folder]).added == 1
    [(chunk_id, (text, fresh_meta))] = stored(a.index).items()
    assert fresh_meta["date_rules"] == DATE_RULES
    collection = a.index.store.collection
    before = collection.get(ids=[chunk_id], include=["embeddings"])["embeddings"][0]
    # What an index written by older rules holds: no version, no dates, a wrong range.
    old = {"date_rules": None, "dates": None, "event_min": 19990101, "event_max": 19990101}
    collection.update(ids=[chunk_id], metadatas=[old])
    assert "date_rules" not in stored(a.index)[chunk_id][1]

    report = a.ingest([folder])
    assert (report.unchanged, report.redated, report.chunks_added) == (1, 1, 0)
    assert report.summary().endswith("; 1 unchanged re-dated by the new date rules")
    [(again_id, (again_text, meta))] = stored(a.index).items()
    assert (again_id, again_text, meta) == (chunk_id, text, fresh_meta)
    # "met ... on the 3rd" (past, so August) to "next month"
    assert (meta["event_min"], meta["event_max"]) == (20250803, 20251031)
    after = collection.get(ids=[chunk_id], include=["embeddings"])["embeddings"][0]
    assert after.tobytes() == before.tobytes()
    assert a.ingest([folder]).redated == 0
    # Dates from newer rules (another NewsQA sharing the store) are left as they are.
    collection.update(ids=[chunk_id], metadatas=[{"date_rules": DATE_RULES + 1}])
    assert a.ingest([folder]).redated == 0
    assert stored(a.index)[chunk_id][1]["date_rules"] == DATE_RULES + 1


def test_a_changed_article_loses_a_date_range_it_no_longer_has(
    tmp_path: Path, fresh_assistant: Callable[..., Any]
) -> None:
    """Chroma merges an upsert into the stored metadata: a chunk whose text stays but whose
    article lost its date must not keep the old event range."""
    folder = tmp_path / "dated"
    folder.mkdir()
    article = folder / "talks.txt"
    article.write_text("Title: Fisheries talks\nPublished: 2025-09-01\n\n" + PROSE)
    a = fresh_assistant()
    a.ingest([folder])
    [(chunk_id, (_, meta))] = stored(a.index).items()
    assert (meta["event_min"], meta["event_max"]) == (20250901, 20251031)  # Monday, next month
    article.write_text("Title: Fisheries talks\n\n" + PROSE)
    assert a.ingest([folder]).updated == 1
    [(again_id, (_, meta))] = stored(a.index).items()
    assert again_id == chunk_id  # the same text: the same chunk, rewritten
    assert "event_min" not in meta and "event_max" not in meta and "published" not in meta


# --- changes to a folder ----------------------------------------------------------------


def test_update_partial_write_and_prune(
    tmp_path: Path, fresh_assistant: Callable[..., Any]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    keep, edit = "001_8bacbee5ccb4060f", "004_6c2af2daa34679c7"
    for doc_id in (keep, edit):
        shutil.copy(ARTICLES / f"{doc_id}.txt", folder)
    shutil.copy(ARTICLES / "manifest.json", folder)
    a = fresh_assistant()
    index = a.index

    first = a.ingest([folder])
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    # The manifest names three files that are not in this folder: one line each.
    assert len(first.errors) == 3
    assert all("which is not in the folder" in e for e in first.errors)
    old_edit_ids = set(index.store.ids_of(edit))
    keep_ids = set(index.store.ids_of(keep))

    path = folder / f"{edit}.txt"
    path.write_text(
        path.read_text().replace("Kang Jun-young", "Professor Kang Jun-young", 1),
        encoding="utf-8",
    )
    second = a.ingest([folder])
    assert (second.added, second.updated, second.unchanged) == (0, 1, 1)
    new_edit_ids = set(index.store.ids_of(edit))
    gone = old_edit_ids - new_edit_ids
    assert gone  # the edited chunk (and those after it) got new ids
    assert index.store.get(sorted(gone)) == {}
    assert second.chunks_removed == len(gone)
    assert second.chunks_added == len(new_edit_ids)
    assert set(index.store.ids_of(keep)) == keep_ids
    assert any(
        "Professor Kang Jun-young" in t for t, _ in index.store.get(sorted(new_edit_ids)).values()
    )
    assert sorted(index.bm25.ids) == sorted(keep_ids | new_edit_ids)

    # A chunk lost (e.g. a killed ingest) makes the article incomplete: it is written again.
    lost = sorted(new_edit_ids)[0]
    index.store.delete([lost])
    third = a.ingest([folder])
    assert (third.added, third.updated, third.unchanged) == (0, 1, 1)
    assert set(index.store.ids_of(edit)) == new_edit_ids

    path.unlink()
    kept_only = a.ingest([folder])
    assert (kept_only.unchanged, kept_only.removed) == (1, 0)  # no prune: nothing deleted
    assert set(index.store.ids_of(edit)) == new_edit_ids

    pruned = a.ingest([folder], prune=True)
    assert (pruned.added, pruned.updated, pruned.unchanged, pruned.removed) == (0, 0, 1, 1)
    assert pruned.chunks_removed == len(new_edit_ids)
    assert index.store.ids_of(edit) == []
    assert sorted(index.bm25.ids) == sorted(keep_ids)
    assert [info.doc_id for info in a.articles()] == [keep]


def test_jsonl_good_lines_ingested_bad_line_reported(
    tmp_path: Path, fresh_assistant: Callable[..., Any]
) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {"id": "j-one", "title": "Fisheries talks", "text": PROSE, "published": "2024-01-05"}
        ),
        '{"id": "j-two", "text": "unterminated',
        json.dumps({"text": PROSE.replace("Seoul", "Busan"), "outlet": "Daily Test"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    a = fresh_assistant()
    report = a.ingest([path])
    assert (report.added, report.skipped) == (2, 1)
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{path}:2: not valid JSON")
    docs = {info.doc_id: info for info in a.articles()}
    assert sorted(docs) == ["batch-3", "j-one"]
    assert docs["j-one"].published == "2024-01-05"
    assert docs["j-one"].title == "Fisheries talks"
    assert docs["batch-3"].outlet == "Daily Test"


def test_html_page_ingests_article_text_not_scripts(
    tmp_path: Path, fresh_assistant: Callable[..., Any]
) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        html_page(head='<meta property="article:published_time" content="2024-06-19T10:00:00">'),
        encoding="utf-8",
    )
    a = fresh_assistant()
    report = a.ingest([path])
    assert (report.added, report.errors) == (1, [])
    text = "\n".join(t for t, _ in stored(a.index).values())
    assert "met in Busan on Tuesday to discuss a new fisheries agreement" in text
    assert "welcomed the agreement" in text
    for marker in ("SCRIPT_TEXT", "NAVIGATION_LINK", "FOOTER_SCRIPT", "function track", "color"):
        assert marker not in text
    [info] = a.articles()
    assert (info.title, info.published) == ("Ministers meet in Busan", "2024-06-19")


def test_html_page_without_a_date_has_published_none(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(html_page(footer="Copyright 2024 Example News."), encoding="utf-8")
    [result] = list(load_paths([path]))
    [raw] = result.documents
    assert raw.meta.published is None


# --- one writer at a time ---------------------------------------------------------------


def test_second_writer_in_process_gets_index_busy(tmp_path: Path, embedder: Any) -> None:
    home = tmp_path / "shared"
    first = NewsIndex(embedder, home)
    second = NewsIndex(embedder, home)
    with (
        first.writing(),
        pytest.raises(IndexBusyError, match="is busy: another process is writing"),
        second.writing(),
    ):
        pass
    with second.writing():  # released: the other index can write now
        pass


def test_second_writer_process_gets_index_busy(
    tmp_path: Path, fresh_assistant: Callable[..., Any]
) -> None:
    a = fresh_assistant()
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "story.txt").write_text("Fisheries talks\n\n" + PROSE)
    holder = textwrap.dedent(
        f"""
        import sys
        from filelock import FileLock
        lock = FileLock({str(a.settings.lock_path)!r})
        lock.acquire()
        print("locked", flush=True)
        sys.stdin.readline()
        lock.release()
        """
    )
    a.settings.home.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", holder],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusyError) as info:
            a.ingest([folder])
        assert str(info.value) == (
            f"the index at {a.settings.home} is busy: another process is writing to it; "
            "try again when it has finished"
        )
    finally:
        proc.communicate("\n", timeout=30)
    assert proc.returncode == 0
    report = a.ingest([folder])
    assert report.added == 1


def test_published_dates_survive_the_round_trip(assistant: Any) -> None:
    published = {info.doc_id: info.published for info in assistant.articles()}
    assert published == {
        "000_075620075a1fb010": "2025-09-02",
        "001_8bacbee5ccb4060f": "2023-09-15",
        "002_aaca5e63689b7572": "2022-09-16",
        "003_856a94d7b1fc46ae": "2023-10-17",
        "004_6c2af2daa34679c7": "2024-06-19",
    }
    newest_first = [info.doc_id for info in assistant.articles()]
    assert newest_first == sorted(published, key=lambda d: published[d], reverse=True)
    assert dt.date.fromisoformat(published["001_8bacbee5ccb4060f"]) == dt.date(2023, 9, 15)


def test_a_write_error_on_the_writer_thread_reaches_the_caller(
    tmp_path: Path, make_assistant: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from rag.errors import StoreError

    assistant = make_assistant(tmp_path / "home")
    index = assistant.index

    def broken(*_: Any) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(index, "add_chunks", broken)
    with pytest.raises(StoreError, match="disk full"):
        assistant.ingest([assistant.settings.articles_dir])
    assert not [t for t in threading.enumerate() if t.name == "newsqa-ingest-writer"]
    monkeypatch.undo()
    report = assistant.ingest([assistant.settings.articles_dir])  # the lock was released
    assert report.added == 5 and not report.errors
