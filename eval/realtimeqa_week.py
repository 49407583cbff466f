"""One RealTime QA week: its fresh index, and one scored record per question asked of it.

Split from ``eval.realtimeqa`` (which runs the weeks and writes the reports) so that what a
record holds, and how the answer and the deep retrieval are obtained, read in one place.
"""

from __future__ import annotations

import datetime as dt
import inspect
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.compare import COMPARABLE
from eval.dataset import normalize
from eval.realtimeqa_data import Pool, Question, load_pool, write_articles
from eval.realtimeqa_metrics import ARTICLE_K, HIT_KS, is_nota, score, short_answer
from rag.answer.base import ABSTAIN_TEXT
from rag.errors import InputError
from rag.settings import Settings
from rag.types import Answer


def accepts_as_of(assistant: Any) -> bool:
    """Whether ``assistant.ask`` takes ``as_of`` (added to ``Assistant.ask`` separately)."""
    return "as_of" in inspect.signature(assistant.ask).parameters


def ask(assistant: Any, question: str, as_of: dt.date, **options: Any) -> Any:
    """``assistant.ask`` on the day the question was asked, when the assistant supports it."""
    if accepts_as_of(assistant):
        options["as_of"] = as_of
    return assistant.ask(question, **options)


def right_needles(question: Question) -> list[str]:
    """The right choices, padded, to find as whole words in a padded text (``_padded``);
    none when the right answer is "None of the above" (nothing holds it)."""
    right = [question.choices[i] for i in question.answer]
    if any(is_nota(c) for c in right):
        return []
    return [n for n in (_padded(c) for c in right) if n.strip()]


def holds_right(text: str, question: Question) -> bool:
    """Whether ``text`` holds a right choice as whole words (normalised)."""
    padded = _padded(text)
    return any(n in padded for n in right_needles(question))


def _padded(text: str) -> str:
    """Normalised text between spaces: a whole-word test is then one substring test."""
    return f" {normalize(text)} "


@dataclass
class WeekIndex:
    """A week's ingested collection, with what scoring needs to look up in it.

    Attributes:
        assistant: over a fresh index holding only this week's articles.
        texts: doc id -> normalised (padded) text of every ingested article.
        info: the week's counts and timings for the report.
    """

    assistant: Any
    texts: dict[str, str]
    info: dict[str, Any]


def make_record(
    question: Question, answer: Any, latency_ms: float, passages: Sequence[Any], week: WeekIndex
) -> dict[str, Any]:
    """One report record: the question, NewsQA's answer, retrieval hits and the scores.

    ``passages`` are the first ``max(HIT_KS)`` passages of the same retriever; the ceiling,
    passage rank and article hit look for the right choice as whole words, so they are None
    when the right answer is "None of the above".
    """
    right = [question.choices[i] for i in question.answer]
    needles = right_needles(question)

    def holds(padded: str) -> bool:
        return any(n in padded for n in needles)

    rank = next((i for i, p in enumerate(passages, 1) if holds(_padded(p.text))), None)
    top_docs = dict.fromkeys(p.doc_id for p in passages[:ARTICLE_K])
    record: dict[str, Any] = {
        "id": question.id,
        "week": question.week,
        "set": question.set,
        "question": question.sentence,
        "question_date": question.date.isoformat(),
        "choices": list(question.choices),
        "answer_index": list(question.answer),
        "right": right,
        "answer": answer.text,
        "short_answer": short_answer(answer),
        "abstained": bool(answer.abstained),
        "confidence": getattr(answer, "confidence", None),
        "signals": getattr(answer, "signals", None),
        "withheld": getattr(answer, "withheld", None),
        "withheld_short": getattr(answer, "withheld_short", None),
        "answerer": answer.answerer,
        "fallback_reason": answer.fallback_reason,
        "citations": [
            {"index": c.index, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "title": c.title}
            for c in answer.citations
        ],
        "retrieved": [{"doc_id": p.doc_id, "chunk_id": p.chunk_id} for p in passages],
        "ceiling": any(holds(t) for t in week.texts.values()) if needles else None,
        "passage_rank": rank,
        "passage_hits": {str(k): rank is not None and rank <= k for k in HIT_KS}
        if needles
        else None,
        "article_hit_at_5": any(holds(week.texts.get(d, "")) for d in top_docs)
        if needles
        else None,
        "latency_ms": latency_ms,
        "retrieve_ms": answer.timings.get("retrieve_ms"),
        "answer_ms": answer.timings.get("answer_ms"),
    }
    record.update(score(record))
    return record


def ask_question(week: WeekIndex, question: Question, config: Mapping[str, Any]) -> dict[str, Any]:
    """Ask one question (timed), then retrieve ``max(HIT_KS)`` passages for the hit rates.

    The deep retrieval runs the chain's own retrieve step with the same state as the answer
    (question, ``as_of``) and only a larger k, so date filtering, period and recency
    preferences apply to it exactly as to the answer. It is a separate call, after the
    answer, so the answer uses the configured k and its latency is not helped by a warm
    query cache.
    """
    assistant = week.assistant
    options = {k: config.get(k) for k in COMPARABLE}
    start = time.perf_counter()
    answer = ask(assistant, question.sentence, question.date, **options)
    latency_ms = (time.perf_counter() - start) * 1000.0
    chain = assistant.chain(config.get("retriever"), config.get("answerer"))
    state = {
        "question": answer.question or question.sentence,
        "standalone": answer.standalone_question or assistant.standalone(question.sentence),
        "k": max(HIT_KS),
    }
    if accepts_as_of(assistant):
        state["as_of"] = question.date
    passages = chain.retrieve(state)["passages"]
    return make_record(question, answer, latency_ms, passages, week)


def declined_record(question: Question) -> dict[str, Any]:
    """The record of a question with nothing to read (no search results): declined."""
    answer = Answer(
        text=ABSTAIN_TEXT, abstained=True, citations=[], question=question.sentence,
        answerer="none", fallback_reason="no search results",
    )  # fmt: skip
    return make_record(question, answer, 0.0, [], WeekIndex(None, {}, {}))


def build_week(
    source: Path,
    week: str,
    home: Path,
    settings: Settings,
    shared: Any,
    bar: Any,
    pool: Pool | None = None,
) -> WeekIndex:
    """Pool the week's search results and ingest them into a fresh index under ``home``.

    Args:
        shared: the embedding model of an earlier week (None for the first), so that the
            model loads once per run; an ``Assistant`` only stores its embedder until first use.
        bar: a tqdm bar advanced per ingested article, or None.
        pool: the collection to index instead of the whole week's (the per-question
            setting gives each question its own search results).
    """
    from rag.assistant import Assistant

    pool = pool if pool is not None else load_pool(source, week)
    path = write_articles(pool.articles, home / "articles" / f"{week}.jsonl")
    assistant = Assistant(settings.replace(home=home / "index", bundled_on_first_use=False))
    if shared is not None:
        assistant.embedder = shared
    if bar is not None:
        bar.total += len(pool.articles)
        bar.set_postfix_str("ingest")

    def advance(done: int, _source: str) -> None:
        if bar is not None:
            bar.update(done - bar.n)

    report = assistant.ingest([path], progress=advance)
    if bar is not None:
        bar.update(len(pool.articles) - bar.n)  # articles skipped at ingest
    if report.added == 0:
        problems = "; ".join(report.errors[:2]) or "no usable article"
        raise InputError(f"week {week}: nothing could be ingested ({problems})")
    ingested = {a.doc_id for a in assistant.articles()}
    texts = {a.id: _padded(a.text) for a in pool.articles if a.id in ingested}
    info = {
        "week": week,
        "search_results": pool.results,
        "duplicates": pool.duplicates,
        "empty_skipped": pool.empty,
        "ingest_skipped": report.skipped,
        "articles": report.added,
        "chunks": report.chunks_added,
        "ingest_s": report.timings.get("total"),
        "ingest_stages_s": {k: round(v, 3) for k, v in report.timings.items() if k != "total"},
    }
    return WeekIndex(assistant, texts, info)
