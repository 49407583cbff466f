"""The generative answerer: a LangChain chat model writes the answer, checks decide to keep it.

Flow for one question:

1. ``prompt.build_prompt`` shows the model the best few passages as quoted, numbered
   data (with resolved dates) and the question's date context.
2. The chat model answers; ``stream`` passes its tokens through as they arrive.
3. ``checks.check_answer`` keeps the answer only when it cites a passage that exists and
   is lexically supported by the passages it cites; "not in the articles" becomes an
   abstention. Anything else (no valid citation, unsupported text, a model or server
   error, a timeout) is replaced by the extractive answer, with ``fallback_reason`` set.

The chat model is built on first use (``chat_model_factory``), so constructing the
answerer loads nothing and contacts no server.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from langchain_core.language_models import BaseChatModel

from rag.answer.base import Answerer
from rag.answer.checks import DEFAULT_MIN_GROUNDEDNESS, best_sentence, check_answer
from rag.answer.checks import sentences_citing as claims_citing
from rag.answer.compose import abstain, make_citation
from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.prompt import Prompt, build_prompt
from rag.errors import ModelError, NewsQAError
from rag.types import Answer, Passage


def one_line(exc: BaseException, limit: int = 200) -> str:
    """An exception as one short line: "TimeoutError: ..." (NewsQA's own errors as they are)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, NewsQAError) and type(exc).__name__ not in text:
        text = f"{type(exc).__name__}: {text}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _content(chunk: Any) -> str:
    """The text of a message or message chunk (content may be a list of parts)."""
    content = getattr(chunk, "content", chunk)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p if isinstance(p, str) else str(p.get("text", "")) if isinstance(p, dict) else ""
            for p in content
        )
    return ""


class LLMAnswerer(Answerer):
    """Answers with a chat model, falling back to the extractive answerer when unsure.

    Args:
        chat_model_factory: builds the LangChain chat model; called once, on first use.
        fallback: the extractive answerer used for abstentions and fallbacks.
        max_passages: passages shown to the model (the best ones).
        max_passage_chars: each shown passage is cut to about this many characters.
        min_groundedness: below this lexical support the answer is replaced.
        timeout: seconds one answer may take while streaming (None: no limit here; the
            backends have their own request timeouts).
    """

    name = "llm"

    def __init__(
        self,
        chat_model_factory: Callable[[], BaseChatModel],
        fallback: ExtractiveAnswerer,
        *,
        max_passages: int = 4,
        max_passage_chars: int = 1000,
        min_groundedness: float = DEFAULT_MIN_GROUNDEDNESS,
        timeout: float | None = None,
    ) -> None:
        self.chat_model_factory = chat_model_factory
        self.fallback = fallback
        self.max_passages = max_passages
        self.max_passage_chars = max_passage_chars
        self.min_groundedness = min_groundedness
        self.timeout = timeout
        self._model: BaseChatModel | None = None
        self._lock = threading.Lock()

    def model(self) -> BaseChatModel:
        """The chat model, built on first call (a failed build is retried next time)."""
        with self._lock:
            if self._model is None:
                self._model = self.chat_model_factory()
            return self._model

    def prompt(
        self, question: str, passages: list[Passage], as_of: dt.date | None = None
    ) -> Prompt:
        return build_prompt(
            question, passages, self.max_passages, self.max_passage_chars, as_of=as_of
        )

    # --- answering -------------------------------------------------------------------------

    def answer(
        self, question: str, passages: list[Passage], as_of: dt.date | None = None
    ) -> Answer:
        if not passages:
            return self._abstain(question, passages)
        prompt = self.prompt(question, passages, as_of)
        start = time.perf_counter()
        try:
            raw = _content(self.model().invoke(prompt.messages))
        except Exception as exc:  # any model/server failure becomes a fallback, not a crash
            return self.fall_back(question, passages, f"model error: {one_line(exc)}", as_of)
        timings = {"llm_ms": (time.perf_counter() - start) * 1000.0}
        return replace(self.finish(question, passages, prompt, raw, as_of), timings=timings)

    def stream(
        self, question: str, passages: list[Passage], as_of: dt.date | None = None
    ) -> Iterator[str | Answer]:
        """Yield the model's tokens as they arrive, then the checked final ``Answer``."""
        if not passages:
            yield self._abstain(question, passages)
            return
        prompt = self.prompt(question, passages, as_of)
        pieces: list[str] = []
        start = time.perf_counter()
        first: float | None = None
        try:
            for chunk in self.model().stream(prompt.messages):
                text = _content(chunk)
                if text:
                    if first is None:
                        first = time.perf_counter()
                    pieces.append(text)
                    yield text
                if self.timeout is not None and time.perf_counter() - start > self.timeout:
                    raise TimeoutError(f"no complete answer within {self.timeout:g} s")
        except Exception as exc:  # any model/server failure becomes a fallback, not a crash
            yield self.fall_back(question, passages, f"model error: {one_line(exc)}", as_of)
            return
        timings = {"llm_ms": (time.perf_counter() - start) * 1000.0}
        if first is not None:
            timings["llm_first_token_ms"] = (first - start) * 1000.0
        final = self.finish(question, passages, prompt, "".join(pieces), as_of)
        yield replace(final, timings=timings)

    def finish(
        self,
        question: str,
        passages: list[Passage],
        prompt: Prompt,
        raw: str,
        as_of: dt.date | None = None,
    ) -> Answer:
        """The final answer for the model's raw text: kept, an abstention, or a fallback."""
        shown = prompt.shown
        verdict = check_answer(raw, [s.grounding_text for s in shown], self.min_groundedness)
        if verdict.kind == "abstain":
            return self._abstain(question, passages)
        if verdict.kind != "answer":
            return self.fall_back(question, passages, verdict.reason or "answer rejected", as_of)
        citations = []
        for new, number in enumerate(verdict.cited, start=1):
            passage = shown[number - 1].passage
            claim = " ".join(claims_citing(verdict.text, new)) or verdict.text
            citations.append(make_citation(new, passage, best_sentence(claim, passage)))
        return Answer(
            text=verdict.text,
            abstained=False,
            citations=citations,
            question=question,
            answerer=self.name,
        )

    def fall_back(
        self, question: str, passages: list[Passage], reason: str, as_of: dt.date | None = None
    ) -> Answer:
        """The extractive answer, marked with why the generative one was not used.

        Raises:
            ModelError: the extractive answerer failed too.
        """
        try:
            result = self.fallback.answer(question, passages, as_of)
        except Exception as exc:
            raise ModelError(f"{reason}; the extractive fallback failed: {one_line(exc)}") from exc
        return replace(result, fallback_reason=reason)

    def _abstain(self, question: str, passages: list[Passage]) -> Answer:
        return abstain(self.name, question, passages)
