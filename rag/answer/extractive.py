"""The default answerer: the reader's steps in order, no generative model needed.

1. question typing (``rag.answer.question``): what the question asks for;
2. candidate sentences (``rag.answer.evidence``) of the retrieved passages;
3. sentence ranking (``rag.answer.sentence_rank``);
4. answer ranking (``rag.answer.answer_rank``): the learned ranker picks the short answer
   among the candidate phrases (``rag.answer.candidates``), or a time path answers from the
   dates of events (``rag.answer.time_answers``);
5. abstention (``rag.answer.abstention``): decline when the draft is unlikely right;
6. composition (``rag.answer.compose``): the short answer, the quoted sentences and their
   citations, so every cited passage contains what the answer says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from rag.answer.about import (
    About,
    about_article,
    first_reporter,
    metadata_answer,
    names_reporter,
)
from rag.answer.abstention import Abstention, RulesAbstention, measure
from rag.answer.answer_features import Group, candidate_groups
from rag.answer.answer_rank import learned_short
from rag.answer.base import Answerer
from rag.answer.compose import abstain, compose, make_citation
from rag.answer.entities import EntityTagger
from rag.answer.evidence import Sentence, candidate_sentences
from rag.answer.interval import parse_interval, parse_order_choice
from rag.answer.question import QuestionInfo, analyse
from rag.answer.sentence_rank import SentenceScorer, Weights, has_evidence, in_period
from rag.answer.shaped import (
    asked_name,
    asks_means,
    asks_previous_occasion,
    asks_wording,
    description,
    first_found,
    means_phrase,
    previous_occasion,
    quoted_words,
)
from rag.answer.shortform import Embeds, Short, pick_shorts, wanted_count
from rag.answer.time_answers import (
    answer_interval,
    answer_often,
    answer_relative,
    answer_when,
    answer_which_first,
)
from rag.ranking import at_least, best_first
from rag.trees import TreeModel
from rag.types import Answer, Passage
from vectorstore.bm25_index import tokenize

CLOSE = 0.8
"""A sentence scored at least this share of the best one's is close enough to show when
declining, to lead a yes/no answer, or to give an answer of a fixed shape."""
_LEAD = 0.85  # a typed sentence scored this share of the best one's leads other answers


_STORY_SENTENCES = 10
"""How far down the ranked sentences "Which outlet first reported ...?" looks for one that
says who broke the news: such a sentence shares few of the question's words."""


class ExtractiveAnswerer(Answerer):
    """Answers by quoting the best sentences of the retrieved passages.

    Args:
        embedder: embeds the question and candidate sentences (meaning score): the
            ``Embedder``, or the index's ``SentenceVectors`` that serve the sentences
            embedded at ingest.
        min_score: below this best score the answerer declines (calibrated on the
            project's question set; see docs/evaluation.md). Used by the rules policy and
            by questions about an article's metadata.
        max_sentences: at most this many sentences (from different articles) per answer.
        weights: how sentences are scored (``rag.answer.sentence_rank``).
        max_embedded: embed (for the meaning score) only this many candidates, those
            with the best word-level score; the rest count a meaning of 0. Embedding the
            candidates is most of an answer's time; None embeds them all.
        abstention: decides from the draft's signals whether to answer
            (``rag.answer.abstention``); None applies the rules with ``min_score``.
        entities: an entity recogniser for the short answers' names
            (``rag.answer.entities``); None finds and types names by rules alone.
        ranker: the learned answer ranker (``rag.trees``, trained by
            ``newsqa train-reader``): it chooses the short answer of a one-answer question,
            and its calibrated probability may vouch for it where the signal policy (which
            judges the hand-set draft) would decline; None keeps the hand-set short-answer
            weights (``rag.answer.shortform``).
    """

    name = "extractive"

    def __init__(
        self,
        embedder: Embeds,
        min_score: float = 0.50,
        max_sentences: int = 2,
        weights: Weights | None = None,
        max_embedded: int | None = None,
        abstention: Abstention | None = None,
        entities: EntityTagger | None = None,
        ranker: TreeModel | None = None,
    ) -> None:
        self.embedder = embedder
        self.entities = entities
        self.ranker = ranker
        self.rules = RulesAbstention(min_score)
        self.abstention = abstention or self.rules
        self.min_score = min_score
        self.max_sentences = max_sentences
        self.scorer = SentenceScorer(embedder, weights, max_embedded)

    # --- scoring -------------------------------------------------------------------------

    def ranked(
        self, question: str, passages: list[Passage], as_of: dt.date | None
    ) -> tuple[QuestionInfo, list[Sentence]]:
        """The question's analysis and its candidate sentences, best first (ties: passage
        rank, then position)."""
        info = analyse(question, as_of)
        sentences = candidate_sentences(passages)
        self.scorer.score(info, sentences)
        return info, best_first(sentences, lambda s: s.score)

    def reader_groups(
        self, question: str, passages: list[Passage], as_of: dt.date | None = None
    ) -> list[Group]:
        """The candidate answers and their feature rows, as the learned ranker sees them
        (``newsqa train-reader`` labels these)."""
        info, ranked = self.ranked(question, passages, as_of)
        return candidate_groups(question, info, ranked, self.embedder, self.entities)

    # --- answering -----------------------------------------------------------------------

    def answer(
        self, question: str, passages: list[Passage], as_of: dt.date | None = None
    ) -> Answer:
        info, ranked = self.ranked(question, passages, as_of)
        if not ranked:
            return abstain(self.name, question, passages)
        kind = about_article(question)
        if kind == "outlet" and at_least(ranked[0].score, self.min_score):
            # "Which newspaper first reported ...?": the outlet a sentence says broke the
            # news, from the sentences about the story (those sharing its words).
            about = [s for s in ranked[:_STORY_SENTENCES] if s.terms & set(info.terms)]
            first = first_reporter(question, [s.text for s in about])
            if first is not None:
                said = about[first[0]]
                return compose(self.name, question, info, [said], short=Short(first[1], said))
        if kind == "outlet" and names_reporter(question, ranked[0].text):
            kind = None  # "RBC reported that ...": the sentence names the outlet asked for
        if kind is not None:
            found = None
            if at_least(ranked[0].score, self.min_score):
                found = self.answer_about(question, kind, ranked[0])
            return found or abstain(self.name, question, closest(passages, ranked))
        typed = [s for s in ranked if has_evidence(info.qtype, s, info)]
        needs_typed = info.qtype in ("when", "count", "duration", "frequency") or bool(
            info.intent.order
        )
        draft, short, hand = self.draft(question, info, ranked, typed)
        if draft is None:
            return abstain(self.name, question, closest(passages, ranked))
        learned = short if short is not None and short.learned else None
        judged_short, judged = short, draft
        if learned is not None:
            # The signal policy was fitted on hand-set drafts: it judges the hand-set short
            # answer (or its absence); the learned one has its own judge, its P(right).
            judged_short = hand[0] if hand else None
            judged = replace(draft, short=judged_short.text if judged_short else None)
        signals = measure(self.rules, info, ranked, typed, judged_short, needs_typed, judged)
        confidence = self.abstention.confidence(signals)
        declines = self.abstention.declines(signals)
        if learned is not None and self.ranker is not None:
            # Either judge may vouch for the answer; "never" still never declines.
            floor = max(self.ranker.threshold_p, self.abstention.p_floor)
            vouched = at_least(learned.score, floor)
            if not declines and not vouched and self.abstention.name != "never":
                # Only the signal policy vouched, and for the hand-set draft (its phrase, or
                # none): that draft is the answer, not a phrase no judge vouched for.
                draft = self.draft(question, info, ranked, typed, learned=False)[0] or draft
            declines = declines and not vouched
            confidence = max(confidence, learned.score)
        if declines:
            shown = closest(passages, ranked, [c.chunk_id for c in draft.citations])
            declined = abstain(self.name, question, shown, confidence=confidence, signals=signals)
            return replace(declined, withheld=draft.text, withheld_short=draft.short)
        return replace(draft, confidence=confidence, signals=signals.to_dict())

    def draft(
        self,
        question: str,
        info: QuestionInfo,
        ranked: list[Sentence],
        typed: list[Sentence],
        learned: bool = True,
    ) -> tuple[Answer | None, Short | None, list[Short]]:
        """The best answer the sentences offer, before deciding whether to give it; None
        when they offer nothing of the asked kind (no dated sentence for "when").

        Args:
            learned: let the learned ranker choose the short answer (False: the hand-set
                weights' phrase, the one the signal policy judged).

        Returns:
            (the draft, its short answer, the hand-set weights' best short answer: the one
            the signal policy judges, as it was fitted on hand-set drafts; empty when the
            draft is not a phrase answer or the weights found none).
        """
        asked = parse_interval(question)
        if asked is not None:
            between = answer_interval(self.name, question, asked, ranked)
            if between is not None:
                return between, None, []
        choice = parse_order_choice(question)
        if choice is not None:
            earlier = answer_which_first(self.name, question, choice, ranked)
            if earlier is not None:
                return earlier, None, []
        if (
            info.intent.relation
            and info.intent.anchor
            and (info.asks_event or info.qtype == "when")
        ):
            relative = answer_relative(self.name, question, info, ranked, self.min_score)
            if relative is not None:
                return relative, None, []
        atype = info.atype
        # "latest"/"first" questions are answered with the date of the event only when they
        # ask for a date or for nothing more specific: "Which airline was recently fined?"
        # wants an airline, not the day of the fine.
        dated_order = atype.kind in ("date", "none") and typed and typed[0].dated
        if info.qtype == "when" or (info.intent.order and dated_order):
            if not typed:
                return None, None, []
            return answer_when(self.name, question, info, typed), None, []
        if info.qtype == "frequency":
            found = answer_often(self.name, question, info, typed) if typed else None
            return found, None, []
        phrase = _shaped(question, info, ranked)
        if phrase is not None:
            draft = compose(self.name, question, info, [phrase.sentence], short=phrase)
            return draft, phrase, [phrase]
        # A yes/no question is settled only by a sentence that says what did not happen:
        # one close to the best leads ("a three-way summit has never been held").
        ratio = CLOSE if info.qtype == "yesno" else _LEAD
        lead = typed[0] if typed and at_least(typed[0].score, ratio * ranked[0].score) else None
        chosen = [lead or ranked[0]]
        # A typed lead promoted past better-scored sentences keeps its kind's company: "No."
        # is not followed by the sentences that did not settle the question.
        pool = typed if lead is not None and lead is not ranked[0] else ranked
        for s in pool:
            if s is chosen[0]:
                continue
            if len(chosen) >= self.max_sentences:
                break
            if s.passage.doc_id not in {c.passage.doc_id for c in chosen} and (
                at_least(s.score, 0.92 * chosen[0].score)
            ):
                chosen.append(s)
        count = wanted_count(question)
        hand = self._shorts(question, info, ranked, count)
        best = None
        if count == 1 and learned:
            best = learned_short(self.ranker, question, info, ranked, self.embedder, self.entities)
        shorts = [best] if best is not None else hand
        short = shorts[0] if shorts else None
        # "Which two cities ...?": both phrases, each cited, when two were found.
        more = shorts[1:] if len(shorts) == count else []
        for extra in reversed(more):
            if extra.sentence not in chosen:
                chosen = [extra.sentence, *chosen][: self.max_sentences]
        if short is not None and short.sentence not in chosen:
            chosen = [short.sentence, *chosen][: self.max_sentences]
        draft = compose(self.name, question, info, chosen, short=short, more=more)
        return draft, short, hand[:1]

    def _shorts(
        self, question: str, info: QuestionInfo, ranked: Sequence[Sentence], count: int
    ) -> list[Short]:
        """The hand-set short answers; for "Which two cities ... in 2022 and 2025?" one from
        each listed period, since the best of one period can outscore the other's by far."""
        parts = info.intent.parts
        if count > 1 and len(parts) == count:
            shorts: list[Short] = []
            for part in parts:
                inside = [s for s in ranked if in_period(s, part) > 0]
                found = pick_shorts(
                    question, info.terms, info.atype, inside, self.embedder, entities=self.entities
                )
                fresh = [f for f in found if f.text not in {s.text for s in shorts}]
                shorts.extend(fresh[:1])
            if len(shorts) == count:
                return shorts
        return pick_shorts(
            question, info.terms, info.atype, ranked, self.embedder, n=count, entities=self.entities
        )

    def answer_about(self, question: str, kind: About, best: Sentence) -> Answer | None:
        """Answer from the metadata of the article whose sentence matches the question best
        ("Who wrote the Hankyoreh report on ...?"); None when the metadata lacks it."""
        found = metadata_answer(kind, best.passage, 1)
        if found is None:
            return None
        return Answer(
            text=f"{found.text} “{best.text.strip()}” [1]",
            abstained=False,
            citations=[make_citation(1, best.passage, best.text)],
            question=question,
            answerer=self.name,
            short=found.value,
        )


def _shaped(question: str, info: QuestionInfo, ranked: Sequence[Sentence]) -> Short | None:
    """An answer of a fixed shape (``rag.answer.shaped``): "How did Putin get to Beijing?"
    -> "by car"; "How did Kim describe ...?" -> the words quoted; "Who is Mao Ning?" -> what
    a sentence says she is; from the first sentence close to the best that says so. "At what
    event had they met before X?" -> the occasion of "the first meeting ... since <it>",
    from the best sentence that says so (such a sentence is about the anchor, so it seldom
    scores close to the best). None for other questions, or when none says so."""
    if asks_previous_occasion(question, info.intent.relation):
        return _previous_occasion(info, ranked)
    if asks_means(question):
        find = means_phrase
    elif asks_wording(question):
        find = quoted_words
    elif asked_name(question) is not None:
        find = description
    else:
        return None
    close = _close(ranked)
    found = first_found([s.text for s in close], question, find)
    return Short(found[1], close[found[0]]) if found is not None else None


def _previous_occasion(info: QuestionInfo, ranked: Sequence[Sentence]) -> Short | None:
    """The occasion in "the first meeting ... since <it>" said in the article that names the
    anchor best ("the Samarkand meeting": the report of that meeting); a sentence of another
    article says it of another event ("before the Beijing summit" is not before Samarkand)."""
    anchor_terms = set(tokenize(info.intent.anchor or ""))
    if not anchor_terms or not ranked:
        return None
    named = max(ranked, key=lambda s: (len(anchor_terms & s.terms), s.score))
    if not anchor_terms & named.terms:
        return None
    # What the question asks besides its anchor: "had they met" in "the first meeting".
    asked = set(info.terms) - anchor_terms
    for s in ranked:
        if s.passage.doc_id != named.passage.doc_id:
            continue
        occasion = previous_occasion(s.text, asked)
        if occasion is not None:
            return Short(occasion, s)
    return None


def _close(ranked: Sequence[Sentence]) -> list[Sentence]:
    """The sentences scored at least ``CLOSE`` of the best one's, in ranking order."""
    best = ranked[0].score if ranked else 0.0
    return [s for s in ranked if at_least(s.score, CLOSE * best)]


def closest(
    passages: list[Passage], ranked: Sequence[Sentence], first: Sequence[str] = ()
) -> list[Passage]:
    """The passages a decline shows, closest first: those the withheld draft quoted
    (``first``, chunk ids), then those of sentences scored nearly as well as the best
    (``CLOSE``); the retriever's first passage when neither gives one.

    The reader's sentences say better than the retriever's order which passages come
    nearest an answer: a declined "On what date was Putin scheduled to hold talks with Xi
    ...?" showed three passages of other articles in the retriever's order, none of them
    the one whose sentence the reader had found. Passages that only fill the list are left
    out: they are not close."""
    by_id = {p.chunk_id: p for p in passages}
    near = [s.passage.chunk_id for s in _close(ranked)]
    order = [c for c in dict.fromkeys([*first, *near]) if c in by_id]
    return [by_id[c] for c in order] or passages[:1]
