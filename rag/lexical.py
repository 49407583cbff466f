"""Lexical text helpers shared by the answer checks and the evaluation.

Why here: the generative answerer's checks (``rag.answer.checks``) and the evaluation's
metrics (``eval.metrics``) must measure groundedness the same way, and the pipeline must
not depend on its own evaluation. This is the lowest layer that needs them; ``eval``
imports them from here (``eval.dataset.normalize`` and ``eval.metrics.content_words`` ...
are these same functions).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

GROUNDED_THRESHOLD = 0.8
"""Share of a sentence's content words that must occur in the cited passages."""

_MARKER = re.compile(r"\[\s*\d+(?:\s*[,;\u2013-]\s*\d+)*\s*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")

_STOP_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t d ll m re ve according said says say article articles text
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())
"""Function words ignored by the groundedness check; "said"/"according" are reporting glue."""


def normalize(text: str) -> str:
    """Normalise text for matching, exactly as the question-set README prescribes.

    Unicode NFKC, lower case, every character that is not a letter or digit becomes a space,
    runs of spaces collapse to one, and the ends are stripped. Doing the same to answers,
    aliases, evidence and passages makes "No. 1" match "No 1" and curly quotes match straight
    ones.

    Args:
        text: any text.

    Returns:
        The normalised text; words are separated by single spaces.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def strip_markers(text: str) -> str:
    """Remove citation markers such as ``[1]`` or ``[2, 3]`` so they are not scored as words."""
    return _MARKER.sub(" ", text)


def split_sentences(text: str) -> list[str]:
    """Split an answer into sentences with a light rule (end mark, space, capital or digit).

    Abbreviations such as "No. 1" or "Sept. 13" stay whole because a digit or lower-case word
    follows them; an occasional wrong split only makes the groundedness check stricter.
    (``rag.sentences.split_sentences`` is the careful splitter for article text.)
    """
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def content_words(text: str) -> list[str]:
    """Normalised tokens of ``text`` without citation markers and stop words."""
    return [tok for tok in normalize(strip_markers(text)).split() if tok not in STOP_WORDS]


def groundedness(answer: str, passages: Sequence[str]) -> float | None:
    """Share of answer sentences whose content words are mostly present in the passages.

    A sentence counts as grounded when at least ``GROUNDED_THRESHOLD`` of its content words
    (normalised tokens minus stop words and citation markers) occur among the passages' tokens.
    Sentences without content words are left out. This is a lexical proxy for entailment: no
    NLI model with weights is installable here, so paraphrases score lower than they deserve.

    Returns:
        The share, or None when there are no passages or no sentence has content words.
    """
    if not passages:
        return None
    vocabulary = set(normalize(" ".join(passages)).split())
    scored = []
    for sentence in split_sentences(answer):
        words = content_words(sentence)
        if words:
            present = sum(1 for w in words if w in vocabulary) / len(words)
            scored.append(present >= GROUNDED_THRESHOLD)
    return sum(scored) / len(scored) if scored else None
