"""What a question asks for: the reader's first step (question typing), key terms and time
intent.

One typing: the answer kind the question expects (``rag.answer.qtype``: "Which city ...?"
wants a city) decides both the short answer's kind and the kind of sentence that answers it
("where": a sentence that places something; "when" a date, "count" a number, ...), so the
two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rag.answer.qtype import AUXILIARIES, AnswerType, expected_type
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
_YESNO = re.compile(rf"^{AUXILIARIES}\b", re.I)


@dataclass(frozen=True)
class QuestionInfo:
    """The parts of a question the answerer needs.

    Attributes:
        text: the (standalone) question.
        qtype: "when", "where", "who", "count", "duration", "frequency", "yesno", "why" or
            "what".
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


# The sentence evidence ("form") each kind of short answer asks for.
_FORMS = {
    "number": "count", "money": "count", "percent": "count", "score": "count",
    "duration": "duration", "frequency": "frequency", "date": "when", "person": "who",
    "place": "where", "city": "where", "country": "where", "state": "where",
}  # fmt: skip


def question_form(question: str, atype: AnswerType, asks_when: bool = False) -> str:
    """The kind of sentence that answers: one classification with the answer type.

    The form follows from the expected answer's kind ("Which city ...?" wants a sentence
    that places something, "How much ...?" one with a number); questions that expect no
    phrase are "why", yes/no or "what" questions, or "when" ones when their temporal intent
    asks for a time ("What time ...?").
    """
    kind = atype.kind
    if kind in _FORMS:
        return _FORMS[kind]
    if asks_when and kind in ("none", "thing"):
        return "when"
    if kind == "none" and re.search(r"\bwhy\b", question, re.I):
        return "why"
    if kind == "none" and _YESNO.match(question.strip()):
        return "yesno"
    return "what"


# Past forms whose stem is not their verb's ("had they met" / "the first meeting").
_PAST = {"met": "meet", "held": "hold", "saw": "see", "spoke": "speak", "went": "go"}


def with_base_forms(terms: set[str]) -> set[str]:
    """``terms`` (key terms, stemmed) and the verbs of their irregular past forms ("met" ->
    also "meet"), to match a question's verb with a sentence's noun."""
    return terms | {_PAST[t] for t in terms if t in _PAST}


def analyse(question: str, as_of: dt.date | None = None) -> QuestionInfo:
    """Type, key terms and temporal intent of a question asked at ``as_of``."""
    intent = parse_intent(question, as_of)
    terms = tuple(t for t in tokenize(intent.stripped or question) if t not in _QUESTION_WORDS)
    past = bool(_PAST_QUESTION.search(question)) and not _FUTURE_QUESTION.search(question)
    city = bool(re.search(r"\b(which|what) (city|town|capital)\b", question, re.I))
    day = bool(re.search(r"\b(what|which) (exact )?(date|day)\b|\bon what\b", question, re.I))
    event = bool(_EVENT_QUESTION.search(question))
    atype = expected_type(question)
    qtype = question_form(question, atype, intent.asks_when)
    return QuestionInfo(question, qtype, terms, intent, past, city, day, event, atype)
