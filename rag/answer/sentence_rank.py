"""Ranks the reader's candidate sentences: how well each answers the question.

A sentence scores by meaning (embedding similarity to the question), by the share of the
question's key terms it holds (IDF-weighted), by whether it carries the kind of evidence
the question asks for (a date for "when", a number for "how many", ...), by its passage's
rank, and, for questions naming a period, two parties or a place, by whether it falls in
that period, names both, and does not put its event at another place. The learned answer
ranker reads this score as one feature among many (``rag.answer.answer_features``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from rag.answer.evidence import FREQUENCY, Sentence, acronyms_of, says_no, spelled_out
from rag.answer.parties import involvement, parties
from rag.answer.places import COUNTRIES, elsewhere, places_at
from rag.answer.question import QuestionInfo
from rag.answer.shortform import Embeds
from rag.ranking import at_least, best_first
from rag.retrieve.recency import freshness, newest
from rag.temporal import value_range
from vectorstore.bm25_index import tokenize

_NUMBER = re.compile(
    r"\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"dozens?|hundreds?|thousands?|millions?|billions?)\b",
    re.I,
)
_DURATION = re.compile(
    rf"{_NUMBER.pattern}[\w\s,-]{{0,20}}?\b(years?|months?|weeks?|days?|hours?|decades?)\b", re.I
)
_PLACE = re.compile(r"\b(in|at|to|from|near)\s+(the\s+)?(?P<name>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)*)")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


@dataclass(frozen=True)
class Weights:
    """How the sentence score is made (calibrated on eval/datasets/newsqa.jsonl)."""

    meaning: float = 0.4
    coverage: float = 0.4
    evidence: float = 0.1
    rank: float = 0.05
    proximity: float = 0.05
    period: float = 0.1
    # Questions about the present ("Who is ...", "latest"): a sentence within
    # ``recency_margin`` of the best one gains up to ``recency`` when it comes from the
    # newest candidate article, halving every ``recency_half_life`` days older.
    # Questions naming two parties: a sentence whose passage lacks one of them loses this
    # much, one that names only one of them while its passage names both a tenth of it.
    parties: float = 0.3
    # Questions that put their event at a place ("... meeting in Beijing?"): a sentence that
    # puts it elsewhere ("in Moscow") and does not name the asked place loses this much.
    place: float = 0.1
    recency: float = 0.05
    recency_half_life: float = 14.0
    recency_margin: float = 0.04


def proximity(info_terms: tuple[str, ...], tokens: tuple[str, ...]) -> float:
    """How tightly the question's terms cluster in the sentence (1.0 = adjacent)."""
    positions = {}
    for i, t in enumerate(tokens):
        if t in info_terms and t not in positions:
            positions[t] = i
    if len(positions) < 2:
        return 0.0
    span = max(positions.values()) - min(positions.values()) + 1
    return len(positions) / span


def has_evidence(qtype: str, sentence: Sentence, info: QuestionInfo) -> bool:
    """Does the sentence hold the kind of thing the question asks for?"""
    text = sentence.text
    if qtype == "when":
        if info.wants_day:
            return any(m.granularity == "day" for m in sentence.dated)
        return bool(sentence.dated)
    if qtype == "yesno":
        # A yes/no question is settled by a sentence that says what did *not* happen.
        return says_no(text)
    if qtype == "count":
        return bool(_NUMBER.search(text))
    if qtype == "duration":
        return bool(_DURATION.search(text))
    if qtype == "frequency":
        return bool(FREQUENCY.search(text))
    if qtype == "where":
        places = [m.group("name") for m in _PLACE.finditer(text)]
        if info.wants_city:
            # "Which city ...?" is not answered by "in Uzbekistan".
            places = [p for p in places if p.lower() not in COUNTRIES]
        return bool(places)
    if qtype == "who":
        asked = set(info.terms)
        return any(not set(tokenize(n)) <= asked for n in _NAME.findall(text))
    return True


def in_period(sentence: Sentence, *periods: tuple[int, int]) -> float:
    """+1 when the sentence (or its article's date) falls in one of the question's periods,
    -1 when its dates all fall outside them, 0 when it has none."""
    ranges = [value_range(m.value) for m in sentence.dated if m.value]
    if not ranges and sentence.passage.published is not None:
        day = int(sentence.passage.published.strftime("%Y%m%d"))
        ranges = [(day, day)]
    if not ranges:
        return 0.0
    inside = any(a <= hi and b >= lo for a, b in ranges for lo, hi in periods)
    return 1.0 if inside else -1.0


class SentenceScorer:
    """Scores candidate sentences for a question.

    Args:
        embedder: embeds the question and candidate sentences (meaning score): the
            ``Embedder``, or the index's ``SentenceVectors`` that serve the sentences
            embedded at ingest.
        weights: how the score is made.
        max_embedded: embed (for the meaning score) only this many candidates, those
            with the best word-level score; the rest count a meaning of 0. Embedding the
            candidates is most of an answer's time; None embeds them all.
    """

    def __init__(
        self, embedder: Embeds, weights: Weights | None = None, max_embedded: int | None = None
    ) -> None:
        self.embedder = embedder
        self.weights = weights or Weights()
        self.max_embedded = max_embedded

    def score(self, info: QuestionInfo, sentences: list[Sentence]) -> None:
        """Set ``Sentence.score`` in place: meaning + weighted term coverage + evidence."""
        if not sentences:
            return
        n = len(sentences)
        # In question order, not set order: a float sum's order must not follow the
        # process's string hash seed (PYTHONHASHSEED).
        # A sentence that spells out an acronym of the question covers it ("APEC").
        asked = acronyms_of(info.text)
        terms = {id(s): s.terms | spelled_out(asked, s.text) for s in sentences}
        df = {t: sum(1 for s in sentences if t in terms[id(s)]) for t in dict.fromkeys(info.terms)}
        idf = {t: math.log((n + 1) / (df[t] + 0.5)) for t in df}
        total = sum(idf.values()) or 1.0
        w = self.weights
        period = info.intent.period
        named = parties(info.text)
        # The question names the year of its period ("in October 2023"), not only a period
        # read from today ("last month", "next year").
        years = {m.group(0) for m in _YEAR.finditer(info.text)}
        dated_question = period is not None and str(period[0])[:4] in years
        # A "where" question asks for the place: another one in a sentence is no conflict
        # ("in Siesta Key" for "Where did Milton make landfall in Florida?").
        where = info.qtype == "where" or info.atype.kind in ("place", "city", "country", "state")
        asked_places = [] if where else places_at(info.text)
        anchor = None
        if info.intent.recent and info.intent.as_of is not None:
            anchor = newest((s.passage.published for s in sentences), info.intent.as_of)
        for s in sentences:
            coverage = sum(v for t, v in idf.items() if t in terms[id(s)]) / total
            s.coverage = coverage
            evidence = info.qtype != "what" and has_evidence(info.qtype, s, info)
            s.score = (
                w.coverage * coverage
                + (w.evidence if evidence else 0.0)
                + w.rank / (1 + s.rank)
                + w.proximity * proximity(info.terms, s.tokens)
            )
            if period is not None:
                inside = in_period(s, *(info.intent.parts or (period,)))
                s.score += w.period * inside
                if inside < 0 and s.dated and dated_question:
                    # Its own dates put it in another time than the year the question names
                    # ("How did Putin travel to Beijing in October 2023?"). Not for a period
                    # read from today ("next year"): the article's "next year" is its own.
                    s.score -= w.period
            if named:
                s.score -= w.parties * (1.0 - involvement(named, s.text, s.passage.text))
            if elsewhere(asked_places, s.text):
                s.score -= w.place
        embedded = sentences
        if self.max_embedded is not None and len(sentences) > self.max_embedded:
            embedded = best_first(sentences, lambda s: s.score)[: self.max_embedded]
        matrix = self.embedder.encode_cached([info.text] + [s.text for s in embedded])
        sims = matrix[1:] @ matrix[0]
        for s, sim in zip(embedded, np.asarray(sims, dtype=float)):
            s.meaning = float(sim)
            s.score += w.meaning * s.meaning
        if anchor is not None:
            # Only among comparable sentences: a fresher but clearly worse sentence must
            # not win a present-tense question.
            best = max(s.score for s in sentences)
            for s in sentences:
                if at_least(s.score, best - w.recency_margin):
                    fresh = freshness(s.passage.published, anchor, w.recency_half_life)
                    s.score += w.recency * fresh
