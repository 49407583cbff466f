"""Questions that name two parties ("the Putin-Kim summit", "when did Xi and Putin meet"):
the evidence must involve both of them, not one of them with someone else.

Why: news about one leader meeting many others is the commonest near-miss in retrieval: a
sentence about Putin meeting Erdogan matches "the Putin-Kim summit" on half its names and on
every other word.
"""

from __future__ import annotations

import re

from vectorstore.bm25_index import tokenize

_NAME = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
# "Putin-Kim", "Xi-Putin" (each part a capitalised name; "Kim Jong-un" keeps its hyphen)
_HYPHEN_PAIR = re.compile(
    rf"\b({_NAME})[-–]({_NAME})\b(?=\s+(?:summit|meeting|talks|deal|"
    r"call|pact|treaty|visit|ties|alliance|agreement|relationship)\b)"
)
# "Xi and Putin", "between Kim Jong-un and Putin"
_AND_PAIR = re.compile(rf"\b({_NAME}(?:\s{_NAME})*)\s+and\s+({_NAME}(?:\s{_NAME})*)\b")


def parties(question: str) -> list[frozenset[str]]:
    """The two parties a question names, each as the stemmed tokens of its name; empty
    when it names fewer than two. The question's first word is never a party ("Where")."""
    body = question[0].lower() + question[1:] if question else question
    m = _HYPHEN_PAIR.search(body) or _AND_PAIR.search(body)
    if m is None:
        return []
    found = [_key(m.group(1)), _key(m.group(2))]
    if not all(found) or found[0] & found[1]:
        return []
    return found


def _key(name: str) -> frozenset[str]:
    """The name's stemmed tokens, without short ones ("un" of "Kim Jong-un" would match "UN")
    unless nothing else is left ("Xi")."""
    tokens = tokenize(name)
    return frozenset(t for t in tokens if len(t) >= 3) or frozenset(tokens)


def involvement(named: list[frozenset[str]], sentence: str, passage: str) -> float:
    """1.0 when the sentence names every party, 0.9 when its passage does (the sentence
    may well say "the two sides"), 0.0 when some party is missing from the passage."""
    if not named:
        return 1.0
    in_sentence = set(tokenize(sentence))
    if all(p & in_sentence for p in named):
        return 1.0
    in_passage = set(tokenize(passage))
    return 0.9 if all(p & in_passage for p in named) else 0.0
