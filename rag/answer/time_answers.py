"""The reader's time paths: questions answered by the dates of events.

"When did ...?" gives the date of the best dated sentence; "When did Kim last visit
China?" orders the relevant sentences by their events' dates (not the articles'); "How many
months between A and B?" dates both events; "What happened before/after X?" dates X and
gives the nearest event on the asked side. Each returns None when the dates are missing:
nothing is invented.
"""

from __future__ import annotations

import re

from rag.answer.compose import Citations, compose, date_phrase
from rag.answer.evidence import Sentence, frequency
from rag.answer.interval import IntervalQuestion, OrderQuestion, date_event, interval_text
from rag.answer.question import QuestionInfo, with_base_forms
from rag.answer.shortform import Short
from rag.ranking import at_least, best_of
from rag.temporal import find_dates, value_range
from rag.temporal.intent import dates_an_event
from rag.types import Answer, DateMention
from vectorstore.bm25_index import tokenize

_REFINE_DEPTH = 4  # the best typed sentence and the three after it
_REFINE_RATIO = 0.85  # a runner-up scored at least this share of the best refines its date
_FIRST_SINCE = re.compile(r"\bfirst\b(?P<what>[^.;]*)\bsince\b[^,;]*$", re.IGNORECASE)
"""The text before a date in "the first <what> since <the date or an event in it>"."""


def _first_since(before: str) -> set[str]:
    """The key terms of <what> when ``before`` (a sentence up to a date) ends in "the
    first <what> since ..."; empty otherwise."""
    found = _FIRST_SINCE.search(before)
    return set(tokenize(found["what"])) if found else set()


_REPORTED = re.compile(
    r"\b(?:said|says|told(?:\s+[a-z]+){0,2}|announced|reported|stated|added|noted)\s+"
    r"(?:on\s+|late\s+|early\s+)?$",
    re.I,
)
_SAYING = re.compile(r"\b(?:say|said|says|tell|told|announc\w*|report\w*|stat(?:e|ed|es))\b", re.I)
_ASKS_COARSE = re.compile(r"\b(?:what|which)\s+(?:year|month)\b", re.I)
# Words that open the setting of the asked event ("... meet Xi during his trip to ...").
_SETTING = re.compile(r"\b(?:during|while|amid|ahead\s+of|in\s+the\s+run-up\s+to)\b", re.I)
_EVENT_RATIO = 0.8  # a sentence naming the asked event wins from this share of the best's score


def answer_when(answerer: str, question: str, info: QuestionInfo, typed: list[Sentence]) -> Answer:
    """State the absolute date; for last/first questions order by event date."""
    best = typed[0]
    order = info.intent.order
    if order is None:
        best = _asked_event(typed, info)
        mention = pick_mention(best, info)
        finer = refine(mention, best, typed, info)
        if finer is not None:
            m, s = finer
            return compose(answerer, question, info, [s, best], lead=[(m, s)])
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


def _asked_event(typed: list[Sentence], info: QuestionInfo) -> Sentence:
    """The best typed sentence, or a close one that names more of the asked event itself.

    In "When was Putin to meet Xi during his trip for the forum?" the trip is the setting:
    the sentence that dates the forum (and so the trip) is not the one that dates the
    meeting, though it may score higher on the question's words."""
    best = typed[0]
    setting = _SETTING.search(info.text)
    if setting is None:
        return best
    before = info.text[: setting.start()]
    # "During his trip to Beijing, when did ...?": the event is asked after the comma.
    main = before if before.strip(" \"'“‘") else info.text.partition(",")[2]
    asked = set(tokenize(main)) & set(info.terms)
    if not asked:
        return best
    close = [s for s in typed[:_REFINE_DEPTH] if at_least(s.score, _EVENT_RATIO * best.score)]
    if not close:
        return best
    named = best_of(close, lambda s: len(asked & s.terms))
    return named if len(asked & named.terms) > len(asked & best.terms) else best


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
    head = f"{text} [{i}] [{j}]: from {date_phrase(m1, s1)} [{i}] to {date_phrase(m2, s2)} [{j}]."
    return _two_events(answerer, question, cite, head, s1, s2, text)


def _two_events(
    answerer: str,
    question: str,
    cite: Citations,
    head: str,
    first: Sentence,
    second: Sentence,
    short: str,
) -> Answer:
    """An answer from two dated events: ``head``, then both sentences quoted and cited."""
    parts = [head, f"“{first.text.strip()}” [{cite(first)}]"]
    if second is not first:
        parts.append(f"“{second.text.strip()}” [{cite(second)}]")
    return Answer(
        text=" ".join(parts),
        abstained=False,
        citations=cite.citations,
        question=question,
        answerer=answerer,
        short=short,
    )


def answer_relative(
    answerer: str, question: str, info: QuestionInfo, ranked: list[Sentence], min_score: float
) -> Answer | None:
    """ "What happened before/after X?": date X from its best sentence, then give the
    nearest relevant dated event on the asked side of it. None when X has no date."""
    anchor_text = info.intent.anchor or ""
    anchor_dates = [m for m in find_dates(anchor_text, info.intent.as_of) if m.value]
    # The anchor's own date is matched by the sentences' dates, not by their words: a
    # caption's "October 2023" must not win the anchor over the report's "the 17th".
    anchor_terms = set(tokenize(anchor_text)) - {t for m in anchor_dates for t in tokenize(m.text)}
    dated = [s for s in ranked if s.dated]
    if not (anchor_terms or anchor_dates) or not dated:
        return None  # "Before 2024, ...": the anchor is its date alone
    # "the 2024 summit", "his September 2025 trip": the anchor's own date narrows which
    # sentence dates it.
    named = [value_range(m.value or "") for m in anchor_dates]
    # "Before 2024, ..." bounds the period; "the 2023 Belt and Road Forum" only dates the
    # anchor event, and what came before it in 2023 is before it.
    bounds = [
        r
        for m, r in zip(anchor_dates, named, strict=True)
        if not dates_an_event(anchor_text, m.start, m.end)
    ]

    def in_named(m: DateMention) -> bool:
        a, b = value_range(m.value or "")
        return any(lo <= a and b <= hi for lo, hi in named)

    dated_in = [s for s in dated if any(in_named(m) for m in s.dated)] if named else []
    pool = dated_in or dated
    most = max(len(anchor_terms & s.terms) for s in pool)
    tied = [s for s in pool if len(anchor_terms & s.terms) == most]
    # Of sentences that name the anchor alike, one that dates it to the day inside its
    # named date (the report's "the 17th", not a caption's "May 2023") says when it was.
    days = [s for s in tied if any(in_named(m) and m.granularity == "day" for m in s.dated)]
    anchor = best_of((days if named else []) or tied, lambda s: s.score)
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
    # Whether the anchor's sentence says which of its dates is the anchor's: then its other
    # dates may be the asked event.
    anchor_known = bool(mentions)
    if anchor_mention.granularity == "month" and anchor_terms:
        # A month cannot order the events inside it: a sentence that names the anchor
        # nearly as well and dates a day in that month says when it was ("... to be held
        # in Beijing for two days from this day", the 17th, for a caption's "October").
        found = _finer_anchor(anchor_mention, anchor, dated, anchor_terms, most)
        if found is not None:
            anchor_mention, anchor = found
            anchor_known = True
    lo, hi = value_range(anchor_mention.value or "")
    if bounds:
        # "Before 2024, ...": nothing inside the anchor's own period counts as before it.
        lo, hi = min([lo, *(a for a, _ in bounds)]), max([hi, *(b for _, b in bounds)])
    before = info.intent.relation == "before"
    events: list[tuple[DateMention, Sentence]] = []
    asks_saying = bool(_SAYING.search(info.text))
    for s in dated:
        if not at_least(s.score, min_score):
            continue
        if s is anchor and not anchor_known:
            continue  # its dates may all be the anchor's, however written
        side = []
        for m in s.dated:
            if m is anchor_mention:
                continue  # the anchor's sentence may date the event too ("said on
                # Wednesday that Lavrov will meet Wang Yi on Monday"), when the anchor's
                # own date ("the 2023 summit") told which of its dates is the anchor's
            a, b = value_range(m.value or "")
            if (before and b < lo) or (not before and a > hi):
                side.append(m)
        # "her office said on Friday that she will meet the governor next Thursday": the
        # day something was said is not the event, when the sentence dates the event too.
        told = [] if asks_saying else [m for m in side if _reported(m, s)]
        events.extend((m, s) for m in side if m not in told or len(told) == len(side))
    if not events:
        return None
    about = set(info.terms) - anchor_terms
    if before and info.intent.order == "latest":
        # "Kim's first visit to China ... since January 2019", "her first visit to Oslo
        # since March 2021": the previous time, said outright, when the words after "first"
        # name what is asked ("been to China"), not the anchor ("the first in-person SCO
        # summit since 2019" says nothing of when Xi and Putin last met).
        asked = with_base_forms(about)
        since = [(m, s) for m, s in events if _first_since(s.before(m) or "") & asked]
        events = since or events
    if about:
        best = max(len(about & s.terms) for _, s in events)
        events = [(m, s) for m, s in events if len(about & s.terms) == best]

    def when(ms: tuple[DateMention, Sentence]) -> int:
        lo_hi = value_range(ms[0].value or "")
        return lo_hi[1] if before else -lo_hi[0]

    nearest = max(when(ms) for ms in events)
    m, s = best_of([ms for ms in events if when(ms) == nearest], lambda ms: ms[1].score)
    return compose(answerer, question, info, [s], lead=[(m, s)], anchor=(anchor_mention, anchor))


def answer_which_first(
    answerer: str, question: str, asked: OrderQuestion, ranked: list[Sentence]
) -> Answer | None:
    """ "Which came first: A or B?": date each event as for an interval; the earlier (or,
    asked so, the later) one answers, both dates cited. None when either has no date, both
    are dated by one sentence, or their dates overlap (a month and a day inside it)."""
    first = date_event(asked.first, ranked)
    second = date_event(asked.second, ranked)
    if first is None or second is None or first[1] is second[1]:
        return None
    lo_a, hi_a = value_range(first[0].value or "")
    lo_b, hi_b = value_range(second[0].value or "")
    if not (hi_a < lo_b or hi_b < lo_a):
        return None  # the same day, or a month that holds the other's day: no order known
    options = [(asked.first, *first), (asked.second, *second)]
    if (lo_a > lo_b) != asked.latest:
        options.reverse()
    (event, m1, s1), (other, m2, s2) = options
    cite = Citations()
    i, j = cite(s1), cite(s2)
    word = "after" if asked.latest else "before"
    head = f"{event} ({date_phrase(m1, s1)}) [{i}], {word} {other} ({date_phrase(m2, s2)}) [{j}]."
    return _two_events(answerer, question, cite, head, s1, s2, event)


def _finer_anchor(
    month: DateMention,
    anchor: Sentence,
    dated: list[Sentence],
    anchor_terms: set[str],
    most: int,
) -> tuple[DateMention, Sentence] | None:
    """A day inside the anchor's month from another sentence that shares all but at most
    one of the anchor's words the best sentence shares (of five or more, three fifths: a
    caption that names "Putin ... the third Belt and Road Forum" in full outscores the
    report of "the 3rd 'Belt and Road ... Forum'"); the one sharing most, then the better
    scored. None when no sentence gives one."""
    low, high = value_range(month.value or "")
    need = max(1, min(most - 1, -(-3 * most // 5)))  # integer ceil(3/5 of most)
    best: tuple[DateMention, Sentence] | None = None
    for s in dated:
        shared = len(anchor_terms & s.terms)
        if s is anchor or shared < need:
            continue
        for m in _days_inside(s, low, high):
            if best is None or (shared, s.score) > (
                len(anchor_terms & best[1].terms),
                best[1].score,
            ):
                best = (m, s)
    return best


def _days_inside(s: Sentence, low: int, high: int) -> list[DateMention]:
    """The sentence's dates known to the day that fall within ``low``..``high`` (YYYYMMDD)."""
    return [
        m
        for m in s.dated
        if m.granularity == "day" and low <= value_range(m.value or "")[0] <= high
    ]


def _reported(m: DateMention, s: Sentence) -> bool:
    """The sentence's own date ``m`` follows a verb of saying ("said on Friday", "told
    reporters Monday"): it dates the report."""
    before = s.before(m)
    return before is not None and bool(_REPORTED.search(before[-40:]))


def after_pub(mention: DateMention, sentence: Sentence) -> bool:
    """True when the mention lies after its article's publication (a planned event)."""
    published = sentence.passage.published
    if published is None or not mention.value:
        return False
    return value_range(mention.value)[0] > int(published.strftime("%Y%m%d"))


def refine(
    mention: DateMention, best: Sentence, typed: list[Sentence], info: QuestionInfo
) -> tuple[DateMention, Sentence] | None:
    """The day within the best sentence's month that a close runner-up gives (a caption's
    "October 2023", then "... to be held in Beijing for two days from this day" dated the
    17th); None when the best date is not a month, the question asks for a year or a
    month, or no runner-up agrees.

    A day inside the best date, in a sentence scored nearly as well (``_REFINE_RATIO``)
    among the next few, is the same event told more precisely: the articles of a week
    date one event at several precisions (a photo caption, a follow-up, the report)."""
    if mention.granularity != "month" or not mention.value or _ASKS_COARSE.search(info.text):
        return None  # a year is too wide to say one day is the same event
    low, high = value_range(mention.value)
    for s in typed[1:_REFINE_DEPTH]:
        if not at_least(s.score, _REFINE_RATIO * best.score):
            continue
        inside = _days_inside(s, low, high)
        if inside:
            return pick_mention(s, info, inside), s
    return None


def pick_mention(
    sentence: Sentence, info: QuestionInfo, among: list[DateMention] | None = None
) -> DateMention:
    """The date in a sentence that the question is about: the most precise one, nearest
    the question's key terms (of ``among`` when it holds any, else of all its dates)."""
    lowered = sentence.text.lower()
    anchors = [lowered.find(w) for w in info.text.lower().split() if len(w) > 3]
    anchors = [a for a in anchors if a >= 0] or [0]
    precision = {"day": 0, "week": 1, "month": 2, "year": 3}

    def key(m: DateMention) -> tuple[int, int]:
        distance = min(abs(m.start - a) for a in anchors)
        return precision.get(m.granularity, 4), distance

    return min(among or sentence.dated, key=key)
