"""Plain data objects passed between the pipeline stages.

They are frozen dataclasses so that a retrieved passage or an answer can be shared
between threads (the chat app serves many users from one ``Assistant``) without copies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from vectorstore.types import Passage  # built by the store; re-exported for the pipeline


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text, resolved against the article's publication date.

    Attributes:
        text: the surface words, exactly as in the source text.
        start: character offset of the first character in the searched text.
        end: character offset one past the last character.
        value: ISO value at the expression's own precision ("2025-08-29", "2023-10",
            "2013", or "2024-W25" for weeks); None when it cannot be resolved, for example
            a relative expression in an article whose publication date is unknown.
        granularity: "day", "month", "year" or "week".
    """

    text: str
    start: int
    end: int
    value: str | None
    granularity: str


@dataclass(frozen=True)
class Article:
    """A cleaned article, ready for chunking."""

    doc_id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source_path: str | None = None


@dataclass(frozen=True)
class Chunk:
    """A sentence-aligned slice of an article; ``text == article.text[start:end]``."""

    chunk_id: str
    doc_id: str
    text: str
    position: int
    start: int
    end: int
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    content_hash: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Citation:
    """A numbered reference from an answer to the exact passage that supports it.

    ``sentence`` is the sentence of ``text`` the answer was taken from (None when the whole
    passage is shown as context, e.g. for an abstention). ``also_reported_by`` lists the
    other articles of the passage's story (near-duplicates: syndicated or updated copies),
    each ``{"doc_id", "title", "outlet", "published"}``, so a reader sees who else carried
    it (``rag.stories.also_reported_by``).
    """

    index: int
    doc_id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    chunk_id: str
    text: str
    score: float
    sentence: str | None = None
    also_reported_by: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form used by the CLI, the eval reports and the chat API."""
        return {
            "index": self.index,
            "doc_id": self.doc_id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published.isoformat() if self.published else None,
            "chunk_id": self.chunk_id,
            "text": self.text,
            "score": round(self.score, 6),
            "sentence": self.sentence,
            "also_reported_by": [dict(a) for a in self.also_reported_by],
        }


@dataclass(frozen=True)
class Answer:
    """What ``Assistant.ask`` returns.

    Attributes:
        text: the answer with [n] markers, or a plain statement that the articles do not say.
        abstained: True when the assistant declined to answer.
        citations: the passages the markers point at (for an abstention: the closest passages).
        question: the question as asked.
        standalone_question: the question actually searched (a follow-up rewritten from history).
        retrieved: every passage retrieval returned, in rank order.
        timings: milliseconds per stage ("retrieve_ms", "answer_ms", "total_ms").
        answerer: name of the answerer that produced the text.
        fallback_reason: why a generative answer was replaced by the extractive one, if it was.
        as_of: the date the question was asked at (articles published later were not used).
        short: the answer in a few words ("San Francisco", "22", "2 September 2025") when
            the answerer found one; ``text`` then starts with it. None otherwise (a "why"
            question, or no phrase of the expected kind was good enough).
        confidence: how sure the answerer's abstention policy was that the answer is
            right (the learned policy: a probability); None when it made no such decision.
        signals: the measurements that confidence was computed from.
        withheld: for an abstention, the answer text that was drafted but not confident
            enough; the evaluation uses it to draw accuracy against coverage.
        withheld_short: that draft's short answer, if it had one.
    """

    text: str
    abstained: bool
    citations: list[Citation]
    question: str = ""
    standalone_question: str = ""
    retrieved: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    answerer: str = "extractive"
    fallback_reason: str | None = None
    as_of: dt.date | None = None
    short: str | None = None
    confidence: float | None = None
    signals: dict[str, float] | None = None
    withheld: str | None = None
    withheld_short: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form used by ``newsqa ask --json`` and the eval harness."""
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.text,
            "short": self.short,
            "abstained": self.abstained,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "answerer": self.answerer,
            "fallback_reason": self.fallback_reason,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [
                {"doc_id": p.doc_id, "chunk_id": p.chunk_id, "score": round(p.score, 6)}
                for p in self.retrieved
            ],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


@dataclass
class IngestReport:
    """Counts of what an ingest did, plus one line per file that could not be used.

    ``timings`` holds seconds per stage (state, stories, clean, chunk, embed, tag_dates, redate,
    write, prune, bm25, read = everything else such as reading files) and ``total``.
    ``joined`` has one line per added or changed article that joined another article's
    story ("<doc_id> joined story <story_id> (<title of the story's first article>)"), and
    ``stories`` counts the distinct stories among the articles of this ingest (added,
    updated and unchanged), so a feed full of copies shows as such. ``redated`` counts the
    unchanged articles whose dates were tagged by older date rules and tagged again
    (``rag.tag_dates.DATE_RULES``).
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    removed: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    joined: list[str] = field(default_factory=list)
    stories: int = 0
    redated: int = 0

    def summary(self) -> str:
        """One human line, as printed by ``newsqa ingest``."""
        line = (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, removed {self.removed} "
            f"({self.chunks_added} chunks written, {self.chunks_removed} removed)"
        )
        if self.redated:
            line += f"; {self.redated} unchanged re-dated by the new date rules"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "removed": self.removed,
            "chunks_added": self.chunks_added,
            "chunks_removed": self.chunks_removed,
            "errors": list(self.errors),
            "timings": dict(self.timings),
            "joined": list(self.joined),
            "stories": self.stories,
            "redated": self.redated,
        }


@dataclass(frozen=True)
class TimelineEvent:
    """A dated sentence on a timeline, with the citation of its passage."""

    date: str
    granularity: str
    sentence: str
    citation: Citation
