"""retrieve -> answer -> cite, composed as one LangChain runnable (LCEL).

Each step is a ``RunnableLambda`` over a state dict, so a generative answerer slots in
as the middle step without touching the others, and LangChain callbacks/tracing see
every stage. ``stream`` runs the same steps, passing the answerer's pieces through.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from rag.answer.base import Answerer
from rag.retrieve.base import Retriever
from rag.temporal import parse_intent
from rag.types import Answer, Citation

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

    Input state: ``{"question": str, "standalone": str, "k": int | None}``.

    Args:
        retriever: finds passages.
        answerer: writes the cited answer.
        k: passages per question when the state does not say.
    """

    def __init__(self, retriever: Retriever, answerer: Answerer, k: int) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.k = k
        self.runnable: Runnable[State, Answer] = (
            RunnableLambda(self.retrieve).with_config(run_name="retrieve")
            | RunnableLambda(self.answer).with_config(run_name="answer")
            | RunnableLambda(self.cite).with_config(run_name="cite")
        )

    def retrieve(self, state: State) -> State:
        start = time.perf_counter()
        query = state["standalone"]
        period = parse_intent(query).period
        passages = self.retriever.retrieve(query, state.get("k") or self.k, period=period)
        return {**state, "passages": passages, "retrieve_ms": _ms(start)}

    def answer(self, state: State) -> State:
        start = time.perf_counter()
        result = self.answerer.answer(state["standalone"], state["passages"])
        return {**state, "answer": result, "answer_ms": _ms(start)}

    def cite(self, state: State) -> Answer:
        result = check_citations(state["answer"])
        timings = {
            "retrieve_ms": state["retrieve_ms"],
            "answer_ms": state["answer_ms"],
            "total_ms": state["retrieve_ms"] + state["answer_ms"],
        }
        return replace(
            result,
            question=state["question"],
            standalone_question=state["standalone"],
            retrieved=list(state["passages"]),
            timings={**result.timings, **timings},
        )

    def invoke(self, state: State) -> Answer:
        return self.runnable.invoke(state)

    def stream(self, state: State) -> Iterator[str | Answer]:
        """Yield answer text pieces as produced, then the checked final ``Answer``."""
        state = self.retrieve(state)
        start = time.perf_counter()
        for piece in self.answerer.stream(state["standalone"], state["passages"]):
            if isinstance(piece, Answer):
                yield self.cite({**state, "answer": piece, "answer_ms": _ms(start)})
            else:
                yield piece
