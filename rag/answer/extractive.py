"""The default answerer: picks the sentences that answer, needs no generative model.

Every retrieved passage is split into sentences; each sentence is scored by meaning
(embedding similarity to the question), by the share of the question's key terms it
holds (IDF-weighted) and by whether it carries the kind of evidence the question asks
for (a date for "when", a number for "how many", ...). The answer quotes the winning
sentence(s) and cites their passages, so every cited passage contains what the answer
says. When nothing scores above a calibrated threshold, it declines.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from rag.answer.base import ABSTAIN_TEXT, Answerer
from rag.answer.question import QuestionInfo, analyse
from rag.sentences import split_sentences
from rag.tag_dates import decode_mentions
from rag.temporal import format_value, value_range
from rag.types import Answer, Citation, DateMention, Passage
from vectorstore.bm25_index import tokenize
from vectorstore.embeddings import Embedder

_NUMBER = re.compile(
    r"\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"dozens?|hundreds?|thousands?|millions?|billions?)\b",
    re.I,
)
_DURATION = re.compile(
    rf"{_NUMBER.pattern}[\w\s,-]{{0,20}}?\b(years?|months?|weeks?|days?|hours?|decades?)\b", re.I
)
_PLACE = re.compile(r"\b(in|at|to|from|near)\s+(the\s+)?[A-Z][\w'-]+")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b")
_NEGATION = re.compile(r"\b(never|not|no|none|neither|nor|n't)\b", re.I)
_YEAR_IN_TEXT = re.compile(r"\b(1[89]|20)\d\d\b")


@dataclass
class Sentence:
    """A candidate answer sentence inside a retrieved passage."""

    rank: int
    passage: Passage
    start: int
    end: int
    text: str
    mentions: list[DateMention] = field(default_factory=list)
    terms: frozenset[str] = frozenset()
    score: float = 0.0

    @property
    def dated(self) -> list[DateMention]:
        return [m for m in self.mentions if m.value]


def has_evidence(qtype: str, sentence: Sentence, info: QuestionInfo) -> bool:
    """Does the sentence hold the kind of thing the question asks for?"""
    text = sentence.text
    if qtype == "when":
        return bool(sentence.dated)
    if qtype == "count":
        return bool(_NUMBER.search(text))
    if qtype == "duration":
        return bool(_DURATION.search(text))
    if qtype == "where":
        return bool(_PLACE.search(text))
    if qtype == "who":
        asked = set(info.terms)
        return any(not set(tokenize(n)) <= asked for n in _NAME.findall(text))
    return True


class ExtractiveAnswerer(Answerer):
    """Answers by quoting the best sentences of the retrieved passages.

    Args:
        embedder: embeds the question and candidate sentences (meaning score).
        min_score: below this best score the answerer declines (calibrated on the
            project's question set; see docs/evaluation.md).
        max_sentences: at most this many sentences (from different articles) per answer.
    """

    name = "extractive"

    def __init__(self, embedder: Embedder, min_score: float = 0.30, max_sentences: int = 2):
        self.embedder = embedder
        self.min_score = min_score
        self.max_sentences = max_sentences

    # --- scoring -------------------------------------------------------------------------

    def candidates(self, passages: list[Passage]) -> list[Sentence]:
        """Sentences of all passages, each once (overlapping chunks repeat sentences)."""
        seen: set[tuple[str, int]] = set()
        out: list[Sentence] = []
        for rank, p in enumerate(passages):
            mentions = decode_mentions(p.text, p.metadata.get("dates"))
            for s, e in split_sentences(p.text):
                key = (p.doc_id, p.start + s)
                if key in seen or len(p.text[s:e].split()) < 4:
                    continue
                seen.add(key)
                own = [
                    DateMention(m.text, m.start - s, m.end - s, m.value, m.granularity)
                    for m in mentions
                    if m.start >= s and m.end <= e
                ]
                text = p.text[s:e]
                out.append(Sentence(rank, p, s, e, text, own, frozenset(tokenize(text))))
        return out

    def score(self, info: QuestionInfo, sentences: list[Sentence]) -> None:
        """Set ``Sentence.score`` in place: meaning + weighted term coverage + evidence."""
        if not sentences:
            return
        n = len(sentences)
        df = {t: sum(1 for s in sentences if t in s.terms) for t in set(info.terms)}
        idf = {t: math.log((n + 1) / (df[t] + 0.5)) for t in df}
        total = sum(idf.values()) or 1.0
        vectors = self.embedder.encode([info.text] + [s.text for s in sentences])
        sims = vectors[1:] @ vectors[0]
        for s, sim in zip(sentences, np.asarray(sims, dtype=float)):
            coverage = sum(w for t, w in idf.items() if t in s.terms) / total
            bonus = 0.08 if info.qtype != "what" and has_evidence(info.qtype, s, info) else 0.0
            prior = 0.05 / (1 + s.rank)
            s.score = 0.5 * float(sim) + 0.4 * coverage + bonus + prior

    # --- answering -----------------------------------------------------------------------

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        info = analyse(question)
        sentences = self.candidates(passages)
        self.score(info, sentences)
        ranked = sorted(sentences, key=lambda s: s.score, reverse=True)
        typed = [s for s in ranked if has_evidence(info.qtype, s, info)]
        if not ranked or ranked[0].score < self.min_score:
            return self.abstain(question, passages)
        if info.qtype in ("when", "count", "duration") or info.intent.order:
            if not typed or typed[0].score < max(self.min_score, 0.8 * ranked[0].score):
                return self.abstain(question, passages)
        if info.qtype == "when" or (info.intent.order and typed and typed[0].dated):
            return self.answer_when(question, info, typed)
        chosen = [typed[0] if typed and typed[0].score >= 0.85 * ranked[0].score else ranked[0]]
        for s in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if s.passage.doc_id not in {c.passage.doc_id for c in chosen} and (
                s.score >= 0.92 * chosen[0].score
            ):
                chosen.append(s)
        return self.compose(question, info, chosen)

    def answer_when(self, question: str, info: QuestionInfo, typed: list[Sentence]) -> Answer:
        """State the absolute date; for last/first questions order by event date."""
        best = typed[0]
        order = info.intent.order
        if order is None:
            mention = pick_mention(best, info)
            return self.compose(question, info, [best], lead=[(mention, best)])
        relevant = [s for s in typed if s.score >= 0.75 * best.score]
        dated = [(m, s) for s in relevant for m in s.dated]
        dated.sort(key=lambda ms: value_range(ms[0].value or "")[0], reverse=order == "latest")
        first_m, first_s = dated[0]
        lead = [(first_m, first_s)]
        others = [
            (m, s)
            for m, s in dated[1:]
            if value_range(m.value or "")[0] != value_range(first_m.value or "")[0]
        ]
        chosen = [first_s]
        if others:
            lead.append(others[0])
            if others[0][1] is not first_s:
                chosen.append(others[0][1])
        return self.compose(question, info, chosen, lead=lead)

    def compose(
        self,
        question: str,
        info: QuestionInfo,
        chosen: list[Sentence],
        lead: list[tuple[DateMention, Sentence]] | None = None,
    ) -> Answer:
        """Write the answer text with [n] markers and build the citations."""
        citations: list[Citation] = []
        index_of: dict[str, int] = {}

        def cite(s: Sentence) -> int:
            key = s.passage.chunk_id
            if key not in index_of:
                index_of[key] = len(citations) + 1
                citations.append(make_citation(index_of[key], s.passage, s.text))
            return index_of[key]

        parts: list[str] = []
        if lead:
            m, s = lead[0]
            parts.append(f"{date_phrase(m, s)} [{cite(s)}].")
            if len(lead) > 1:
                m2, s2 = lead[1]
                word = "previous" if info.intent.order == "latest" else "next"
                parts.append(f"The {word} one was {date_phrase(m2, s2)} [{cite(s2)}].")
        elif info.qtype == "yesno" and _NEGATION.search(chosen[0].text):
            parts.append("No.")
        for s in chosen:
            parts.append(f"“{s.text.strip()}” [{cite(s)}]")
        return Answer(
            text=" ".join(parts),
            abstained=False,
            citations=citations,
            question=question,
            answerer=self.name,
        )

    def abstain(self, question: str, passages: list[Passage], n: int = 3) -> Answer:
        """Decline, showing the closest passages so the reader can judge."""
        citations = [make_citation(i + 1, p, None) for i, p in enumerate(passages[:n])]
        return Answer(
            text=ABSTAIN_TEXT,
            abstained=True,
            citations=citations,
            question=question,
            answerer=self.name,
        )


def pick_mention(sentence: Sentence, info: QuestionInfo) -> DateMention:
    """The date in a sentence that the question is about: the most precise one, nearest
    the question's key terms."""
    lowered = sentence.text.lower()
    anchors = [lowered.find(w) for w in info.text.lower().split() if len(w) > 3]
    anchors = [a for a in anchors if a >= 0] or [0]
    precision = {"day": 0, "week": 1, "month": 2, "year": 3}

    def key(m: DateMention) -> tuple[int, int]:
        distance = min(abs(m.start - a) for a in anchors)
        return precision.get(m.granularity, 4), distance

    return min(sentence.dated, key=key)


def date_phrase(mention: DateMention, sentence: Sentence) -> str:
    """"2 September 2025", followed by the article's own words when they were relative."""
    value = format_value(mention.value or "")
    if _YEAR_IN_TEXT.search(mention.text) or mention.text.strip() == value:
        return value
    published = sentence.passage.published
    article = f" in the article of {format_value(published.isoformat())}" if published else ""
    return f"{value} (“{mention.text}”{article})"


def make_citation(index: int, p: Passage, sentence: str | None) -> Citation:
    return Citation(
        index=index,
        doc_id=p.doc_id,
        title=p.title,
        outlet=p.outlet,
        published=p.published,
        chunk_id=p.chunk_id,
        text=p.text,
        score=p.score,
        sentence=sentence,
    )
