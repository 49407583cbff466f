"""A small tense heuristic for the clause around a date expression.

Why: a bare "Wednesday", "August" or "the 15th" names a different day depending on whether
the sentence reports something done ("said on Wednesday") or announces something to come
("will meet on Monday"). Full parsing would be slow and heavy; news prose is regular enough
that the nearest tense-bearing word on either side of the expression decides it well.
"""

from __future__ import annotations

import re
from typing import Literal

from rag.temporal.patterns import WORD, words

Tense = Literal["past", "future", "present"]

_WINDOW = 220  # characters inspected on each side of the expression
_LEFT_WORDS = 20
_RIGHT_WORDS = 10
_LEFT_BONUS = 2  # a cue before the expression usually governs it; prefer it on near-ties

_FUTURE_WORDS = words(
    "will shall upcoming scheduled schedule schedules planned planning plans plan slated expected "
    "expects expect expecting due intends intend intending aims aim aiming likely poised prepare "
    "prepares preparing would must should might can hope hopes hoping hoped next coming "
    "tomorrow await awaits awaiting"
)
# Past verbs whose "to"-clause looks ahead: "decided to admit them in March".
_INTENT_VERBS = words(
    "decided agreed promised vowed pledged threatened voted offered planned hoped wanted sought "
    "proposed intended arranged"
)
_PAST_WORDS = words("was were had did said told ago")
_BE_PRESENT = words("is are am")
_HAVE = words("has have")
# "could" is left out: in news it is mostly past ability ("could not be reached Tuesday").
_MODALS = words("to will would must should may might can shall")
# Before an -ed word these make it an adjective; "that" is left out ("shootings that injured").
_DETERMINERS = words("the a an its their his her our your my whose")
_FUTURE_AFTER_BE = words("to going planning expected scheduled set due slated about poised likely")
_NOT_PAST_ED = words(
    "need speed seed feed breed heed bleed weed steed greed indeed proceed succeed exceed hundred "
    "kindred sacred naked wicked beloved wretched rugged ragged crooked red bed shed embed alleged "
    "aged"
)
_IRREGULAR_PAST = words(
    "went came met made took gave left held began saw got won lost fell rose sent spent struck "
    "broke brought bought thought found became chose drove flew fled kept led shot spoke stood "
    "wrote ran sat paid meant heard knew grew threw drew ate forgot sought taught fought caught "
    "sold built felt dealt swore wore tore hid slept swept lent sank rang sang withdrew undertook "
    "oversaw arose awoke bore bled clung dug fed froze hung laid lit slid spun stole stuck stung "
    "strove swam swung woke told"
)
_ABBREVIATIONS = words(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st gen gov sen rep lt col capt "
    "sgt jr sr no vs inc co corp ltd mt ft ave prof rev adm maj cmdr pres"
)
# The right-hand scan stops where a new clause starts: its verb does not govern the date.
_SUBORDINATORS = words(
    "as when while because although though whereas if unless that which who whom where since until "
    "after before"
)
_INTRO_WORDS = 3  # a date this close to the sentence start is an introductory adverbial
_BOUNDARY = re.compile(r"[.!?]+['\"”’)]*\s+|[;\n]")
_FUTURE_PHRASE = re.compile(
    r"(?:(?:postponed|delayed|put\s+off|adjourned|deferred|extended|pushed\s+back|"
    r"rescheduled|moved)\s+(?:until|till|to)|as\s+(?:early|soon)\s+as|from\s+now\s+(?:to|until)|"
    r"(?:set|scheduled|slated|planned)\s+for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Tell a sentence end from an abbreviation's period ("Sept. 13", "U.S. Embassy")."""
    if match.group().startswith((";", "\n")) or not match.group().startswith("."):
        return True
    before = text[max(0, match.start() - 6) : match.start()]
    tokens = WORD.findall(before)
    if not tokens:
        return True
    last = tokens[-1]
    return not (len(last) == 1 or last.lower() in _ABBREVIATIONS)


def _sentence_span(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the parts of the sentence left and right of ``text[start:end]``."""
    lo = max(0, start - _WINDOW)
    left = text[lo:start]
    cut = 0
    for m in _BOUNDARY.finditer(left):
        if _is_boundary(left, m):
            cut = m.end()
    left = left[cut:]
    right = text[end : end + _WINDOW]
    for m in _BOUNDARY.finditer(right):
        if _is_boundary(right, m):
            right = right[: m.start()]
            break
    return left, right


def _clause_right(right: str, left_count: int) -> str:
    """Cut the right-hand context at the first comma, unless the date opens the sentence.

    "On Wednesday, Bushnell and Kimotho met" needs the verb after the comma; in "by setting a
    Jan. 14 return date, the service allowed" the verb after the comma belongs elsewhere.
    """
    if left_count <= _INTRO_WORDS:
        return right
    comma = right.find(",")
    return right if comma < 0 else right[:comma]


def _looks_past(word: str) -> bool:
    if word in _IRREGULAR_PAST:
        return True
    if len(word) < 4 or not word.endswith("ed") or word in _NOT_PAST_ED:
        return False
    return not word.endswith("eed") or word in {"agreed", "freed", "decreed", "guaranteed"}


def _classify(words: list[str], i: int, after_date: bool = False) -> Tense | None:
    """Classify the tense signalled by ``words[i]`` (lower-cased), using its neighbours."""
    w = words[i]
    prev = words[i - 1] if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w.endswith(("'ll", "’ll")):
        return "future"
    if w == "set":
        return "future" if nxt in ("for", "to") or prev in _MODALS else "past"
    if w in _FUTURE_WORDS:
        if w in ("would", "must", "should", "might") and nxt == "have":
            return "past"
        if after_date and w.endswith("ed") and prev not in _BE_PRESENT:
            return "past"  # "On Friday, the government planned to pay": the planning is past
        return "future"
    if w in ("was", "were"):
        return "future" if nxt in _FUTURE_AFTER_BE else "past"
    if w in _PAST_WORDS:
        return "past"
    if w in _BE_PRESENT:
        return "future" if nxt in _FUTURE_AFTER_BE else "present"
    if w in _HAVE:
        return "past" if nxt == "been" or _looks_past(nxt) else "present"
    if w in ("says", "say"):
        return "present"
    if w == "be":
        return "future" if prev in _MODALS else None
    if _looks_past(w):
        if w in _INTENT_VERBS and nxt == "to":
            return "future"
        if prev in _BE_PRESENT or prev == "being":
            return "present"
        if prev == "be":
            before = words[i - 2] if i > 1 else ""
            return "future" if before in _MODALS else None
        if prev in ("will", "would"):
            return "future"
        if prev in _DETERMINERS:
            return None  # an adjective: "the expected visit", "the alleged plot"
        return "past"
    return None


def clause_tense(text: str, start: int, end: int) -> Tense | None:
    """Guess the tense of the clause that holds ``text[start:end]``.

    Args:
        text: the whole searched text.
        start: offset of the date expression.
        end: offset one past the expression.

    Returns:
        "past", "future" or "present", or None when no cue is close enough.
    """
    left, right = _sentence_span(text, start, end)
    if _FUTURE_PHRASE.search(left):
        return "future"
    left_words = [w.lower() for w in WORD.findall(left)][-_LEFT_WORDS:]
    right_words = [w.lower() for w in WORD.findall(_clause_right(right, len(left_words)))]
    right_words = right_words[:_RIGHT_WORDS]
    found_left: tuple[Tense, int] | None = None
    for dist, i in enumerate(range(len(left_words) - 1, -1, -1), start=1):
        tense = _classify(left_words, i)
        if tense is not None:
            found_left = (tense, dist)
            break
    found_right: tuple[Tense, int] | None = None
    for i in range(len(right_words)):
        if right_words[i] in _SUBORDINATORS:
            break
        tense = _classify(right_words, i, after_date=True)
        if tense is not None:
            found_right = (tense, i + 1)
            break
    if found_left and (found_right is None or found_left[1] <= found_right[1] + _LEFT_BONUS):
        return found_left[0]
    return found_right[0] if found_right else None
