"""The reader's time paths: questions answered by the dates of events.

"When did ...?" gives the date of the best dated sentence; "When did Kim last visit
China?" orders the relevant sentences by their events' dates (not the articles'); "How many
months between A and B?" dates both events; "What happened before/after X?" dates X and
gives the nearest event on the asked side. Each returns None when the dates are missing:
nothing is invented.
"""

from __future__ import annotations

from rag.answer.compose import Citations, compose, date_phrase
from rag.answer.evidence import Sentence, frequency
from rag.answer.interval import IntervalQuestion, date_event, interval_text
from rag.answer.question import QuestionInfo
from rag.answer.shortform import Short
from rag.ranking import at_least, best_of
from rag.temporal import find_dates, value_range
from rag.types import Answer, DateMention
from vectorstore.bm25_index import tokenize


def answer_when(answerer: str, question: str, info: QuestionInfo, typed: list[Sentence]) -> Answer:
    """State the absolute date; for last/first questions order by event date."""
    best = typed[0]
    order = info.intent.order
    if order is None:
        mention = pick_mention(best, info)
        return compose(answerer, question, info, [best], lead=[(mention, best)])
    relevant = [s for s in typed if at_least(s.score, 0.75 * best.score)]
    dated = [(m, s) for s in relevant for m in s.dated if not (info.past and after_pub(m, s))]
    if not dated:
        return compose(answerer, question, info, [best], lead=[(pick_mention(best, info), best)])
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
    return compose(answerer, question, info, chosen, lead=lead)


def answer_often(answerer: str, question: str, info: QuestionInfo, typed: list[Sentence]) -> Answer:
    """ "How often ...?": the frequency the best sentence that states one gives ("twice a
    year", "regularly"), quoted with it."""
    best = typed[0]
    found = frequency(best.text)
    short = Short(found, best) if found else None
    return compose(answerer, question, info, [best], short=short)


def answer_interval(
    answerer: str, question: str, asked: IntervalQuestion, ranked: list[Sentence]
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
        answerer=answerer,
        short=text,
    )


def answer_relative(
    answerer: str, question: str, info: QuestionInfo, ranked: list[Sentence], min_score: float
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
    anchor = best_of([s for s in pool if len(anchor_terms & s.terms) == most], lambda s: s.score)
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
        if s is anchor or not at_least(s.score, min_score):
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
    return compose(answerer, question, info, [s], lead=[(m, s)], anchor=(anchor_mention, anchor))


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
