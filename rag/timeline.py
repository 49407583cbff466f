"""Timelines: the dated events about a topic, ordered by when they happened.

Events are sentences of the retrieved passages that are about the query (scored like
answer candidates) and carry a resolved date; the order is the event date, not the
article's publication date.
"""

from __future__ import annotations

from rag.answer.compose import make_citation
from rag.answer.evidence import candidate_sentences
from rag.answer.question import analyse
from rag.answer.sentence_rank import SentenceScorer
from rag.ranking import at_least
from rag.temporal import value_range
from rag.types import Passage, TimelineEvent
from vectorstore.embeddings import Embedder


def build_timeline(
    query: str, passages: list[Passage], embedder: Embedder, min_score: float = 0.45
) -> list[TimelineEvent]:
    """Dated, relevant sentences of ``passages`` as events, oldest first.

    Args:
        query: what the timeline is about ("Putin meetings with Kim").
        passages: retrieved passages to draw events from.
        embedder: scores how close each sentence is to the query.
        min_score: sentences scoring lower are left out.
    """
    sentences = candidate_sentences(passages)
    SentenceScorer(embedder).score(analyse(query), sentences)
    events: list[TimelineEvent] = []
    seen: set[tuple[str, str]] = set()
    for s in sentences:
        if not at_least(s.score, min_score):
            continue
        # Every date of the sentence is an event on the timeline ("... first visit in six
        # years, since January 2019" dates this visit and the previous one).
        for mention in s.dated:
            key = (mention.value or "", s.text)
            if key in seen:
                continue
            seen.add(key)
            events.append(
                TimelineEvent(
                    date=mention.value or "",
                    granularity=mention.granularity,
                    sentence=s.text,
                    citation=make_citation(len(events) + 1, s.passage, s.text),
                )
            )
    events.sort(key=lambda e: (value_range(e.date)[0], e.sentence))
    return events
