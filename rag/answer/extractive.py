"""The default answerer: picks the sentences that answer, needs no generative model.

Every retrieved passage is split into sentences; each sentence is scored by meaning
(embedding similarity to the question), by the share of the question's key terms it
holds (IDF-weighted) and by whether it carries the kind of evidence the question asks
for (a date for "when", a number for "how many", ...). The answer quotes the winning
sentence(s) and cites their passages, so every cited passage contains what the answer
says. When nothing scores above a calibrated threshold, it declines.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from rag.answer.about import About, about_article, metadata_answer
from rag.answer.abstention import Abstention, RulesAbstention, Signals
from rag.answer.answer_features import Group, candidate_groups, feature_matrix
from rag.answer.base import ABSTAIN_TEXT, Answerer
from rag.answer.candidates import full_span
from rag.answer.entities import EntityTagger
from rag.answer.interval import IntervalQuestion, date_event, interval_text, parse_interval
from rag.answer.parties import involvement, parties
from rag.answer.places import COUNTRIES
from rag.answer.question import QuestionInfo, analyse
from rag.answer.shortform import Embeds, Short, pick_shorts, story, wanted_count
from rag.ranking import at_least, best_first, best_of
from rag.retrieve.recency import freshness, newest
from rag.sentences import MIN_SENTENCE_WORDS, split_sentences
from rag.tag_dates import decode_mentions
from rag.temporal import find_dates, format_value, value_range
from rag.temporal.anchored import find_anchored, resolve_anchored
from rag.trees import TreeModel
from rag.types import Answer, Citation, DateMention, Passage
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
_NEGATION = re.compile(r"\b(never|not|no|none|neither|nor|n't)\b", re.I)
_YEAR_IN_TEXT = re.compile(r"\b(1[89]|20)\d\d\b")
# Text addressed to a language model, not news ("ignore previous instructions ..."): never
# quoted as evidence, whichever answerer runs.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|context)\b|"
    r"\b(system prompt|you are (now )?an? (ai|assistant|language model))\b|"
    r"\b(answer|respond|reply|tell (the )?users?)\b.{0,20}\bthat\b.{0,80}\b(instead|regardless)\b",
    re.I,
)
# A sentence that refers back to the event of the one before ("This marks ...").
_ANAPHORA = re.compile(
    r"^[\"“‘']?(this|that|it|these|those|the (visit|trip|meeting|summit|talks|event|move))\b",
    re.I,
)


# Expected answer kinds that a matching phrase must answer (``rag.answer.qtype``).
_PHRASE_KINDS = frozenset(
    {"person", "org", "place", "city", "country", "state", "number", "money", "percent", "score"}
)


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
    recency: float = 0.05
    recency_half_life: float = 14.0
    recency_margin: float = 0.04


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
    tokens: tuple[str, ...] = ()
    inherited: list[DateMention] = field(default_factory=list)
    score: float = 0.0
    meaning: float = 0.0
    coverage: float = 0.0

    @property
    def dated(self) -> list[DateMention]:
        """Resolved dates of the sentence, or of the sentence it refers back to."""
        own = [m for m in self.mentions if m.value]
        return own + [m for m in self.inherited if m.value]


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
        return bool(_NEGATION.search(text))
    if qtype == "count":
        return bool(_NUMBER.search(text))
    if qtype == "duration":
        return bool(_DURATION.search(text))
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
        self.weights = weights or Weights()
        self.max_embedded = max_embedded

    # --- scoring -------------------------------------------------------------------------

    def candidates(self, passages: list[Passage]) -> list[Sentence]:
        """Sentences of all passages, each once (overlapping chunks repeat sentences)."""
        seen: dict[tuple[str, int], Sentence] = {}
        out: list[Sentence] = []
        for rank, p in enumerate(passages):
            mentions = decode_mentions(p.text, p.metadata.get("dates"))
            previous: list[DateMention] = []
            for s, e in split_sentences(p.text):
                here = [m for m in mentions if m.start >= s and m.end <= e]
                before, previous = previous, [m for m in here if m.value]
                key = (p.doc_id, p.start + s)
                if key in seen:
                    # The same sentence in an overlapping chunk may show what it refers to.
                    if not seen[key].inherited and _ANAPHORA.match(seen[key].text):
                        seen[key].inherited = before
                    continue
                text = p.text[s:e]
                if len(text.split()) < MIN_SENTENCE_WORDS or _INSTRUCTION.search(text):
                    continue
                own = [
                    DateMention(m.text, m.start - s, m.end - s, m.value, m.granularity)
                    for m in mentions
                    if m.start >= s and m.end <= e
                ]
                tokens = tuple(tokenize(text))
                sentence = Sentence(rank, p, s, e, text, own, frozenset(tokens), tokens)
                if _ANAPHORA.match(text) and not any(m.granularity == "day" for m in own):
                    sentence.inherited = before
                seen[key] = sentence
                out.append(sentence)
        date_anchored(out)
        return out

    def score(self, info: QuestionInfo, sentences: list[Sentence]) -> None:
        """Set ``Sentence.score`` in place: meaning + weighted term coverage + evidence."""
        if not sentences:
            return
        n = len(sentences)
        # In question order, not set order: a float sum's order must not follow the
        # process's string hash seed (PYTHONHASHSEED).
        df = {t: sum(1 for s in sentences if t in s.terms) for t in dict.fromkeys(info.terms)}
        idf = {t: math.log((n + 1) / (df[t] + 0.5)) for t in df}
        total = sum(idf.values()) or 1.0
        w = self.weights
        period = info.intent.period
        named = parties(info.text)
        anchor = None
        if info.intent.recent and info.intent.as_of is not None:
            anchor = newest((s.passage.published for s in sentences), info.intent.as_of)
        for s in sentences:
            coverage = sum(v for t, v in idf.items() if t in s.terms) / total
            s.coverage = coverage
            evidence = info.qtype != "what" and has_evidence(info.qtype, s, info)
            s.score = (
                w.coverage * coverage
                + (w.evidence if evidence else 0.0)
                + w.rank / (1 + s.rank)
                + w.proximity * proximity(info.terms, s.tokens)
            )
            if period is not None:
                s.score += w.period * in_period(s, period)
            if named:
                s.score -= w.parties * (1.0 - involvement(named, s.text, s.passage.text))
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

    def ranked(
        self, question: str, passages: list[Passage], as_of: dt.date | None
    ) -> tuple[QuestionInfo, list[Sentence]]:
        """The question's analysis and its candidate sentences, best first (ties: passage
        rank, then position)."""
        info = analyse(question, as_of)
        sentences = self.candidates(passages)
        self.score(info, sentences)
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
            return self.abstain(question, passages)
        kind = about_article(question)
        if kind is not None:
            found = None
            if at_least(ranked[0].score, self.min_score):
                found = self.answer_about(question, kind, ranked[0])
            return found or self.abstain(question, passages)
        typed = [s for s in ranked if has_evidence(info.qtype, s, info)]
        needs_typed = info.qtype in ("when", "count", "duration") or bool(info.intent.order)
        draft, short, hand = self.draft(question, info, ranked, typed)
        if draft is None:
            return self.abstain(question, passages)
        learned = short if short is not None and short.learned else None
        judged_short, judged = short, draft
        if learned is not None:
            # The signal policy was fitted on hand-set drafts: it judges the hand-set short
            # answer (or its absence); the learned one has its own judge, its P(right).
            judged_short = hand[0] if hand else None
            judged = replace(draft, short=judged_short.text if judged_short else None)
        signals = self.signals(info, ranked, typed, judged_short, needs_typed, judged)
        confidence = self.abstention.confidence(signals)
        declines = self.abstention.declines(signals)
        if learned is not None and self.ranker is not None:
            # Either judge may vouch for the answer; "never" still never declines.
            declines = declines and not at_least(learned.score, self.ranker.threshold_p)
            confidence = max(confidence, learned.score)
        if declines:
            declined = self.abstain(question, passages, confidence=confidence, signals=signals)
            return replace(declined, withheld=draft.text, withheld_short=draft.short)
        return replace(draft, confidence=confidence, signals=signals.to_dict())

    def draft(
        self, question: str, info: QuestionInfo, ranked: list[Sentence], typed: list[Sentence]
    ) -> tuple[Answer | None, Short | None, list[Short]]:
        """The best answer the sentences offer, before deciding whether to give it; None
        when they offer nothing of the asked kind (no dated sentence for "when").

        Returns:
            (the draft, its short answer, the hand-set weights' best short answer: the one
            the signal policy judges, as it was fitted on hand-set drafts; empty when the
            draft is not a phrase answer or the weights found none).
        """
        asked = parse_interval(question)
        if asked is not None:
            between = self.answer_interval(question, asked, ranked)
            if between is not None:
                return between, None, []
        if (
            info.intent.relation
            and info.intent.anchor
            and (info.asks_event or info.qtype == "when")
        ):
            relative = self.answer_relative(question, info, ranked)
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
            return self.answer_when(question, info, typed), None, []
        lead = typed[0] if typed and at_least(typed[0].score, 0.85 * ranked[0].score) else None
        chosen = [lead or ranked[0]]
        for s in ranked[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if s.passage.doc_id not in {c.passage.doc_id for c in chosen} and (
                at_least(s.score, 0.92 * chosen[0].score)
            ):
                chosen.append(s)
        count = wanted_count(question)
        hand = pick_shorts(
            question, info.terms, atype, ranked, self.embedder, n=count, entities=self.entities
        )
        learned = self.learned_short(question, info, ranked) if count == 1 else None
        shorts = [learned] if learned is not None else hand
        short = shorts[0] if shorts else None
        # "Which two cities ...?": both phrases, each cited, when two were found.
        more = shorts[1:] if len(shorts) == count else []
        for extra in reversed(more):
            if extra.sentence not in chosen:
                chosen = [extra.sentence, *chosen][: self.max_sentences]
        if short is not None and short.sentence not in chosen:
            chosen = [short.sentence, *chosen][: self.max_sentences]
        return self.compose(question, info, chosen, short=short, more=more), short, hand[:1]

    def learned_short(
        self, question: str, info: QuestionInfo, ranked: list[Sentence]
    ) -> Short | None:
        """The learned ranker's best candidate, its P(right) as the score; None without a
        ranker or a candidate. For questions that ask for no particular kind ("What is the
        biggest threat ...?") a phrase is named only when the ranker is confident of it."""
        if self.ranker is None or info.qtype == "yesno":
            return None  # a yes/no question is answered "No" from a negation, or quoted
        groups = candidate_groups(question, info, ranked, self.embedder, self.entities)
        if not groups:
            return None
        probs = [float(p) for p in self.ranker.probability(feature_matrix(groups))]
        order = best_first(range(len(groups)), probs.__getitem__)  # ties: hand-score order
        top = groups[order[0]]
        p = probs[order[0]]
        if info.atype.kind == "none" and not at_least(p, self.ranker.threshold_p):
            return None
        rival = probs[order[1]] if len(order) > 1 else 0.0
        stories = len({story(m.sentence.passage) for m in top.mentions})
        return Short(top.text, top.best.sentence, top.best.fit, p, stories, p - rival, True)

    def signals(
        self,
        info: QuestionInfo,
        ranked: list[Sentence],
        typed: list[Sentence],
        short: Short | None,
        needs_typed: bool,
        draft: Answer,
    ) -> Signals:
        """Measure the draft for the abstention policy (``rag.answer.abstention``)."""
        best = ranked[0]
        other = next((s for s in ranked[1:] if s.passage.doc_id != best.passage.doc_id), None)
        typed_best = typed[0].score if typed else 0.0
        has_short = short is not None or draft.short is not None
        signals = Signals(
            best=best.score,
            margin=best.score - (other.score if other is not None else 0.0),
            meaning=best.meaning,
            coverage=best.coverage,
            typed=typed_best / best.score if best.score > 0 else 0.0,
            typed_best=typed_best,
            short=1.0 if has_short else 0.0,
            short_fit=short.fit if short is not None else (1.0 if has_short else 0.0),
            stories=float(min(short.stories, 3)) if short is not None else float(has_short),
            short_score=short.score if short is not None else 0.0,
            short_lead=short.lead if short is not None else 0.0,
            phrase=1.0 if info.atype.kind in _PHRASE_KINDS else 0.0,
            needs_typed=1.0 if needs_typed else 0.0,
        )
        return replace(signals, rules_pass=float(not self.rules.declines(signals)))

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

    def answer_when(self, question: str, info: QuestionInfo, typed: list[Sentence]) -> Answer:
        """State the absolute date; for last/first questions order by event date."""
        best = typed[0]
        order = info.intent.order
        if order is None:
            mention = pick_mention(best, info)
            return self.compose(question, info, [best], lead=[(mention, best)])
        relevant = [s for s in typed if at_least(s.score, 0.75 * best.score)]
        dated = [(m, s) for s in relevant for m in s.dated if not (info.past and after_pub(m, s))]
        if not dated:
            return self.compose(question, info, [best], lead=[(pick_mention(best, info), best)])
        dated.sort(key=lambda ms: value_range(ms[0].value or "")[0], reverse=order == "latest")
        first_m, first_s = dated[0]
        lead = [(first_m, first_s)]
        others = [
            (m, s)
            for m, s in dated[1:]
            if value_range(m.value or "")[0] != value_range(first_m.value or "")[0]
        ]
        # The sentence that holds the answer usually names the previous occurrence too
        # ("... first visit in six years since January 2019"): prefer it.
        others.sort(key=lambda ms: ms[1] is not first_s)
        chosen = [first_s]
        if others:
            lead.append(others[0])
            if others[0][1] is not first_s:
                chosen.append(others[0][1])
        return self.compose(question, info, chosen, lead=lead)

    def answer_interval(
        self, question: str, asked: IntervalQuestion, ranked: list[Sentence]
    ) -> Answer | None:
        """ "How many months between A and B?": date each event, give the interval, cite both
        (``rag.answer.interval``). None when either event has no date."""
        first = date_event(asked.first, ranked)
        second = date_event(asked.second, ranked)
        if first is None or second is None or first[1] is second[1]:
            return None
        text = interval_text(first[0].value or "", second[0].value or "", asked.unit)
        if text is None:
            return None
        (m1, s1), (m2, s2) = first, second
        cite = Citations()
        i, j = cite(s1), cite(s2)
        parts = [
            f"{text} [{i}] [{j}]: from {date_phrase(m1, s1)} [{i}] to {date_phrase(m2, s2)} [{j}].",
            f"“{s1.text.strip()}” [{i}]",
            f"“{s2.text.strip()}” [{j}]",
        ]
        return Answer(
            text=" ".join(parts),
            abstained=False,
            citations=cite.citations,
            question=question,
            answerer=self.name,
            short=text,
        )

    def answer_relative(
        self, question: str, info: QuestionInfo, ranked: list[Sentence]
    ) -> Answer | None:
        """ "What happened before/after X?": date X from its best sentence, then give the
        nearest relevant dated event on the asked side of it. None when X has no date."""
        anchor_terms = set(tokenize(info.intent.anchor or ""))
        dated = [s for s in ranked if s.dated]
        if not anchor_terms or not dated:
            return None
        # "the 2024 summit", "his September 2025 trip": the anchor's own date narrows which
        # sentence dates it.
        named = [
            value_range(m.value)
            for m in find_dates(info.intent.anchor or "", info.intent.as_of)
            if m.value
        ]

        def in_named(m: DateMention) -> bool:
            a, b = value_range(m.value or "")
            return any(lo <= a and b <= hi for lo, hi in named)

        dated_in = [s for s in dated if any(in_named(m) for m in s.dated)] if named else []
        pool = dated_in or dated
        most = max(len(anchor_terms & s.terms) for s in pool)
        anchor = best_of(
            [s for s in pool if len(anchor_terms & s.terms) == most], lambda s: s.score
        )
        if not dated_in and not anchor_terms & anchor.terms:
            return None  # nothing dates the anchor: neither its words nor its own date
        mentions = [m for m in anchor.dated if in_named(m)] if named else []
        anchor_mention = (
            min(
                mentions,
                key=lambda m: value_range(m.value or "")[1] - value_range(m.value or "")[0],
            )
            if mentions
            else pick_mention(anchor, info)
        )
        lo, hi = value_range(anchor_mention.value or "")
        if named:
            # "Before 2024, ...": nothing inside the anchor's own period counts as before it.
            lo, hi = min([lo, *(a for a, _ in named)]), max([hi, *(b for _, b in named)])
        before = info.intent.relation == "before"
        events = []
        for s in dated:
            if s is anchor or not at_least(s.score, self.min_score):
                continue
            for m in s.dated:
                a, b = value_range(m.value or "")
                if (before and b < lo) or (not before and a > hi):
                    events.append((m, s))
        if not events:
            return None
        # Among the sentences that name most of what the question asks about besides its
        # anchor ("Kim ... visit ... China" before "his September 2025 trip"), the nearest
        # event in time on the asked side, ties to the better-scored sentence.
        about = set(info.terms) - anchor_terms
        if about:
            best = max(len(about & s.terms) for _, s in events)
            events = [(m, s) for m, s in events if len(about & s.terms) == best]

        def when(ms: tuple[DateMention, Sentence]) -> int:
            lo_hi = value_range(ms[0].value or "")
            return lo_hi[1] if before else -lo_hi[0]

        nearest = max(when(ms) for ms in events)
        m, s = best_of([ms for ms in events if when(ms) == nearest], lambda ms: ms[1].score)
        return self.compose(question, info, [s], lead=[(m, s)], anchor=(anchor_mention, anchor))

    def compose(
        self,
        question: str,
        info: QuestionInfo,
        chosen: list[Sentence],
        lead: list[tuple[DateMention, Sentence]] | None = None,
        anchor: tuple[DateMention, Sentence] | None = None,
        short: Short | None = None,
        more: Sequence[Short] = (),
    ) -> Answer:
        """Write the answer text with [n] markers and build the citations; a short answer
        (``rag.answer.shortform``, or the date of a "when" answer) leads."""
        cite = Citations()
        parts: list[str] = []
        if anchor is not None:
            side = "Before" if info.intent.relation == "before" else "After"
            am, asent = anchor
            parts.append(f"{side} {info.intent.anchor} ({date_phrase(am, asent)} [{cite(asent)}]):")
        if lead:
            m, s = lead[0]
            parts.append(f"{date_phrase(m, s)} [{cite(s)}].")
            kind = info.atype.kind
            if m.value and info.qtype == "when" and kind in ("date", "none"):
                short = Short(format_value(m.value), s)
            if len(lead) > 1:
                m2, s2 = lead[1]
                word = "previous" if info.intent.order == "latest" else "next"
                parts.append(f"The {word} one was {date_phrase(m2, s2)} [{cite(s2)}].")
        elif short is not None:
            # Shown as the sentence names them: "President Donald Trump", "Anchorage, Alaska".
            short, *rest = [
                x._replace(text=full_span(x.text, x.sentence.text, x.sentence.passage.text))
                for x in (short, *more)
            ]
            more = rest
            # "Beijing and Samarkand [1] [2].": the phrases together, then their sources
            markers = " ".join(f"[{cite(x.sentence)}]" for x in [short, *more])
            parts.append(" and ".join(x.text for x in [short, *more]) + f" {markers}.")
            if more:
                short = short._replace(text=" and ".join(x.text for x in [short, *more]))
        elif info.qtype == "yesno" and _NEGATION.search(chosen[0].text):
            # The sentence says what did not happen: the short answer is "No".
            parts.append("No.")
            short = Short("No", chosen[0])
        for s in chosen:
            parts.append(f"“{s.text.strip()}” [{cite(s)}]")
        return Answer(
            text=" ".join(parts),
            abstained=False,
            citations=cite.citations,
            question=question,
            answerer=self.name,
            short=short.text if short is not None else None,
        )

    def abstain(
        self,
        question: str,
        passages: list[Passage],
        n: int = 3,
        confidence: float | None = None,
        signals: Signals | None = None,
    ) -> Answer:
        """Decline, showing the closest passages so the reader can judge."""
        citations = [make_citation(i + 1, p, None) for i, p in enumerate(passages[:n])]
        return Answer(
            text=ABSTAIN_TEXT,
            abstained=True,
            citations=citations,
            question=question,
            answerer=self.name,
            confidence=confidence,
            signals=signals.to_dict() if signals is not None else None,
        )


def date_anchored(sentences: list[Sentence]) -> None:
    """Give "a day before the Kim-Putin summit" its day when the same article dates the
    summit in another of these sentences (``rag.temporal.anchored``); in place."""
    by_doc: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_doc.setdefault(s.passage.doc_id, []).append(s)
    for group in by_doc.values():
        days = {
            id(s): {m.value for m in s.mentions if m.value and m.granularity == "day"}
            for s in group
        }
        dated = [(s, next(iter(days[id(s)]))) for s in group if len(days[id(s)]) == 1]
        for s in group:
            if days[id(s)]:
                continue
            for found in find_anchored(s.text):
                others = [(d.text, value) for d, value in dated if d is not s]
                resolved = resolve_anchored(found, others)
                if resolved is not None:
                    s.mentions.append(
                        DateMention(found.text, found.start, found.end, resolved[0], "day")
                    )


def in_period(sentence: Sentence, period: tuple[int, int]) -> float:
    """+1 when the sentence (or its article's date) falls in the question's period, -1 when
    its dates all fall outside it, 0 when it has none."""
    lo, hi = period
    ranges = [value_range(m.value) for m in sentence.dated if m.value]
    if not ranges and sentence.passage.published is not None:
        day = int(sentence.passage.published.strftime("%Y%m%d"))
        ranges = [(day, day)]
    if not ranges:
        return 0.0
    return 1.0 if any(a <= hi and b >= lo for a, b in ranges) else -1.0


def after_pub(mention: DateMention, sentence: Sentence) -> bool:
    """True when the mention lies after its article's publication (a planned event)."""
    published = sentence.passage.published
    if published is None or not mention.value:
        return False
    return value_range(mention.value)[0] > int(published.strftime("%Y%m%d"))


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
    """ "2 September 2025", followed by the article's own words when they were relative."""
    value = format_value(mention.value or "")
    if _YEAR_IN_TEXT.search(mention.text) or mention.text.strip() == value:
        return value
    published = sentence.passage.published
    article = f" in the article of {format_value(published.isoformat())}" if published else ""
    return f"{value} (“{mention.text}”{article})"


class Citations:
    """Numbers the cited sentences' passages in order of first use: calling it with a
    sentence gives its [n], the same n for every sentence of one passage."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._index: dict[str, int] = {}

    def __call__(self, s: Sentence) -> int:
        key = s.passage.chunk_id
        if key not in self._index:
            self._index[key] = len(self.citations) + 1
            self.citations.append(make_citation(self._index[key], s.passage, s.text))
        return self._index[key]


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
