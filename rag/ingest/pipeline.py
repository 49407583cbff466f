"""The ingest pipeline: load -> clean -> chunk -> tag dates -> embed -> store.

Articles stream through in batches (embedding is batched across articles for speed,
and nothing holds the whole corpus in memory). Chunk ids are content hashes and each
chunk records its article's hash, so a second ingest of the same files writes nothing,
a changed article replaces its chunks, and an article left half-written by a killed
process is detected and written again.
"""

from __future__ import annotations

import functools
import hashlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.answer.candidates import texts_to_keep
from rag.chunk import Chunker
from rag.clean import clean_text
from rag.errors import IngestError
from rag.ingest.loaders import RawDocument, load_paths
from rag.ingest.metadata import from_text
from rag.ingest.stories import StoryGrouper
from rag.stories import DEFAULT_THRESHOLD
from rag.tag_dates import DATE_RULES, article_mentions, date_metadata
from rag.types import Article, Chunk, IngestReport
from vectorstore.index import NewsIndex
from vectorstore.sentence_vectors import SentenceVectors

Progress = Callable[[int, str], None]
MIN_ARTICLE_CHARS = 40


def prepare_article(raw: RawDocument) -> Article:
    """Fill metadata from the text where the sidecar is silent, then clean the text.

    Raises:
        IngestError: nothing readable is left after cleaning.
    """
    meta = raw.meta
    stated = from_text(raw.text)
    meta.fill_from(stated)
    drop = tuple(x for x in (stated.dateline, meta.title) if x)
    text = clean_text(raw.text, drop_lines=drop)
    if len(text) < MIN_ARTICLE_CHARS:
        raise IngestError(f"{raw.source_path}: no article text left after cleaning")
    return Article(
        doc_id=raw.doc_id,
        text=text,
        title=meta.title,
        outlet=meta.outlet,
        author=meta.author,
        published=meta.published,
        url=meta.url,
        source_path=raw.source_path,
    )


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    doc_hash: str
    is_new: bool
    story_id: str = ""


class _Clock:
    """Seconds spent per stage, so a slow ingest says where its time went."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


class _Writer:
    """Writes embedded batches on a background thread while the next batch is embedded.

    Why: ONNX Runtime and PyTorch release the GIL while they run, so the date tagging
    and Chroma write of one batch overlap the embedding of the next. The queue holds one
    batch, so memory stays bounded. A writer error stops the writing and is raised to the
    caller (by the next ``submit`` or by ``close``).
    """

    def __init__(self, write: Callable[..., None]) -> None:
        self._write = write
        self._queue: queue.Queue[tuple[Any, ...] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="newsqa-ingest-writer")
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._write(*item)
                except BaseException as exc:  # handed to the caller by submit/close
                    self._error = exc

    def submit(self, *batch: Any) -> None:
        self._raise()
        self._queue.put(batch)

    def close(self) -> None:
        """Wait until every submitted batch is written; raise the writer's error."""
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error


class Ingestor:
    """Runs the pipeline into a ``NewsIndex``.

    Args:
        index: where chunks go.
        chunker: the sentence-aware chunker (sized to the embedding model's window).
        batch_chunks: embed this many chunks at a time.
        story_threshold: the Jaccard estimate at which an article joins an existing
            article's story (``Settings.story_threshold``; see ``rag.stories``).
        sentences: where the chunks' sentences and their candidate phrases are embedded
            and kept for the answerer (``NewsIndex.sentences``); None embeds chunks only,
            and answers embed them when asked (``Settings.sentence_vectors``).
    """

    def __init__(
        self,
        index: NewsIndex,
        chunker: Chunker,
        batch_chunks: int = 256,
        story_threshold: float = DEFAULT_THRESHOLD,
        sentences: SentenceVectors | None = None,
    ) -> None:
        self.index = index
        self.chunker = chunker
        self.batch_chunks = batch_chunks
        self.story_threshold = story_threshold
        self.sentences = sentences

    def _doc_hash(self, article: Article) -> str:
        # The embedder's identity (model, backend, export recipe) is part of the hash:
        # switching it re-embeds the articles on their next ingest.
        config = f"{self.chunker.max_tokens}/{self.chunker.overlap}/{self.index.embedder.identity}"
        parts = [article.text, article.title, article.outlet, article.author, article.url]
        parts += [article.published.isoformat() if article.published else "", config]
        return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:20]

    def ingest(
        self, paths: Iterable[str | Path], prune: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        """Ingest files and folders; see the module docstring for the guarantees.

        Args:
            paths: files (.txt .md .html .jsonl) and folders of them.
            prune: also delete indexed articles that are not among ``paths``.
            progress: called with (articles seen so far, current source) as work advances.

        Raises:
            IndexBusyError: another process is writing to the index.
        """
        report = IngestReport()
        clock = _Clock(report.timings)
        started = time.perf_counter()
        with self.index.writing():
            with clock.stage("state"):
                # Articles tagged by older date rules (or before rules had a version) are
                # re-dated below when unchanged; a newer version is left alone (another
                # NewsQA may share the store).
                state, dated_before = self.index.doc_state_and_older("date_rules", DATE_RULES)
            with clock.stage("stories"):
                grouper = StoryGrouper(self.index, self.story_threshold)
                grouper.sync(state)
            seen: set[str] = set()
            stories: set[str] = set()
            unchanged: list[str] = []
            redate: list[tuple[Article, list[Chunk]]] = []
            n_redate = 0
            writer = _Writer(functools.partial(self._write, report=report, clock=clock))
            try:
                pending: list[_Pending] = []
                n_pending = 0
                for article, chunks in self._prepared(paths, seen, report, clock, progress):
                    doc_hash = self._doc_hash(article)
                    old = state.get(article.doc_id)
                    if old and old[0] == {doc_hash} and old[1] == old[2] == len(chunks):
                        report.unchanged += 1
                        unchanged.append(article.doc_id)
                        if article.doc_id in dated_before:
                            redate.append((article, chunks))
                            report.redated += 1
                            n_redate += len(chunks)
                            if n_redate >= self.batch_chunks:
                                with clock.stage("redate"):
                                    self._redate(redate)
                                redate, n_redate = [], 0
                        continue
                    with clock.stage("stories"):
                        grouped = grouper.assign(article, chunks, doc_hash)
                    if grouped.joined:
                        report.joined.append(grouped.joined)
                    stories.add(grouped.story_id)
                    pending.append(
                        _Pending(article, chunks, doc_hash, old is None, grouped.story_id)
                    )
                    n_pending += len(chunks)
                    if n_pending >= self.batch_chunks:
                        writer.submit(pending, *self._embed(pending, clock))
                        pending, n_pending = [], 0
                if pending:
                    writer.submit(pending, *self._embed(pending, clock))
            finally:
                writer.close()
                grouper.flush()
            if redate:
                with clock.stage("redate"):
                    self._redate(redate)
            stories.update(grouper.story_of(doc_id) for doc_id in unchanged)
            report.stories = len(stories)
            if prune:
                with clock.stage("prune"):
                    for doc_id in sorted(set(state) - seen):
                        report.chunks_removed += self.index.delete_document(doc_id)
                        report.removed += 1
            changed = report.added or report.updated or report.removed
            with clock.stage("bm25"):
                if changed:
                    self.index.rebuild_bm25()
                else:
                    self.index.ensure_bm25()
        problem = self.index.embedder.cache_problem
        if problem:
            report.errors.append(f"embedding cache not used: {problem}")
        if self.sentences is not None and self.sentences.problem:
            report.errors.append(f"sentence vectors not kept: {self.sentences.problem}")
        total = time.perf_counter() - started
        # "read": reading files, hashing, waiting for locks: whatever no stage above timed
        # (tag_dates and write overlap embed, so the stages may add up to more than total).
        report.timings["read"] = max(0.0, total - sum(report.timings.values()))
        report.timings["total"] = total
        return report

    def _prepared(
        self,
        paths: Iterable[str | Path],
        seen: set[str],
        report: IngestReport,
        clock: _Clock,
        progress: Progress | None,
    ) -> Iterator[tuple[Article, list[Chunk]]]:
        """Load, clean and chunk every article once; problems go to the report."""
        first_source: dict[str, str] = {}  # doc id -> the file it was first read from
        for result in load_paths(paths):
            report.errors.extend(result.problems)
            report.skipped += result.skipped
            for raw in result.documents:
                if raw.doc_id in seen:
                    # Two files with one name in two folders: the id is the file name, so
                    # the second would overwrite the first; say which file won.
                    report.errors.append(
                        f"{raw.source_path}: duplicate article id {raw.doc_id!r} "
                        f"(already read from {first_source.get(raw.doc_id, 'an earlier file')}); "
                        "skipped"
                    )
                    report.skipped += 1
                    continue
                try:
                    with clock.stage("clean"):
                        article = prepare_article(raw)
                    with clock.stage("chunk"):
                        chunks = self.chunker.chunk(article)
                except IngestError as exc:
                    report.errors.append(str(exc))
                    report.skipped += 1
                    continue
                seen.add(raw.doc_id)
                first_source[raw.doc_id] = raw.source_path
                if progress:
                    progress(len(seen), raw.source_path)
                yield article, chunks

    def _embed(self, pending: list[_Pending], clock: _Clock) -> tuple[list[str], np.ndarray]:
        """The pending articles' chunk texts and their vectors, in one batch; their
        sentences and phrases are embedded and kept for the answerer too when
        ``sentences`` is set."""
        texts = [c.text for p in pending for c in p.chunks]
        with clock.stage("embed"):
            vectors = self.index.embedder.encode_documents(texts)
        if self.sentences is not None:
            with clock.stage("sentences"):
                self.sentences.add(t for text in texts for t in texts_to_keep(text))
        return texts, vectors

    def _write(
        self,
        pending: list[_Pending],
        texts: list[str],
        vectors: np.ndarray,
        report: IngestReport,
        clock: _Clock,
    ) -> None:
        """Tag dates and write one embedded batch (on the writer thread).

        New articles go to the store in one write (a few calls per batch instead of
        three per article); changed ones replace their old chunks one by one.
        """
        with clock.stage("tag_dates"):
            metas: list[dict[str, Any]] = []
            for p in pending:
                mentions = article_mentions(p.article)
                metas.extend(self._metadata(p, c, mentions) for c in p.chunks)
        with clock.stage("write"):
            fresh: list[int] = []
            offset = 0
            for p in pending:
                n = len(p.chunks)
                span = range(offset, offset + n)
                offset += n
                report.chunks_added += n
                if p.is_new:
                    fresh.extend(span)
                    report.added += 1
                    continue
                report.updated += 1
                report.chunks_removed += self.index.replace_document(
                    p.article.doc_id,
                    [c.chunk_id for c in p.chunks],
                    [texts[i] for i in span],
                    [metas[i] for i in span],
                    vectors[span.start : span.stop],
                )
            if fresh:
                chunk_ids = [c.chunk_id for p in pending for c in p.chunks]
                self.index.add_chunks(
                    [chunk_ids[i] for i in fresh],
                    [texts[i] for i in fresh],
                    [metas[i] for i in fresh],
                    vectors[fresh],
                )

    def _redate(self, articles: list[tuple[Article, list[Chunk]]]) -> None:
        """Tag unchanged articles' dates again by the current rules (metadata only, in
        batches of chunks)."""
        ids: list[str] = []
        metas: list[dict[str, Any]] = []
        for article, chunks in articles:
            mentions = article_mentions(article)
            ids.extend(c.chunk_id for c in chunks)
            metas.extend(date_metadata(c, mentions) for c in chunks)
        self.index.update_metadata(ids, metas)

    def _metadata(self, p: _Pending, chunk: Chunk, mentions: Any) -> dict[str, Any]:
        a = p.article
        meta: dict[str, Any] = {
            "doc_id": a.doc_id,
            "title": a.title,
            "outlet": a.outlet,
            "author": a.author,
            "url": a.url,
            "published": a.published.isoformat() if a.published else None,
            "position": chunk.position,
            "start": chunk.start,
            "end": chunk.end,
            "doc_hash": p.doc_hash,
            "embedder": self.index.embedder.identity,
            "n_chunks": len(p.chunks),
            "source": a.source_path,
            "story_id": p.story_id or a.doc_id,
        }
        meta.update(date_metadata(chunk, mentions))
        return meta
