"""``Assistant``: the one entry point the CLI, the chat app and the eval harness share.

It owns the embedding model, the index, the retriever and the answerer, built lazily
from one ``Settings`` object, and is safe to share between threads: questions run
concurrently, while ingests take the index's write lock.
"""

from __future__ import annotations

import datetime as dt
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rag.answer import Answerer, make_answerer
from rag.chain import QAChain
from rag.chunk import Chunker
from rag.errors import InputError
from rag.ingest.pipeline import Ingestor, Progress
from rag.retrieve import Retriever, make_retriever
from rag.rewrite import rewrite_followup
from rag.settings import Settings
from rag.timeline import build_timeline
from rag.types import Answer, IngestReport, TimelineEvent
from vectorstore.embeddings import Embedder
from vectorstore.index import ArticleInfo, NewsIndex

History = Sequence[Any]


def user_questions(history: History | None) -> list[str]:
    """The user's earlier questions from a history in any common shape.

    Accepts plain strings, (question, answer) pairs, or chat messages
    ``{"role": "user", "content": ...}`` (the Gradio/OpenAI shape).
    """
    out: list[str] = []
    for item in history or []:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and item.get("role") == "user":
            content = item.get("content")
            if isinstance(content, str):
                out.append(content)
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
            out.append(item[0])
    return [q for q in out if q.strip()]


def check_as_of(as_of: dt.date | str | None) -> dt.date:
    """The "as of" date of a question: today when None, an ISO ``YYYY-MM-DD`` string or
    a date otherwise.

    Raises:
        InputError: not a date.
    """
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return dt.date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    if isinstance(as_of, str):
        try:
            return dt.date.fromisoformat(as_of.strip())
        except ValueError:
            pass
    raise InputError(f"the 'as of' date must look like YYYY-MM-DD, not {as_of!r}")


class Assistant:
    """Question answering over news articles, with citations.

    Args:
        settings: all configuration; ``Settings.load()`` (defaults, config file,
            environment) when None.

    Example:
        >>> assistant = Assistant()
        >>> answer = assistant.ask("When did Kim last visit China?")
        >>> print(answer.text, [c.doc_id for c in answer.citations])
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.load()
        self.embedder = Embedder(
            self.settings.embedding_model,
            batch_size=self.settings.embed_batch_size,
            backend=self.settings.embedding_backend,
            disk_cache=self.settings.embedding_cache or None,
        )
        self._index: NewsIndex | None = None
        self._chains: dict[tuple[str, str], QAChain] = {}
        self._init_lock = threading.RLock()
        self._bundled_checked = False

    # --- components, built on first use ----------------------------------------------------

    @property
    def index(self) -> NewsIndex:
        """The index (opened on first use)."""
        with self._init_lock:
            if self._index is None:
                s = self.settings
                self._index = NewsIndex(
                    self.embedder, s.home, s.collection, s.chroma_url, s.search_ef
                )
            return self._index

    def ensure_articles(self) -> None:
        """Ingest the bundled articles into an empty index, once, before the first question."""
        with self._init_lock:
            if self._bundled_checked:
                return
            s = self.settings
            if s.bundled_on_first_use and self.index.count() == 0 and s.articles_dir.is_dir():
                self._ingestor(self.index).ingest([s.articles_dir])
            self._bundled_checked = True

    def _ingestor(self, index: NewsIndex) -> Ingestor:
        chunker = Chunker(
            self.settings.chunk_tokens,
            self.settings.chunk_overlap,
            self.embedder.count_tokens,
            self.embedder.count_tokens_many,
        )
        sentences = index.sentences if self.settings.sentence_vectors else None
        return Ingestor(
            index, chunker, story_threshold=self.settings.story_threshold, sentences=sentences
        )

    def chain(self, retriever: str | None = None, answerer: str | None = None) -> QAChain:
        """The QA chain for a retriever/answerer pair (cached; defaults from settings)."""
        key = (retriever or self.settings.retriever, answerer or self.settings.answerer)
        self.ensure_articles()
        with self._init_lock:
            if key not in self._chains:
                r: Retriever = make_retriever(key[0], self.index, self.settings.passage_model)
                embeds = self.index.sentences if self.settings.sentence_vectors else self.embedder
                a: Answerer = make_answerer(self.settings.replace(answerer=key[1]), embeds)
                self._chains[key] = QAChain(
                    r, a, self.settings.k, story_members=self.index.story_members_many
                )
            return self._chains[key]

    # --- questions -------------------------------------------------------------------------

    def check_question(self, question: str) -> str:
        """The question cleaned of control characters.

        Raises:
            InputError: empty, or longer than ``settings.max_question_chars``.
        """
        if not isinstance(question, str):
            raise InputError("the question must be text")
        cleaned = "".join(
            ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in question
        )
        cleaned = " ".join(cleaned.split())
        if not cleaned:
            raise InputError("the question is empty; type a question about the articles")
        limit = self.settings.max_question_chars
        if len(cleaned) > limit:
            raise InputError(
                f"the question is {len(cleaned):,} characters long; the limit is {limit:,}"
            )
        return cleaned

    def standalone(self, question: str, history: History | None = None) -> str:
        """The question rewritten to stand alone, given the conversation so far."""
        return rewrite_followup(self.check_question(question), user_questions(history))

    def _state(
        self, question: str, history: History | None, k: int | None, as_of: dt.date | str | None
    ) -> dict[str, Any]:
        cleaned = self.check_question(question)
        standalone = rewrite_followup(cleaned, user_questions(history))
        day = check_as_of(as_of)
        return {"question": cleaned, "standalone": standalone, "k": k, "as_of": day}

    def ask(
        self,
        question: str,
        history: History | None = None,
        *,
        as_of: dt.date | str | None = None,
        k: int | None = None,
        retriever: str | None = None,
        answerer: str | None = None,
    ) -> Answer:
        """Answer a question with citations, or decline when the articles do not say.

        Args:
            question: what the user asked.
            history: earlier turns, for follow-ups ("And when did he meet Putin?").
            as_of: the date the question is asked at (default: today). Articles published
                after it are not used; "this week", "yesterday", "in May" resolve against
                it; questions about the present prefer articles published shortly before.
            k: passages to retrieve (default ``settings.k``).
            retriever: "hybrid", "dense" or "bm25" (default from settings).
            answerer: answerer name (default from settings).

        Raises:
            InputError: the question is empty or too long, or ``as_of`` is not a date.
        """
        state = self._state(question, history, k, as_of)
        return self.chain(retriever, answerer).invoke(state)

    def stream(
        self,
        question: str,
        history: History | None = None,
        *,
        as_of: dt.date | str | None = None,
        k: int | None = None,
        retriever: str | None = None,
        answerer: str | None = None,
    ) -> Iterator[str | Answer]:
        """Like ``ask``, yielding text pieces as they come and the final ``Answer`` last."""
        state = self._state(question, history, k, as_of)
        yield from self.chain(retriever, answerer).stream(state)

    def timeline(self, query: str, k: int = 12) -> list[TimelineEvent]:
        """Dated events about ``query``, sorted by event date (oldest first)."""
        cleaned = self.check_question(query)
        chain = self.chain()
        passages = chain.retriever.retrieve(cleaned, k)
        return build_timeline(cleaned, passages, self.embedder)

    # --- the collection --------------------------------------------------------------------

    def ingest(
        self, paths: Iterable[str | Path], prune: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        """Add or update articles from files and folders; see ``Ingestor.ingest``.

        Raises:
            IndexBusyError: another process is writing to the index.
        """
        paths = list(paths)
        return self._ingestor(self.index).ingest(paths, prune=prune, progress=progress)

    def remove(self, doc_id: str) -> int:
        """Delete an article from the index; returns the number of chunks removed."""
        index = self.index
        with index.writing():
            removed = index.delete_document(doc_id)
            if removed:
                index.rebuild_bm25()
        return removed

    def articles(self) -> list[ArticleInfo]:
        """The indexed articles (title, outlet, date, chunk count), newest first."""
        return self.index.articles()
