"""Follow-up questions made standalone from the conversation, without a language model.

"And when did he meet Putin?" after "When did Kim last visit China?" becomes
"when did Kim meet Putin?": pronouns are replaced by the main named subject of the
previous question, and a leading "And"/"What about" is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_LEAD = re.compile(r"^\s*(and|also|so|then|but|ok|okay)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(what|how) about\s+(?P<rest>.+?)\??\s*$", re.I)
_PRONOUN = re.compile(r"\b(he|she|him|her|his|they|them|their|it|its)\b", re.I)
_SUBJECT = re.compile(r"\b[A-Z][\w'-]+(?:\s+(?:[A-Z][\w'-]+|al|bin|de|van|von))*")
_NOT_SUBJECT = {
    "When", "What", "Where", "Who", "Why", "How", "Which", "Did", "Does", "Do", "Is", "Are",
    "Was", "Were", "Has", "Have", "Had", "Can", "Will", "On", "In", "And", "The", "A",
}  # fmt: skip
_POSSESSIVE = {"his", "her", "their", "its"}
# "her" is possessive before a noun ("her visit"), an object otherwise ("meet her?").
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_NOT_NOUN = {
    "in", "on", "at", "to", "for", "with", "about", "after", "before", "and", "or", "but",
    "when", "while", "during", "again", "there", "then", "last", "first", "since", "that",
}  # fmt: skip


def main_subject(question: str) -> str | None:
    """The first named entity of a question ("Kim" in "When did Kim last visit China?")."""
    for m in _SUBJECT.finditer(question):
        words = [w for w in m.group(0).split() if w not in _NOT_SUBJECT]
        if words:
            return " ".join(words).removesuffix("'s").removesuffix("’s")
    return None


def rewrite_followup(question: str, history: Sequence[str]) -> str:
    """A standalone form of ``question`` given earlier user questions (oldest first).

    A question that already names its subject is returned unchanged (apart from a
    leading "And").
    """
    q = question.strip()
    if not history:
        return q
    previous = history[-1]
    subject = None
    for earlier in reversed(history):
        subject = main_subject(earlier)
        if subject:
            break
    if m := _WHAT_ABOUT.match(q):
        # "What about Xi?" -> the previous question with its subject swapped.
        old = main_subject(previous)
        if old:
            return previous.replace(old, m.group("rest"), 1)
        return q
    stripped = _LEAD.sub("", q)
    if not subject or not _PRONOUN.search(stripped):
        return stripped[:1].upper() + stripped[1:] if stripped else q

    def swap(m: re.Match[str]) -> str:
        word = m.group(0).lower()
        following = _NEXT_WORD.match(stripped, m.end())
        possessive = word in _POSSESSIVE and (
            word != "her" or (following is not None and following.group(1).lower() not in _NOT_NOUN)
        )
        return f"{subject}'s" if possessive else str(subject)

    rewritten = _PRONOUN.sub(swap, stripped, count=1)
    return rewritten[:1].upper() + rewritten[1:]
