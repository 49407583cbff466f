"""Writes the reader's answer: the short answer first, then the quoted sentences, each
with its [n] marker, and the citations of their passages; or the declining answer that
shows the closest passages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from rag.answer.abstention import Signals
from rag.answer.base import ABSTAIN_TEXT
from rag.answer.candidates import full_span
from rag.answer.evidence import Sentence, says_no
from rag.answer.question import QuestionInfo
from rag.answer.shortform import Short
from rag.temporal import format_value
from rag.types import Answer, Citation, DateMention, Passage

_YEAR_IN_TEXT = re.compile(r"\b(1[89]|20)\d\d\b")
_ASKS_WEEKDAY = re.compile(r"^\W*(?:on\s+)?(?:what|which)\s+day of the week\b", re.I)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday(value: str | None) -> str | None:
    """The day of the week of a date known to the day ("2023-09-13" -> "Wednesday"); None
    for a month or a year, whose weekday is not known."""
    if not value or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return _WEEKDAYS[dt.date.fromisoformat(value).weekday()]
    except ValueError:
        return None


def compose(
    answerer: str,
    question: str,
    info: QuestionInfo,
    chosen: list[Sentence],
    lead: list[tuple[DateMention, Sentence]] | None = None,
    anchor: tuple[DateMention, Sentence] | None = None,
    short: Short | None = None,
    more: Sequence[Short] = (),
) -> Answer:
    """Write the answer text with [n] markers and build the citations; a short answer
    (``rag.answer.shortform``, or the date of a "when" answer) leads.

    Args:
        answerer: the name the answer carries (``Answer.answerer``).
    """
    cite = Citations()
    parts: list[str] = []
    if anchor is not None:
        side = "Before" if info.intent.relation == "before" else "After"
        am, asent = anchor
        parts.append(f"{side} {info.intent.anchor} ({date_phrase(am, asent)} [{cite(asent)}]):")
    if lead:
        m, s = lead[0]
        day = weekday(m.value) if _ASKS_WEEKDAY.search(question) else None
        said = f"{day}, {date_phrase(m, s)}" if day else date_phrase(m, s)
        parts.append(f"{said} [{cite(s)}].")
        kind = info.atype.kind
        if m.value and info.qtype == "when" and kind in ("date", "none"):
            short = Short(day or format_value(m.value), s)
        if len(lead) > 1:
            m2, s2 = lead[1]
            word = "previous" if info.intent.order == "latest" else "next"
            parts.append(f"The {word} one was {date_phrase(m2, s2)} [{cite(s2)}].")
    elif short is not None:
        # Shown as the sentence names them: "President Donald Trump", "Anchorage, Alaska".
        short, *rest = [
            x._replace(text=full_span(x.text, x.sentence.text, x.sentence.passage.text, not more))
            for x in (short, *more)
        ]
        more = rest
        # "Beijing and Samarkand [1] [2].": the phrases together, then their sources
        markers = " ".join(f"[{cite(x.sentence)}]" for x in [short, *more])
        parts.append(" and ".join(x.text for x in [short, *more]) + f" {markers}.")
        if more:
            short = short._replace(text=" and ".join(x.text for x in [short, *more]))
    elif info.qtype == "yesno" and says_no(chosen[0].text):
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
        answerer=answerer,
        short=short.text if short is not None else None,
    )


def abstain(
    answerer: str,
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
        answerer=answerer,
        confidence=confidence,
        signals=signals.to_dict() if signals is not None else None,
    )


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
