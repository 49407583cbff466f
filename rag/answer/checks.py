"""Checks on a generative answer: citation markers, abstention, lexical support.

A model's text is kept only when it cites at least one passage that exists and what it
says is (lexically) found in the passages it cites; otherwise the caller falls back to
the extractive answer. Markers are renumbered 1..n in order of first appearance, so the
citations shown under an answer read [1], [2], ... whatever numbers the model used.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from rag.answer.prompt import is_instruction_like
from rag.lexical import content_words, groundedness
from rag.lexical import split_sentences as split_answer
from rag.sentences import split_sentences
from rag.types import Passage

DEFAULT_MIN_GROUNDEDNESS = 0.5

# "[1]", "[1, 2]", "[1][2]", "[2-3]", "[passage 1]", "[n=1]", "[Passages 1 and 3]".
_MARKER = re.compile(
    r"\[\s*(?:(?:passages?|n)\s*[=:]?\s*)?"
    r"(?P<body>\d{1,3}(?:\s*(?:,|;|and|&|-|–)\s*(?:(?:passages?|n)\s*[=:]?\s*)?\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{1,3}")
_RANGE = re.compile(r"^(\d{1,3})\s*[-–]\s*(\d{1,3})$")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")
_SPACES = re.compile(r"[ \t]{2,}")

_ABSTAIN = re.compile(
    r"^\W*(?:answer\W*)?not\s+in\s+the\s+(?:articles?|passages?)\b"
    r"|\bnot\s+(?:found|mentioned|stated|given|provided|included|covered|answered|available|"
    r"specified|reported|said)\s+in\s+(?:the\s+|these\s+|any\s+(?:of\s+)?(?:the\s+)?)?"
    r"(?:articles?|passages?|texts?|sources?|context)\b"
    r"|\b(?:articles?|passages?|texts?|sources?)\s+(?:do|does|did)\s*(?:not|n['’]t)\s+"
    r"(?:say|mention|state|specify|contain|include|provide|answer|tell|give)\b"
    r"|\bno\s+(?:information|mention|answer|details?)\s+(?:about|on|of|in|regarding)\b"
    r"|\bi\s+(?:do\s+not|don['’]t)\s+know\b"
    r"|\b(?:cannot|can['’]t|unable\s+to)\s+(?:be\s+)?(?:answer|determine|find|tell)"
    r"|^\W*(?:unknown|not\s+(?:known|stated|mentioned))\W*$",
    re.IGNORECASE,
)
# Lines a chatty model adds around its answer.
_LEAD_IN = re.compile(
    r"^\s*(?:(?:the\s+)?(?:answer|response)(?:\s+to\s+(?:this|the)\s+question)?\s+is|"
    r"answer|assistant|response)\s*:\s*",
    re.IGNORECASE,
)
_TAIL = re.compile(r"\n\s*(?:question|passage|<passage|user|note)\b.*", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Marker:
    """One citation marker: its span in the text and the passage numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


def parse_markers(text: str) -> list[Marker]:
    """Every citation marker in ``text``, in order; "[2-4]" names 2, 3 and 4."""
    out: list[Marker] = []
    for m in _MARKER.finditer(text):
        numbers: list[int] = []
        for part in re.split(r"\s*(?:,|;|and|&)\s*", m.group("body"), flags=re.IGNORECASE):
            part = re.sub(r"(?i)(?:passages?|n)\s*[=:]?\s*", "", part).strip()
            rng = _RANGE.match(part)
            if rng:
                a, b = int(rng.group(1)), int(rng.group(2))
                if a <= b and b - a < 10:
                    numbers.extend(range(a, b + 1))
                continue
            numbers.extend(int(n) for n in _NUMBER.findall(part))
        out.append(Marker(m.start(), m.end(), tuple(dict.fromkeys(numbers))))
    return out


def renumber(text: str, valid: Collection[int]) -> tuple[str, list[int]]:
    """Rewrite markers to 1..n in order of first appearance, dropping invalid numbers.

    Args:
        text: the model's answer.
        valid: the passage numbers that exist (as shown to the model).

    Returns:
        ``(text, cited)``: the rewritten text (a marker left with no valid number is removed)
        and the original numbers of the cited passages, in their new order.
    """
    cited: list[int] = []
    pieces: list[str] = []
    last = 0
    for marker in parse_markers(text):
        pieces.append(text[last : marker.start])
        last = marker.end
        kept = [n for n in marker.numbers if n in valid]
        for n in kept:
            if n not in cited:
                cited.append(n)
        if kept:
            new = sorted({cited.index(n) + 1 for n in kept})
            pieces.append("[" + ", ".join(str(n) for n in new) + "]")
    pieces.append(text[last:])
    joined = _SPACES.sub(" ", "".join(pieces))
    return _SPACE_BEFORE_PUNCT.sub(r"\1", joined).strip(), cited


def clean_output(raw: str) -> str:
    """The model's answer without lead-ins ("Answer:"), trailing extra turns or spaces."""
    text = raw.replace("\r", "").strip()
    text = _LEAD_IN.sub("", text)
    text = _TAIL.sub("", text)
    return " ".join(text.split())


def is_abstention(text: str) -> bool:
    """True when the answer's first sentence says the articles do not answer.

    Only the first sentence counts: "X happened on 2 May [1]. The articles do not say why."
    is an answer, while "The passages do not mention it." or "Not in the articles." is not.
    """
    sentences = split_answer(text.strip()) or [text]
    first = sentences[0] if sentences else ""
    return bool(_ABSTAIN.search(first))


def support(text: str, sources: list[str]) -> float | None:
    """Share of the answer's sentences lexically found in ``sources`` (eval.metrics)."""
    return groundedness(text, sources)


def sentences_citing(text: str, number: int) -> list[str]:
    """The answer sentences that carry marker ``number`` (after renumbering)."""
    out = []
    for sentence in split_answer(text):
        if any(number in m.numbers for m in parse_markers(sentence)):
            out.append(sentence)
    return out


def best_sentence(claim: str, passage: Passage) -> str | None:
    """The sentence of ``passage`` sharing the most content words with ``claim``.

    The result is an exact slice of ``passage.text`` (the chain drops citations whose
    sentence is not in the passage); None when no sentence shares a word.
    """
    wanted = set(content_words(claim))
    best: tuple[float, str] | None = None
    for s, e in split_sentences(passage.text):
        sentence = passage.text[s:e]
        if len(sentence.split()) < 4 or is_instruction_like(sentence):
            continue
        words = set(content_words(sentence))
        overlap = len(wanted & words)
        if not overlap:
            continue
        score = overlap + overlap / (len(words) + 1)
        if best is None or score > best[0]:
            best = (score, sentence)
    return best[1] if best else None


@dataclass(frozen=True)
class Verdict:
    """What to do with a model's answer.

    Attributes:
        kind: "answer" (keep it), "abstain" (the model declined) or "reject" (fall back).
        text: the cleaned answer with renumbered markers.
        cited: original passage numbers (1-based, as shown) in citation order.
        groundedness: lexical support of the answer by the cited passages, when measured.
        reason: why it was rejected.
    """

    kind: str
    text: str
    cited: tuple[int, ...] = ()
    groundedness: float | None = None
    reason: str | None = None


def check_answer(
    raw: str, shown_texts: list[str], min_groundedness: float = DEFAULT_MIN_GROUNDEDNESS
) -> Verdict:
    """Judge a model's raw answer against the passages it was shown (numbered from 1)."""
    text = clean_output(raw)
    if not text:
        return Verdict("reject", text, reason="the model returned no text")
    if is_abstention(text):
        return Verdict("abstain", text)
    rewritten, cited = renumber(text, range(1, len(shown_texts) + 1))
    if not cited:
        return Verdict("reject", rewritten, reason="no valid citation")
    score = support(rewritten, [shown_texts[n - 1] for n in cited])
    if score is None or score < min_groundedness:
        shown = "n/a" if score is None else f"{score:.2f}"
        return Verdict(
            "reject",
            rewritten,
            tuple(cited),
            score,
            f"answer not supported by the cited passages (groundedness {shown})",
        )
    return Verdict("answer", rewritten, tuple(cited), score)
