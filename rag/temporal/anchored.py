"""Dates anchored on an event: "a day before the Kim-Putin summit", "on the day Xi and Putin met".

News often dates one event by another. Such an expression has no date of its own; it gets
one when the anchor event is dated elsewhere in the same article ("Putin's visit to
Pyongyang on Wednesday"). ``find_anchored`` finds the expressions; ``resolve_anchored``
dates one from the article's dated sentences: the sentence that names most of the event's
words, with at least two of them (or the only one), gives the day, and the offset moves it.
Nothing is guessed: without such a sentence the expression stays undated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rag.temporal.patterns import NUMBER_WORDS
from vectorstore.bm25_index import tokenize

_NUMBERS = NUMBER_WORDS
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}

ANCHORED = re.compile(
    r"\b(?:"
    r"(?P<n>a|an|one|two|three|four|five|six|\d{1,2})\s+(?P<unit>days?|weeks?)\s+"
    r"(?P<rel>before|after|ahead\s+of|prior\s+to|following)"
    r"|(?P<eve>on\s+the\s+eve\s+of)"
    r"|(?P<same>on\s+the\s+(?:same\s+)?day(?:\s+(?:of|that|when|as))?)"
    r")\s+(?P<event>(?:the\s+)?[^,.;:!?()\"“”]{3,80})",
    re.I,
)

# Left by the tokenizer from possessives ("Putin's"): says nothing about which event is meant.
_GENERIC = frozenset({"s"})


@dataclass(frozen=True)
class Anchored:
    """An event-anchored date expression.

    Attributes:
        start, end: character offsets of the whole expression in the searched text.
        text: the expression as written.
        offset_days: days from the event (negative: before it).
        event: the words naming the event ("the Kim-Putin summit").
    """

    start: int
    end: int
    text: str
    offset_days: int
    event: str

    @property
    def terms(self) -> frozenset[str]:
        return event_terms(self.event)


def event_terms(words: str) -> frozenset[str]:
    """The stems that name an event ("the Kim-Putin summit" -> kim, putin, summit)."""
    return frozenset(t for t in tokenize(words) if t not in _GENERIC)


def naming(terms: frozenset[str], tokens: Iterable[str]) -> int:
    """How many of an event's words a sentence names, or 0 when that is too few to say it
    is the event: at least two, or the only one."""
    overlap = len(terms & set(tokens))
    return overlap if overlap >= min(2, len(terms)) else 0


def find_anchored(text: str) -> list[Anchored]:
    """Event-anchored expressions in ``text``, in order."""
    found = []
    for m in ANCHORED.finditer(text):
        event = _trim_event(m.group("event"))
        if not event:
            continue
        if m.group("same"):
            offset = 0
        elif m.group("eve"):
            offset = -1
        else:
            raw = m.group("n").lower()
            count = int(raw) if raw.isdigit() else _NUMBERS[raw]
            offset = count * _UNITS[m.group("unit").lower()]
            if m.group("rel").lower() not in ("after", "following"):
                offset = -offset
        end = m.start("event") + len(event)
        found.append(Anchored(m.start(), end, text[m.start() : end], offset, event))
    return found


def _trim_event(words: str) -> str:
    """The event's words, up to a clause break ("the talks, which ..." -> "the talks")."""
    return re.split(r"\s+(?:but|while|where|which|who)\s+", words.strip(), maxsplit=1)[0]


def resolve_anchored(
    anchored: Anchored, dated: Iterable[tuple[str, str]]
) -> tuple[str, str] | None:
    """Date ``anchored`` from dated sentences of the same article.

    Args:
        anchored: the expression.
        dated: (sentence text, ISO day) for the article's sentences that carry exactly one
            day-precise date; the expression's own sentence is left out by the caller.

    Returns:
        (ISO day of the expression, the sentence that dated the event), or None when no
        sentence names enough of the event's words.
    """
    terms = anchored.terms
    if not terms:
        return None
    best: tuple[int, str, str] | None = None
    for sentence, value in dated:
        overlap = naming(terms, tokenize(sentence))
        if overlap and (best is None or overlap > best[0]):
            best = (overlap, value, sentence)
    if best is None:
        return None
    try:
        day = dt.date.fromisoformat(best[1])
    except ValueError:
        return None
    return (day + dt.timedelta(days=anchored.offset_days)).isoformat(), best[2]
