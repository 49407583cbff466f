"""The internal candidate record shared by the rule modules, plus small text helpers.

Why a separate record: rules propose overlapping readings of the same words ("Monday, Oct.
26" is a weekday, a month-day and a weekday-plus-date); the tagger keeps the longest and
only then builds the public ``DateMention``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.temporal.patterns import PREFIX_WINDOW
from rag.temporal.resolve import Direction
from rag.temporal.tense import Tense

_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W{0,3}$")
_WORD_AFTER = re.compile(r"^\W{0,3}?([A-Za-z]+)")


@dataclass(frozen=True)
class Candidate:
    """One reading of a span of text as a date.

    Attributes:
        start: offset of the first character.
        end: offset one past the last character.
        value: ISO value, or None when it cannot be resolved.
        granularity: "day", "month", "year" or "week".
        priority: tie-breaker between readings of equal length (higher wins).
    """

    start: int
    end: int
    value: str | None
    granularity: str
    priority: int = 0


def word_before(text: str, pos: int) -> str:
    """The word ending just before ``pos`` (skipping up to three non-word chars), lower-cased."""
    m = _WORD_BEFORE.search(text[max(0, pos - 40) : pos])
    return m.group(1).lower() if m else ""


def word_after(text: str, pos: int) -> str:
    """The word starting just after ``pos`` (skipping up to three non-word chars), as written."""
    m = _WORD_AFTER.search(text[pos : pos + 40])
    return m.group(1) if m else ""


def starts_word(text: str, pos: int) -> bool:
    """Whether ``pos`` begins a word: the ``\\b`` that patterns opening with a literal leave
    out (a leading ``\\b`` makes the regex engine try every position)."""
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")


def prefix(regex: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """Match an end-anchored ``*_PREFIX`` regex on the words just before ``pos``.

    A match that is empty (no optional word present) is returned as None.
    """
    m = regex.search(text, max(0, pos - PREFIX_WINDOW), pos)
    return m if m and m.start() < m.end() else None


def direction_for(tense: Tense | None, default: Direction) -> Direction:
    """Map a clause tense to the side of the publication date to look on."""
    if tense == "past":
        return "past"
    if tense == "future":
        return "future"
    if tense == "present":
        return "nearest"
    return default
