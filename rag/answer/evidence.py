"""The reader's candidate sentences: every retrieved passage split into sentences, each once.

Overlapping chunks repeat sentences; a sentence that refers back to the one before ("This
marks ...") inherits its dates, and "a day before the summit" gets its day when the same
article dates the summit (``rag.temporal.anchored``). Text addressed to a language model is
never a candidate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from rag.sentences import MIN_SENTENCE_WORDS, split_sentences
from rag.tag_dates import decode_mentions
from rag.temporal.anchored import find_anchored, resolve_anchored
from rag.types import DateMention, Passage
from vectorstore.bm25_index import tokenize

# Text addressed to a language model, not news ("ignore previous instructions ..."): never
# quoted as evidence, whichever answerer runs.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|context)\b|"
    r"\b(system prompt|you are (now )?an? (ai|assistant|language model))\b|"
    r"\b(answer|respond|reply|tell (the )?users?)\b.{0,20}\bthat\b.{0,80}\b(instead|regardless)\b",
    re.I,
)
# A sentence that says what did not happen (settles a yes/no question: "No").
NEGATION = re.compile(r"\b(never|not|no|none|neither|nor|n't)\b", re.I)
# ... unless all it denies is that something is known yet: "it has not been confirmed
# whether a summit will be held" leaves the question open.
_UNSETTLED = re.compile(
    r"\b(?:(?:has|have|had|is|are|was|were)(?:\s+not|n't)(?:\s+(?:yet|been|yet\s+been))*|"
    r"(?:do|does|did)(?:\s+not|n't)|not\s+yet)\s+"
    r"(?:confirmed|known|clear|decided|determined|certain|sure|know|say|said|disclosed|"
    r"announced|specified|revealed|elaborate)\s+(?:yet\s+|publicly\s+|immediately\s+)?"
    r"(?:on\s+|about\s+)?(?:whether|if|when|who|what|where|how|which)\b",
    re.I,
)
_NUMBERED = re.compile(r"\bNo\.\s*\d")  # "No. 1 priority" denies nothing


def says_no(text: str) -> bool:
    """True when the sentence says something did not happen, not only that it is not known
    yet whether it will ("did not say whether ...")."""
    return bool(NEGATION.search(_NUMBERED.sub(" ", _UNSETTLED.sub(" ", text))))


# How often something happens (answers "How often ...?"): "twice a year", "once every four
# years", "annually", "regularly", "on a monthly basis". An -ly word that is an adjective
# too ("daily", "weekly") counts in lower case and not before a lower-case word it may
# qualify: not "The Daily Mail", "quarterly revenue".
_PERIOD = (
    r"(?:minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|season"
    r"|summer|winter)s?"
)
_COUNT = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|few)"
_ADJECTIVE = r"yearly|monthly|weekly|daily|nightly|hourly|quarterly|fortnightly"
_ADVERB = r"(?:bi)?annually|biennially|regularly|periodically|routinely"
_NOT_A_NOUN = (
    r"(?!\s+(?!(?:and|or|but|in|on|at|for|to|since|until|from|by|with|as|so|because|"
    r"over|during|after|before|while|when|if|except|through|throughout|the|a|an|this|that|its|"
    r"their|his|her)\b)"
    r"(?-i:[a-z]))"
)
FREQUENCY = re.compile(
    rf"\b(?:(?:once|twice|thrice|{_COUNT} times)\s+(?:(?:a|an|per|each|every)\s+(?:\w+\s+)?"
    rf"{_PERIOD}|{_ADVERB}|(?-i:{_ADJECTIVE}))"
    rf"|(?:every|each)\s+(?:other\s+|{_COUNT}\s+)?{_PERIOD}"
    rf"|{_ADVERB}|(?-i:{_ADJECTIVE}){_NOT_A_NOUN}"
    r"|on an? (?:regular|annual|yearly|monthly|weekly|daily|quarterly|rotating) basis)\b",
    re.I,
)


def frequency(text: str) -> str | None:
    """The first frequency ``text`` states ("once every four years": the longest form that
    starts there), or None."""
    found = FREQUENCY.search(text)
    return found.group(0) if found else None


# A sentence that refers back to the event of the one before ("This marks ...").
_ANAPHORA = re.compile(
    r"^[\"“‘']?(this|that|it|these|those|the (visit|trip|meeting|summit|talks|event|move))\b",
    re.I,
)


# A run of capitalised words, with the small words a name may hold ("Federal Bureau of
# Investigation", "Asia-Pacific Economic Cooperation").
_NAME_RUN = re.compile(r"[A-Z][\w’']*(?:(?:-|\s+(?:(?:of|and|for|on|the)\s+)?)[A-Z][\w’']*)+")


_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def acronyms_of(question: str) -> dict[str, list[str]]:
    """The question's acronyms as written ("APEC") and their terms (["apec"]); read once a
    question, for ``spelled_out`` on each of its sentences. "WHO" and "IT" have no term."""
    asked = {a: tokenize(a) for a in _ACRONYM.findall(question)}
    return {a: t for a, t in asked.items() if t}


def spelled_out(asked: Mapping[str, list[str]], text: str) -> frozenset[str]:
    """The terms of the asked acronyms (``acronyms_of``) that ``text`` spells out: "APEC" in
    the question and "the Asia-Pacific Economic Cooperation summit" in the text give "apec".
    The initials of a run of capitalised words (hyphenated parts apart; a stop word that
    opens the run, "After Israel ...", left out) must open with the acronym as written. The
    question's words decide what is looked for: a sentence's own runs make many accidental
    initials."""
    if not asked:
        return frozenset()
    out: set[str] = set()
    for m in _NAME_RUN.finditer(text):
        words = [w for w in re.split(r"[\s-]+", m.group(0)) if w[:1].isupper()]
        stripped = False
        while words and not tokenize(words[0]):
            words, stripped = words[1:], True
        initials = "".join(w[0] for w in words)
        # A sentence's first word has its capital whatever it is: "Unlike Sunak, ..." is no
        # "US" (a two-letter acronym is too easily made); "The United States ..." is.
        at_start = not stripped and not text[: m.start()].strip("\"'“‘([ ")
        opened = initials[1:] if at_start else initials
        out.update(
            t for a, terms in asked.items()
            if (opened if len(a) == 2 else initials).startswith(a) for t in terms
        )  # fmt: skip
    return frozenset(out)


@dataclass
class Sentence:
    """A candidate answer sentence inside a retrieved passage."""

    rank: int
    passage: Passage
    start: int
    end: int
    text: str
    mentions: list[DateMention] = field(default_factory=list)
    terms: frozenset[str] = frozenset()
    tokens: tuple[str, ...] = ()
    inherited: list[DateMention] = field(default_factory=list)
    score: float = 0.0
    meaning: float = 0.0
    coverage: float = 0.0

    @property
    def dated(self) -> list[DateMention]:
        """Resolved dates of the sentence, or of the sentence it refers back to."""
        own = [m for m in self.mentions if m.value]
        return own + [m for m in self.inherited if m.value]

    def before(self, mention: DateMention) -> str | None:
        """The sentence's text before its own date ``mention``; None for a date inherited
        from the sentence it refers back to, whose offsets are not into this one."""
        return self.text[: mention.start] if mention in self.mentions else None


def candidate_sentences(passages: list[Passage]) -> list[Sentence]:
    """Sentences of all passages, each once (overlapping chunks repeat sentences)."""
    seen: dict[tuple[str, int], Sentence] = {}
    out: list[Sentence] = []
    for rank, p in enumerate(passages):
        mentions = decode_mentions(p.text, p.metadata.get("dates"))
        previous: list[DateMention] = []
        for s, e in split_sentences(p.text):
            here = [m for m in mentions if m.start >= s and m.end <= e]
            before, previous = previous, [m for m in here if m.value]
            key = (p.doc_id, p.start + s)
            if key in seen:
                # The same sentence in an overlapping chunk may show what it refers to.
                if not seen[key].inherited and _ANAPHORA.match(seen[key].text):
                    seen[key].inherited = before
                continue
            text = p.text[s:e]
            if len(text.split()) < MIN_SENTENCE_WORDS or _INSTRUCTION.search(text):
                continue
            own = [
                DateMention(m.text, m.start - s, m.end - s, m.value, m.granularity)
                for m in mentions
                if m.start >= s and m.end <= e
            ]
            tokens = tuple(tokenize(text))
            sentence = Sentence(rank, p, s, e, text, own, frozenset(tokens), tokens)
            if _ANAPHORA.match(text) and not any(m.granularity == "day" for m in own):
                sentence.inherited = before
            seen[key] = sentence
            out.append(sentence)
    date_anchored(out)
    return out


def date_anchored(sentences: list[Sentence]) -> None:
    """Give "a day before the Kim-Putin summit" its day when the same article dates the
    summit in another of these sentences (``rag.temporal.anchored``); in place."""
    by_doc: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_doc.setdefault(s.passage.doc_id, []).append(s)
    for group in by_doc.values():
        days = {
            id(s): {m.value for m in s.mentions if m.value and m.granularity == "day"}
            for s in group
        }
        dated = [(s, next(iter(days[id(s)]))) for s in group if len(days[id(s)]) == 1]
        for s in group:
            if days[id(s)]:
                continue
            for found in find_anchored(s.text):
                others = [(d.text, value) for d, value in dated if d is not s]
                resolved = resolve_anchored(found, others)
                if resolved is not None:
                    s.mentions.append(
                        DateMention(found.text, found.start, found.end, resolved[0], "day")
                    )
