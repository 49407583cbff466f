"""The answerer interface: one method, ``answer``."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator

from rag.types import Answer, Passage

ABSTAIN_TEXT = "The articles do not say. The closest passages are listed below."


class Answerer(ABC):
    """Turns a question and retrieved passages into a cited answer."""

    name: str = "answerer"

    @abstractmethod
    def answer(
        self, question: str, passages: list[Passage], as_of: dt.date | None = None
    ) -> Answer:
        """Answer from the passages only; cite each passage used as [n].

        Args:
            question: the standalone question.
            passages: retrieved passages, best first.
            as_of: the date the question is asked at ("this week" resolves against it).

        Returns:
            An ``Answer`` (``retrieved`` and ``timings`` are filled in by the chain).
        """

    def stream(
        self, question: str, passages: list[Passage], as_of: dt.date | None = None
    ) -> Iterator[str | Answer]:
        """Yield pieces of text as they are produced, then the final ``Answer``.

        The default produces the whole answer and yields it word by word; generative
        answerers override this to pass the model's tokens through.
        """
        final = self.answer(question, passages, as_of)
        words = final.text.split(" ")
        for i, word in enumerate(words):
            yield word if i == 0 else " " + word
        yield final
