"""Candidate answers and their features, for the learned answer ranker.

Why features and not weights: which phrase answers a news question depends on many weak
cues at once (its kind against the asked kind, how close it sits to the question's words,
how well its sentence matches, how many stories name it, how fresh they are). Hand-set
weights fitted on 200 questions picked the wrong phrase two times in three; a ranker learned
from 2,000 real questions (``newsqa train-reader``) weighs the same cues from data.

One function, ``candidate_groups``, serves training and answering, so the model sees at
answer time exactly what it was trained on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.answer.candidates import Candidate, full_span, normalise
from rag.answer.entities import EntityTagger
from rag.answer.names import NameContext, name_context
from rag.answer.question import QuestionInfo
from rag.answer.shortform import (
    Embeds,
    Weights,
    after_place_word,
    closeness,
    fit,
    in_question,
    new_to_question,
    sentence_candidates,
    story,
    thing_fit,
    trim_unit,
)
from rag.ranking import best_first
from vectorstore.bm25_index import tokenize

CANDIDATE_KINDS = ("name", "title", "number", "money", "percent", "score", "date", "noun")
ENTITY_KINDS = ("person", "org", "place")
ANSWER_KINDS = (
    "person", "org", "place", "city", "country", "state", "title", "date", "number", "money",
    "percent", "score", "duration", "thing", "none",
)  # fmt: skip
QUESTION_KINDS = ("what", "who", "where", "when", "count", "duration", "why", "yesno")

FEATURES: tuple[str, ...] = (
    "sentence_score",  # best score of a sentence naming it (the answerer's sentence score)
    "sentence_ratio",  # that score over the best sentence's
    "sentence_pos",  # log(1 + position of its best sentence in the ranking)
    "passage_rank",  # log(1 + best rank of a passage naming it)
    "meaning",  # best embedding similarity of its sentences to the question
    "coverage",  # best share of the question's key terms in its sentences
    "fit",  # best fit of the phrase to the asked kind (rules)
    "head_similarity",  # embedding similarity of the phrase to the question's head noun
    "has_head_similarity",
    "closeness",  # how close a question word sits to it (1 = adjacent)
    "mentions",  # log(1 + sentences naming it)
    "stories",  # distinct stories naming it (capped at 5)
    "outlets",  # distinct outlets naming it (capped at 5)
    "votes",  # sum over its stories of 1 / (1 + their best passage rank)
    "share",  # its mentions over all candidates' mentions
    "words",  # words in the phrase
    "digits",  # the phrase holds a digit
    "capitalised",  # share of its words that start with a capital
    "opens_sentence",  # it starts a sentence (names there are less sure)
    "question_overlap",  # share of its words that are in the question
    "in_title",  # a headline of a passage naming it names it too
    "age_behind",  # log(1 + days its freshest article trails the freshest candidate's); -1 unknown
    "hand_score",  # the hand-set short-answer score (sentence + fit + closeness + meaning)
    "hand_rank",  # log(1 + its rank by that score among the candidates)
    "hand_gap",  # how far that score trails the best candidate's
    "pool",  # log(1 + distinct candidates)
    "placed",  # share of its mentions after a place preposition ("in", "at", "to", ...)
    *(f"kind_{k}" for k in CANDIDATE_KINDS),
    *(f"entity_{k}" for k in ENTITY_KINDS),
    *(f"asks_{k}" for k in ANSWER_KINDS),
    *(f"question_{k}" for k in QUESTION_KINDS),
    "asks_plural",
)
# Features whose growth never lowers P(right) (+1) or never raises it (-1): the ranker is
# fitted under these constraints (``newsqa train-reader``), so that a better sentence, a
# better rank or more stories cannot lose to a worse one by a quirk of a few hundred
# questions (a fresher, better-scored sentence lost to last week's once, in a made test).
MONOTONE: dict[str, int] = {
    "sentence_score": 1, "sentence_ratio": 1, "meaning": 1, "coverage": 1, "fit": 1,
    "votes": 1, "stories": 1, "outlets": 1, "hand_score": 1,
    "sentence_pos": -1, "passage_rank": -1, "hand_rank": -1, "hand_gap": -1,
}  # fmt: skip
BUNDLED_READER = Path(__file__).with_name("answer_model.json")
VERSION = 20  # bump when a feature changes meaning: cached training rows are keyed on it

_HAND = Weights()
_TOP_SENTENCES = 10
_PHRASE_KINDS = frozenset(CANDIDATE_KINDS) - {"noun"}


@dataclass
class Mention:
    """One occurrence of a candidate phrase in a ranked sentence."""

    candidate: Candidate
    sentence: Any  # rag.answer.evidence.Sentence
    position: int  # the sentence's place in the ranking
    fit: float
    closeness: float
    hand: float


@dataclass
class Group:
    """A candidate answer: every mention of one normalised phrase, and its features."""

    key: str
    mentions: list[Mention]
    features: np.ndarray
    best: Mention  # the mention the answer quotes (best hand score; ties: ranking order)

    @property
    def text(self) -> str:
        return self.best.candidate.text

    @property
    def shown(self) -> str:
        """The text the answer shows (``rag.answer.candidates.full_span``): what the reader
        reads and the benchmark judges, so training labels it too."""
        sentence = self.best.sentence
        return full_span(self.text, sentence.text, sentence.passage.text)


def _mentions(
    question: str,
    info: QuestionInfo,
    found: Sequence[tuple[Any, list[Candidate]]],
    sims: dict[str, float],
    q_tokens: set[str],
    names: NameContext | None,
) -> list[Mention]:
    atype = info.atype
    out: list[Mention] = []
    for position, (s, cands) in enumerate(found):
        for c in cands:
            c = trim_unit(c, q_tokens)
            if in_question(c.text, question, q_tokens):
                continue
            if c.kind == "noun" and not new_to_question(c, q_tokens, atype):
                continue
            if atype.kind == "thing" and c.kind in ("name", "title", "noun"):
                f = thing_fit(atype, c, sims.get(c.text, 0.0), _HAND)
            elif atype.kind == "none":
                f = 0.5 if c.kind in _PHRASE_KINDS else 0.3
            else:
                f = fit(atype, c, s.text, names)
            # Every phrase stays a candidate whatever its fit (a feature the ranker weighs):
            # dropping those under 0.2 lost the right one for 0.05 of validate questions
            # ("Mount Etna" for "Which volcano", "Jay-Z" for "which special guest").
            near = closeness(info.terms, s.text, c)
            # the hand-set short-answer score (``rag.answer.shortform.pick_shorts``)
            hand = (
                s.score + _HAND.fit * f + _HAND.closeness * near
                + _HAND.meaning * sims.get(c.text, 0.0)
            )  # fmt: skip
            out.append(Mention(c, s, position, f, near, hand))
    return out


def _similarities(
    info: QuestionInfo,
    found: Sequence[tuple[Any, list[Candidate]]],
    embedder: Embeds | None,
) -> dict[str, float]:
    """Similarity of every name/title/noun phrase to the question's head noun."""
    head = info.atype.head
    if embedder is None or not head:
        return {}
    texts = [c.text for _, cands in found for c in cands if c.kind in ("name", "title", "noun")]
    texts = list(dict.fromkeys(texts))
    if not texts:
        return {}
    matrix = embedder.encode_cached([head, *texts])
    return dict(zip(texts, (float(v) for v in np.asarray(matrix[1:] @ matrix[0])), strict=True))


def _one_hot(value: str | None, names: Sequence[str]) -> list[float]:
    return [1.0 if value == n else 0.0 for n in names]


def candidate_groups(
    question: str,
    info: QuestionInfo,
    ranked: Sequence[Any],
    embedder: Embeds | None = None,
    entities: EntityTagger | None = None,
) -> list[Group]:
    """The candidate answers of the best ranked sentences, each with its feature row.

    Args:
        question: the (standalone) question.
        info: its analysis (``rag.answer.question.analyse``).
        ranked: the answerer's scored sentences, best first.
        embedder: for the likeness of phrases to the question's head noun ("which animal").
        entities: labels names as person/org/place; None keeps the rules alone.

    Returns:
        Groups in the order of their best hand score (ties: ranking order); empty when no
        sentence holds a phrase of a fitting kind.
    """
    if not ranked:
        return []
    # Each sentence's phrases, found once (entity tagging is the costly part).
    q_tokens = set(tokenize(question))
    found = [
        (s, sentence_candidates(s, info.atype, entities, q_tokens)) for s in ranked[:_TOP_SENTENCES]
    ]
    sims = _similarities(info, found, embedder)
    # For a person asked: what all the retrieved sentences say of the names.
    names = (
        name_context([s.text for s in ranked], question) if info.atype.kind == "person" else None
    )
    mentions = _mentions(question, info, found, sims, q_tokens, names)
    by_key: dict[str, list[Mention]] = {}
    for m in mentions:
        key = normalise(m.candidate.text)
        if key:
            by_key.setdefault(key, []).append(m)
    if not by_key:
        return []
    hand = {k: max(m.hand for m in ms) for k, ms in by_key.items()}
    order = best_first(by_key, hand.__getitem__)
    top_hand = hand[order[0]]
    total_mentions = sum(len(ms) for ms in by_key.values())
    best_sentence = max(ranked[0].score, 1e-9)
    # Freshness against the freshest candidate, not against the day asked: the same
    # articles give the same answer tomorrow (an absolute age moved a made test's answer
    # as the calendar moved), and the order of the reports is what the ranker needs.
    published = {
        k: max((d for m in ms if (d := m.sentence.passage.published) is not None), default=None)
        for k, ms in by_key.items()
    }
    known = [d for d in published.values() if d is not None]
    freshest = max(known) if known else None
    groups = []
    for place, key in enumerate(order):
        ms = by_key[key]
        best = max(ms, key=lambda m: (m.hand, -m.position))
        first = min(ms, key=lambda m: m.position)
        stories: dict[str, int] = {}
        for m in ms:
            name = story(m.sentence.passage)
            stories[name] = min(stories.get(name, m.sentence.rank), m.sentence.rank)
        outlets = {m.sentence.passage.outlet for m in ms if m.sentence.passage.outlet}
        text = best.candidate.text
        words = text.split()
        tokens = tokenize(text)
        newest = published[key]
        padded = f" {key} "
        in_title = any(padded in f" {normalise(m.sentence.passage.title or '')} " for m in ms)
        row = [
            max(m.sentence.score for m in ms),
            max(m.sentence.score for m in ms) / best_sentence,
            math.log1p(first.position),
            math.log1p(min(m.sentence.rank for m in ms)),
            max(m.sentence.meaning for m in ms),
            max(m.sentence.coverage for m in ms),
            max(m.fit for m in ms),
            sims.get(text, 0.0),
            1.0 if text in sims else 0.0,
            max(m.closeness for m in ms),
            math.log1p(len(ms)),
            float(min(len(stories), 5)),
            float(min(len(outlets), 5)),
            sum(1.0 / (1.0 + r) for r in stories.values()),
            len(ms) / total_mentions,
            float(len(words)),
            1.0 if re.search(r"\d", text) else 0.0,
            sum(1 for w in words if w[:1].isupper()) / max(len(words), 1),
            1.0 if any(m.candidate.start == 0 for m in ms) else 0.0,
            len(set(tokens) & q_tokens) / max(len(tokens), 1),
            1.0 if in_title else 0.0,
            math.log1p((freshest - newest).days) if freshest and newest else -1.0,
            hand[key],
            math.log1p(place),
            top_hand - hand[key],
            math.log1p(len(by_key)),
            sum(1 for m in ms if after_place_word(m.candidate, m.sentence.text)) / len(ms),
            *_one_hot(best.candidate.kind, CANDIDATE_KINDS),
            *_one_hot(best.candidate.entity, ENTITY_KINDS),
            *_one_hot(info.atype.kind, ANSWER_KINDS),
            *_one_hot(info.qtype, QUESTION_KINDS),
            1.0 if info.atype.plural else 0.0,
        ]
        groups.append(Group(key, ms, np.asarray(row, dtype=np.float64), best))
    return groups


def feature_matrix(groups: Sequence[Group]) -> np.ndarray:
    """The groups' rows stacked (0 x features when there is none)."""
    if not groups:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    return np.vstack([g.features for g in groups])
