"""What the retrieved sentences together say of a name, for a question that asks for a
person: that it is a place ("in Beijing"), a word that only opens sentences ("Significant
talks with North Korea ..."), or a person of another people than the one asked for
("Russian President Vladimir Putin" for "Who headed the Chinese delegation ...?").

Why: a candidate's type fit is judged inside its own sentence, where "Beijing" in "Seoul and
Beijing held a dialogue" and "Significant" opening a sentence look like any bare name; the
other sentences of the same passages tell them apart. Tempting unanswerable questions ("Who
led North Korea's delegation to the Hangzhou Asian Games?") were answered so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.answer.candidates import DEMONYMS, Candidate
from rag.answer.qtype import CALENDAR

# A capital after a word and one or two separators, each word of a run ("Lena Holt"),
# hyphens and apostrophes inside it ("Ocasio-Cortez", "O'Brien").
_WRITTEN_INSIDE = re.compile(
    r"(?:(?<=\w\s)|(?<=\w[,;:(“\"-])|(?<=\w[,;:]\s))([A-Z][\w'’-]*\w|[A-Z])"
)
# "in Beijing", "at Vostochny": one capitalised word (a run of several may be a person:
# "trust in Donald Trump"), not a possessive ("in Xi's government"; the possessive
# quantifiers keep the match from giving back letters to get past it).
_PLACED = re.compile(
    r"(?:(?P<before>\w+)\s+)?\b(?:[Ii]n|[Aa]t|[Nn]ear|[Ii]nside|[Oo]utside)\s+"
    r"(?P<the>the\s+)?(?P<name>[A-Z][\w.-]*+)(?![’']s\b|\s+[A-Z])"
)
# Words before "in"/"at" that aim it at a person, not a place ("trust in", "fired at").
_NOT_PLACING = frozenset(
    """aim aimed fire fired firing shot shots shoot trust faith interest confidence belief
    swipe swipes jab jabs dig digs look looked looking glance glanced laugh laughed
    laughing angry mad upset furious frustrated pride hope joke jokes joked lash lashed
    hit hits struck pointed directed nod wink waved smiled staring stared""".split()
)
_PARTS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
# A capitalised word after another in one run: a surname ("Vladimir Putin", "President
# Xi"), so "trust in Putin" does not make Putin a place.
_AFTER_CAPITAL = re.compile(
    r"(?=\b(?!(?:In|At|On|The|A|An|For|From|By|With|After|Before|During|Near|To|And)\b)"
    r"[A-Z][\w.-]*\s+([A-Z][\w-]*))"
)


# Peoples of one country ("Russian", "North Korean"): not continents, faiths or parties,
# and not "Korean", which is either Korea. (``DEMONYMS`` holds "north" and "korean" as
# words.)
_NATIONS = sorted(
    (
        DEMONYMS
        - set(
            """european african asian arab muslim christian jewish hindu catholic democratic
            republican western eastern korean north south soviet""".split()
        )
    )
    | {"north korean", "south korean"},
    key=len,
    reverse=True,
)
_NATION = "|".join(re.escape(n) for n in _NATIONS)
_TITLE_WORDS = (
    r"(?:president|leader|premier|chancellor|minister|foreign|prime|deputy|vice|chief|"
    r"defen[cs]e|secretary|general|spokes(?:person|man|woman)|envoy|ambassador|official|"
    r"diplomat|counterpart|head|chairman|king|queen|supreme)"
)
# "Russian President Vladimir Putin", "North Korean leader Kim Jong-un": a people, up to
# four title words, then the name.
_OF_PEOPLE = re.compile(
    rf"\b(?i:(?P<people>{_NATION}))\s+(?:(?i:{_TITLE_WORDS})\s+){{1,4}}"
    r"(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})"
)
_PERSON_NOUN = (
    r"(?:officials?|ministers?|secretary|envoys?|ambassadors?|leaders?|president|premier|"
    r"delegates?|diplomats?|spokes(?:person|man|woman)|representatives?|negotiators?|"
    r"general|chief|counterpart|head)"
)
# "Who headed the Chinese delegation ...?", "who were the chinese officials at ...?": the
# person asked for is of that people ("Who is the North Korean foreign minister that ...?").
# Not "Who is the Chinese president meeting ...?": a noun for a person ends the phrase.
_ASKED_PEOPLE = re.compile(
    rf"\bwho\s+(?:led|headed|chaired|leads|heads|chairs|represented|represents)\s+the\s+"
    rf"(?P<a>{_NATION})\b"
    rf"|\bwho\s+(?:is|was|were|are)\s+the\s+(?P<b>{_NATION})\s+(?:\w+\s+)?{_PERSON_NOUN}"
    r"(?=\s*(?:[?.,]|$)|\s+(?:at|in|of|for|to|who|that|on|with|from|during)\b)",
    re.IGNORECASE,
)
# Peoples inside another: a Welsh secretary is a British official.
_WITHIN = {"english": "british", "scottish": "british", "welsh": "british"}


@dataclass(frozen=True)
class NameContext:
    """What the retrieved sentences together say of the names in them.

    Attributes:
        inner: words written with a capital inside some sentence (not only at its start).
        placed: one-word names (lower case) some sentence puts after "in", "at", "near",
            ... (not "trust in", "fired at", "in the Biden administration") and none
            writes after another capitalised word ("Vladimir Putin").
        people: the people a sentence gives a name before its title ("Russian President
            Vladimir Putin": "vladimir putin", "putin" -> "russian"); a key given two
            peoples is left out.
        asked: the people the question's person belongs to ("the Chinese delegation"),
            or None.
    """

    inner: frozenset[str]
    placed: frozenset[str]
    people: dict[str, str] = field(default_factory=dict)
    asked: str | None = None


def name_context(sentences: Sequence[str], question: str = "") -> NameContext:
    """The ``NameContext`` of ``sentences`` (the retrieved sentences' texts) for
    ``question``."""
    inner = frozenset(m.group(1) for t in sentences for m in _WRITTEN_INSIDE.finditer(t))
    surnames = {m.group(1).lower() for t in sentences for m in _AFTER_CAPITAL.finditer(t)}
    placed = frozenset(
        name
        for t in sentences
        for m in _PLACED.finditer(t)
        if (name := m["name"].lower().rstrip(".")) not in CALENDAR  # "in May"
        and name not in surnames
        and (m["before"] or "").lower() not in _NOT_PLACING
        # "in the Biden administration": a name before a noun qualifies it
        and not (m["the"] and re.match(r"\s+[a-z]", t[m.end() :]))
    )
    people: dict[str, str] = {}
    mixed: set[str] = set()
    for t in sentences:
        for m in _OF_PEOPLE.finditer(t):
            name, nation = m["name"].lower(), m["people"].lower()
            for key in (name, name.split()[-1]):  # "Vladimir Putin", "Putin"
                if people.setdefault(key, nation) != nation:
                    mixed.add(key)  # two peoples: "Kim" of the North and of the South
    for key in mixed:
        del people[key]
    asked_m = _ASKED_PEOPLE.search(question)
    asked = (asked_m["a"] or asked_m["b"]).lower() if asked_m else None
    return NameContext(inner, placed, people, asked)


def person_fit(f: float, c: Candidate, sentence: str, names: NameContext) -> float:
    """``f`` for a person asked, unless the retrieved sentences show the phrase is none of
    them: a name they place ("in Beijing"; "Seoul and Beijing", each placed; not a name
    the entity tagger calls a person), a word that
    only ever opens a sentence before a small letter ("Significant talks with ..."), or a
    person of another people than the one asked for."""
    if c.kind != "name" or not f or c.entity == "person":
        return f
    parts = [p.rstrip(".") for p in _PARTS.split(c.text.lower().strip()) if p]
    if parts and all(p in names.placed for p in parts):
        return 0.0
    opens = not sentence[: c.start].strip(" “\"‘'(")
    if (
        opens
        and " " not in c.text
        and c.text not in names.inner
        and re.match(r"\s+[a-z]", sentence[c.end :])
    ):
        return 0.0
    people = names.people.get(c.text.lower())
    if names.asked is not None and people is not None:
        if names.asked not in (people, _WITHIN.get(people)):
            return 0.0
    return f
