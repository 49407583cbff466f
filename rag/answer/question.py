"""What a question asks for: its type (when/where/who/...), key terms and time intent.

The extractive answerer uses the type to require the right kind of evidence in the
sentence it picks (a "when" question wants a date, "how many" a number, ...).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rag.answer.qtype import AnswerType, expected_type
from rag.temporal import TemporalIntent, parse_intent
from vectorstore.bm25_index import tokenize

_QUESTION_WORDS = frozenset(
    tokenize(
        "what which who whom whose when where why how many much long did does do is are was "
        "were has have had can could will would should name tell article articles mentioned "
        "according report reported happen happened"
    )
)
_PAST_QUESTION = re.compile(r"\b(did|was|were|had|has been|have been|\w+ed)\b", re.I)
_FUTURE_QUESTION = re.compile(r"\b(will|going to|plan(s|ned)? to|scheduled|next)\b", re.I)
_EVENT_QUESTION = re.compile(
    r"\bwhat (else )?(happened|occurred|took place|came|followed)\b|\bwhich events?\b", re.I
)
_YESNO = re.compile(
    r"^(is|are|was|were|has|have|had|did|do|does|can|could|will|would|should)\b", re.I
)


@dataclass(frozen=True)
class QuestionInfo:
    """The parts of a question the answerer needs.

    Attributes:
        text: the (standalone) question.
        qtype: "when", "where", "who", "count", "duration", "yesno", "why" or "what".
        terms: stemmed content words (question words removed).
        intent: temporal intent (when / latest / earliest / before / after / period).
        past: the question asks about the past ("did", "was", "has ... been").
        atype: the kind of short answer it expects (``rag.answer.qtype``).
    """

    text: str
    qtype: str
    terms: tuple[str, ...]
    intent: TemporalIntent
    past: bool = False
    wants_city: bool = False
    wants_day: bool = False
    asks_event: bool = False
    atype: AnswerType = field(default_factory=lambda: AnswerType("none"))


def question_type(question: str, intent: TemporalIntent) -> str:
    """Classify the answer type a question expects."""
    q = question.strip().lower()
    if re.search(r"\bhow (many|much)\b", q):
        return "count"
    if re.search(r"\bhow long\b|\bfor how many (years|months|days)\b", q):
        return "duration"
    # "when" asks for a date at the start or before an auxiliary ("When did ...", "... and
    # when was ..."), not as a conjunction ("What did they agree on when they met?").
    when = r"(^\W*when\b|\bwhen (did|was|were|is|are|will|does|do|has|have|had|would)\b)"
    if intent.asks_when or re.search(rf"{when}|\bwhat (date|day|year|month|time)\b", q):
        return "when"
    if re.search(r"\b(in |at )?(which|what) (year|month|day|date)\b", q):
        return "when"
    if re.search(r"\bwhere\b|\b(which|what) (city|country|place|venue|location|region)\b", q):
        return "where"
    if re.search(r"^(who|whom|whose)\b|\bwho\b", q):
        return "who"
    if re.search(r"\bwhy\b", q):
        return "why"
    if _YESNO.match(q):
        return "yesno"
    return "what"


def analyse(question: str, as_of: dt.date | None = None) -> QuestionInfo:
    """Type, key terms and temporal intent of a question asked at ``as_of``."""
    intent = parse_intent(question, as_of)
    terms = tuple(t for t in tokenize(intent.stripped or question) if t not in _QUESTION_WORDS)
    past = bool(_PAST_QUESTION.search(question)) and not _FUTURE_QUESTION.search(question)
    city = bool(re.search(r"\b(which|what) (city|town|capital)\b", question, re.I))
    day = bool(re.search(r"\b(what|which) (exact )?(date|day)\b|\bon what\b", question, re.I))
    event = bool(_EVENT_QUESTION.search(question))
    qtype = question_type(question, intent)
    atype = expected_type(question)
    return QuestionInfo(question, qtype, terms, intent, past, city, day, event, atype)
