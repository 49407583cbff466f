"""retrieve -> answer -> cite, composed as one LangChain runnable (LCEL).

Each step is a ``RunnableLambda`` over a state dict, so a generative answerer slots in
as the middle step without touching the others, and LangChain callbacks/tracing see
every stage. ``stream`` runs the same steps, passing the answerer's pieces through.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rag.answer.base import Answerer
from rag.retrieve.base import Retriever
from rag.retrieve.recency import prefer_recent
from rag.retrieve.stories import diversify, story_of
from rag.stories import ArticleLike, also_reported_by
from rag.temporal import parse_intent
from rag.types import Answer, Citation, Passage

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

StoryMembers = Callable[[Collection[str]], Mapping[str, Sequence[ArticleLike]]]

State = dict[str, Any]


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


def check_citations(answer: Answer) -> Answer:
    """Keep only citations that really contain the sentence they are cited for."""
    kept: list[Citation] = [
        c for c in answer.citations if c.sentence is None or c.sentence in c.text
    ]
    return answer if len(kept) == len(answer.citations) else replace(answer, citations=kept)


class QAChain:
    """The question-answering chain over one retriever and one answerer.

    Input state: ``{"question": str, "standalone": str, "k": int | None,
    "as_of": date | None}``. ``as_of`` is the date the question is asked at: articles
    published after it are invisible, relative dates in the question resolve against it,
    and questions about the present prefer passages published shortly before it.

    Retrieval goes twice as deep as ``k`` and keeps one passage per story (near-duplicate
    articles, ``rag.stories``), so that one syndicated report does not fill the passages;
    each citation lists the story's other articles in ``also_reported_by``.

    Args:
        retriever: finds passages.
        answerer: writes the cited answer.
        k: passages per question when the state does not say.
        story_members: looks up every article of some stories (``NewsIndex.
            story_members_many``); None lists only the duplicates retrieval saw.
    """

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        k: int,
        story_members: StoryMembers | None = None,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.k = k
        self.story_members = story_members

    @cached_property
    def runnable(self) -> Runnable[State, Answer]:
        """The three steps as one LCEL runnable, built on first use: importing
        LangChain's runnables (and LangSmith's tracing under them) costs about 0.4 s,
        which ``stream`` (``newsqa ask`` without ``--json``, and the chat) never needs."""
        from langchain_core.runnables import RunnableLambda

        return (
            RunnableLambda(self.retrieve).with_config(run_name="retrieve")
            | RunnableLambda(self.answer).with_config(run_name="answer")
            | RunnableLambda(self.cite).with_config(run_name="cite")
        )

    def retrieve(self, state: State) -> State:
        start = time.perf_counter()
        query = state["standalone"]
        as_of: dt.date | None = state.get("as_of")
        k = state.get("k") or self.k
        intent = parse_intent(query, as_of)
        found = self.retriever.retrieve(query, 2 * k, period=intent.period, as_of=as_of)
        if as_of is not None and intent.recent:
            found = prefer_recent(found, as_of, 2 * k)
        passages = diversify(found, k)
        return {**state, "passages": passages, "retrieve_ms": _ms(start)}

    def answer(self, state: State) -> State:
        start = time.perf_counter()
        result = self.answerer.answer(state["standalone"], state["passages"], state.get("as_of"))
        return {**state, "answer": result, "answer_ms": _ms(start)}

    def add_copies(
        self, answer: Answer, passages: Sequence[Passage], as_of: dt.date | None
    ) -> Answer:
        """Fill each citation's ``also_reported_by`` with the other articles of its story
        (none published after ``as_of``)."""
        by_chunk = {p.chunk_id: p for p in passages}
        cited = [by_chunk[c.chunk_id] for c in answer.citations if c.chunk_id in by_chunk]
        if not cited:
            return answer
        members: Mapping[str, Sequence[ArticleLike]] = {}
        if self.story_members is not None:
            members = self.story_members({story_of(p) for p in cited})
        out = []
        for c in answer.citations:
            p = by_chunk.get(c.chunk_id)
            if p is None:
                out.append(c)
                continue
            copies = also_reported_by(p, members.get(story_of(p), []))
            if as_of is not None:
                copies = [r for r in copies if not r["published"] or r["published"] <= str(as_of)]
            out.append(replace(c, also_reported_by=copies))
        return replace(answer, citations=out)

    def cite(self, state: State) -> Answer:
        result = self.add_copies(
            check_citations(state["answer"]), state["passages"], state.get("as_of")
        )
        timings = {
            "retrieve_ms": state["retrieve_ms"],
            "answer_ms": state["answer_ms"],
            "total_ms": state["retrieve_ms"] + state["answer_ms"],
        }
        return replace(
            result,
            question=state["question"],
            standalone_question=state["standalone"],
            as_of=state.get("as_of"),
            retrieved=list(state["passages"]),
            timings={**result.timings, **timings},
        )

    def invoke(self, state: State) -> Answer:
        return self.runnable.invoke(state)

    def stream(self, state: State) -> Iterator[str | Answer]:
        """Yield answer text pieces as produced, then the checked final ``Answer``."""
        state = self.retrieve(state)
        start = time.perf_counter()
        for piece in self.answerer.stream(
            state["standalone"], state["passages"], state.get("as_of")
        ):
            if isinstance(piece, Answer):
                yield self.cite({**state, "answer": piece, "answer_ms": _ms(start)})
            else:
                yield piece
