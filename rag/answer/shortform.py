"""Choose the short answer ("San Francisco", "22") among the candidates of the best sentences.

A candidate (``rag.answer.candidates``) of one of the top sentences scores by its
sentence's score, by how well it fits the expected answer type (``rag.answer.qtype``; an
unknown head noun such as "animal" is compared with the candidate by embedding
similarity), by how close it stands to the question's terms in the sentence, and by how
many distinct stories name the same phrase. A phrase the question itself contains never
answers it. When no candidate fits well enough there is no short answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import numpy as np

from rag.answer.candidates import (
    Candidate,
    find_candidates,
    is_demonym,
    normalise,
    with_entities,
)
from rag.answer.entities import EntityTagger
from rag.answer.names import NameContext, name_context, person_fit
from rag.answer.places import is_country
from rag.answer.qtype import (
    CALENDAR,
    SPECIFIC_PLACE_HEADS,
    TIME_UNIT,
    US_STATES,
    AnswerType,
    names_head,
    singular,
    written_as_name,
)
from rag.ranking import at_least, best_first, best_of
from rag.types import DateMention, Passage
from vectorstore.bm25_index import tokenize

_ORG_WORDS = re.compile(
    r"\b(University|College|School|Inc|Corp|Corporation|Company|Co|Ltd|LLC|Group|Bank|Party|"
    r"Association|Institute|Foundation|Council|Committee|Ministry|Department|Agency|Museum|"
    r"Hospital|Club|League|Union|News|Times|Post|Airlines?|Motors|Church|Court|Office|House|"
    r"Park|Street|Center|Centre|Library|Festival|Awards?|Cup|Games|Day|Forum|Initiative|"
    r"Summit|Organi[sz]ation|Register|Journal|Network|Service|Fund|Program(me)?)\b"
)
# Last words of names that are events, meetings or buildings, not places one can be "in"
# as a city: "the China-Russia Foreign Ministers' Meeting", "the Diaoyutai State Guesthouse".
_NOT_A_CITY = re.compile(
    r"\b(Meeting|Meetings|Conference|Talks|Summit|Session|Forum|Games|Festival|Cup|Ceremony|"
    r"Visit|Parade|Election|Dialogue|Congress|Assembly|Expo|Exhibition|Guesthouse|Hall|Palace|"
    r"Square|Stadium|Airport|Hotel|Building|Tower|Station|Base|Cosmodrome|Port|Center|Centre|"
    r"Ministry|Council|Committee|Agency|Organi[sz]ation|Bank|Party)s?\W*$"
)
# The words before a place one is in, goes to or comes from ("met in Samarkand").
_PLACE_BEFORE = re.compile(r"\b(in|at|to|from|near|into|across|outside|inside)\s+(the\s+)?$", re.I)


def after_place_word(c: Candidate, sentence: str) -> bool:
    """The phrase follows "in", "at", "to", ...: "met in Samarkand" places the meeting
    there, a country named as the topic ("China said ...") does not."""
    return bool(_PLACE_BEFORE.search(sentence[: c.start]))


_SCALED = re.compile(r"\b(million|billion|trillion|thousand|bn)\b", re.I)
_FUNCTION = frozenset(
    """the a an and or but of to in on at by for from with as is was were are be been has
    have had that this these those it its their his her he she they we you i not no also
    which who whom whose what when where why how said says will would could can may
    after before over into about than then there more most other some such only very
    being just like""".split()
)


# Fit of a name that an entity recogniser labelled (``rag.answer.entities``), by asked kind.
_ENTITY_FIT: dict[str, dict[str, float]] = {
    "person": {"person": 1.0, "org": 0.2, "place": 0.0, "group": 0.0},
    "org": {"org": 1.0, "product": 0.5, "place": 0.3, "person": 0.2},
    "place": {"place": 1.0, "org": 0.3, "person": 0.0},
    "city": {"place": 1.0, "org": 0.2, "person": 0.0},
}

# The heads a country may answer though they ask for some other thing ("Which major trading
# partner ...?"): of the 644 RealTime QA questions typed "thing", one has a country (or
# countries) for its answer, and that one asks for a partner.
_COUNTRY_ROLES = frozenset(
    """partner ally neighbour neighbor rival host member power economy superpower democracy
    exporter importer producer supplier buyer signatory side squad market destination emitter
    donor creditor holder consumer government champion winner""".split()
)
_NAMED = frozenset({"person", "org", "title", "place", "city", "state", "country", "thing"})


@dataclass
class Weights:
    """How a candidate's score is made (sentence score + these)."""

    fit: float = 0.3
    meaning: float = 0.2
    closeness: float = 0.3
    votes: float = 0.05
    max_votes: int = 3
    top_sentences: int = 5
    sentence_ratio: float = 0.8
    min_fit: float = 0.5
    more_fit: float = 0.9  # for the second of "Which two ...?"
    min_similarity: float = 0.5
    min_name_similarity: float = 0.35


class ScoredSentence(Protocol):
    """What the answerer's sentences offer (``rag.answer.evidence.Sentence``)."""

    text: str
    score: float
    passage: Passage
    mentions: list[DateMention]


@dataclass
class Scored:
    candidate: Candidate
    sentence: Any
    fit: float
    score: float


class Short(NamedTuple):
    """A short answer, the sentence it was read from, its type fit, its score (with votes),
    the number of distinct stories that name it, how far it leads the next different
    phrase (its own score when there is none), and whether the learned ranker chose it."""

    text: str
    sentence: Any
    fit: float = 1.0
    score: float = 0.0
    stories: int = 1
    lead: float = 0.0
    learned: bool = False  # chosen by the learned ranker: ``score`` is its P(right)


class Embeds(Protocol):
    def encode_cached(self, texts: list[str]) -> np.ndarray: ...


def story(passage: Passage) -> str:
    return str(passage.metadata.get("story_id") or passage.doc_id)


_US = re.compile(r"\b(US|U\.S\.?|USA|America|American|United States)\b")


def in_question(text: str, question: str, question_tokens: set[str]) -> bool:
    """The question already names this phrase (whole words, or all of its words)."""
    phrase = normalise(text)
    if not phrase:
        return True
    if _US.fullmatch(text.strip()) and _US.search(question):
        return True
    if f" {phrase} " in f" {normalise(question)} ":
        return True
    tokens = set(tokenize(text))
    if tokens and tokens <= question_tokens:
        return True
    # Shares a proper name with the question ("Vladimir Komlev" -> "Vladimir V. Komlev").
    names = {t for w in re.findall(r"\b[A-Z][a-z][\w-]*", question[1:]) for t in tokenize(w)}
    return bool(tokens & names)


_CITY_STATES = frozenset({"new york", "washington"})
# A Korean name with a hyphenated given name, surname first: "Park Won-gon" is a person
# whatever "Park" means elsewhere ("Park Jin", without the hyphen, is not recognised).
_KOREAN_NAME = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+-[A-Za-z][a-z]+$")
# Two names joined by a hyphen before a word of relation name the relation, not one of
# them: "the Seoul-Beijing security talks", "the Kim-Putin summit", "US-China trade". Only a
# bare pair ("Paris Saint-Germain won the match" is one club), with no function word
# between it and the word of relation ("Rees-Mogg said the trade figures ..." is one man),
# and not the regions written so ("the Nagorno-Karabakh conflict").
_LINK = re.compile(r"(?P<left>[A-Z][\w.’']*)-[A-Z][\w.’']*")
_RELATION = re.compile(
    r"\s+(?P<between>(?:[a-z][\w-]*\s+){0,2}?)(summit|summits|talks|dialogue|relations|"
    r"relationship|ties|war|trade|meeting|meetings|deal|agreement|border|conflict|alliance|"
    r"partnership|cooperation|treaty|rivalry|tensions|negotiations|pact|axis|match|game|clash|"
    r"standoff|exchange|exchanges|ceasefire|truce|accord|dispute|crisis)\b"
)
_ONE_PLACE = frozenset(
    """nagorno-karabakh asia-pacific indo-pacific bosnia-herzegovina guinea-bissau
    austria-hungary alsace-lorraine""".split()
)
_NAME_PREFIXES = frozenset("al el ad as at ben bin ibn abu".split())  # "Al-Hilal"


def _linked(c: Candidate, sentence: str) -> bool:
    """A bare hyphenated pair of names before a word of relation ("the Kim-Putin summit")."""
    pair = _LINK.fullmatch(c.text)
    if pair is None or c.text.lower() in _ONE_PLACE:
        return False
    if pair.group("left").lower() in _NAME_PREFIXES:
        return False
    relation = _RELATION.match(sentence, c.end)
    return relation is not None and not set(relation.group("between").split()) & _FUNCTION


def _counts_other(unit: str, number: str) -> bool:
    """A stretch of time answers no count of something else ("two days" for "How many
    people"), and a count of time is no number of people ("20 people" for "How many
    years")."""
    asks_time = bool(TIME_UNIT.search(unit))
    has_unit = " " in number.strip() and not _SCALED.search(number.rsplit(" ", 1)[-1])
    return bool(TIME_UNIT.search(number)) != asks_time and (has_unit or not asks_time)


def fit(atype: AnswerType, c: Candidate, sentence: str, names: NameContext | None = None) -> float:
    """How well a candidate matches the expected kind (0 = not at all); "thing" is 0 here
    (decided by meaning in ``pick_shorts``). For a person asked, ``names`` (what the other
    retrieved sentences say of the names, ``rag.answer.names``) may rule a name out."""
    f = _kind_fit(atype, c, sentence)
    if names is not None and atype.kind == "person":
        return person_fit(f, c, sentence, names)
    return f


def _kind_fit(atype: AnswerType, c: Candidate, sentence: str) -> float:
    """``fit`` judged inside the candidate's own sentence."""
    kind = atype.kind
    low = c.text.lower()
    country = is_country(low)
    # A country or a US state is no city, unless a city has its name ("New York").
    not_city = country or (low in US_STATES and low not in _CITY_STATES)
    if c.kind == "name" and (low in CALENDAR or is_demonym(low)):
        return 0.0
    if kind == "date":
        return 1.0 if c.kind == "date" else 0.0
    if kind == "number":
        if c.kind == "number" and atype.unit and _counts_other(atype.unit, c.text):
            return 0.0
        return {"number": 1.0, "money": 0.8, "percent": 0.5}.get(c.kind, 0.0)
    if kind == "duration":
        if c.kind != "number" or not TIME_UNIT.search(c.text):
            return 0.0
        return 1.0 if " and " in c.text else 0.9
    if kind == "money":
        if c.kind == "money":
            return 1.0
        return 0.6 if c.kind == "number" and _SCALED.search(c.text) else 0.0
    if kind == "percent":
        return 1.0 if c.kind == "percent" else 0.0
    if kind == "score":
        return {"score": 1.0, "number": 0.3}.get(c.kind, 0.0)
    if kind == "title":
        return {"title": 1.0, "name": 0.6}.get(c.kind, 0.0)
    if c.kind != "name":
        return 0.0
    pair = " and " in c.text and not _ORG_WORDS.search(c.text.rsplit(" ", 1)[-1])
    if pair or _linked(c, sentence):
        if not atype.plural:
            return 0.3
        return 1.0 if kind in ("person", "org", "thing") else 0.5
    specific = atype.head is not None and singular(atype.head) in SPECIFIC_PLACE_HEADS
    if kind == "place" and specific and (country or low in US_STATES):
        return 0.0  # "Which sea ...?": a country or a US state is no sea or stadium
    if c.entity is not None and kind in _ENTITY_FIT:
        if kind == "city" and not_city:
            return 0.0
        return _ENTITY_FIT[kind].get(c.entity, 0.2)
    if kind == "country":
        return 1.0 if country else 0.0
    if kind == "state":
        return 1.0 if low in US_STATES else 0.3
    if kind == "person":
        if country:
            return 0.0
        if _ORG_WORDS.search(c.text) and not _KOREAN_NAME.match(c.text):
            return 0.3
        return 1.0 if len(c.text.split()) >= 2 else 0.6
    if kind == "org":
        # A country or a US state is seldom the company or team asked for ("Ohio").
        return 0.2 if country or (low in US_STATES and low not in _CITY_STATES) else 0.8
    if kind in ("city", "place"):
        if kind == "city" and not_city:
            return 0.0
        if kind == "city" and _NOT_A_CITY.search(c.text):
            return 0.2  # a meeting or a building, at best near the city asked for
        # A bare name is as likely a person or an organisation: only a place preposition
        # ("in", "at", ...) or a country name makes it a place.
        return 1.0 if country or after_place_word(c, sentence) else 0.5
    return 0.0


def nouns(sentence: str) -> list[Candidate]:
    """Lower-case content words and word pairs, for heads like "animal" ("lion").

    A participle opens a pair but is no answer alone ("canned tuna", not "canned"); so does
    the capitalised first word of the sentence ("Bird flu is spreading")."""
    words = [(m.group(0), m.start(), True) for m in re.finditer(r"\b[a-z][a-z-]+\b", sentence)]
    first = re.match(r"\s*([A-Z][a-z-]+)\b", sentence)
    if first and first.group(1).lower() not in _FUNCTION:
        words.insert(0, (first.group(1), first.start(1), False))
    out = []
    for i, (w, start, alone) in enumerate(words):
        low = w.lower()
        if low in _FUNCTION or len(w) < 3 or low in CALENDAR or low.endswith("ly"):
            continue
        if alone and not low.endswith("ed"):
            out.append(Candidate(w, "noun", start, start + len(w)))
        if i + 1 < len(words):
            w2, start2, _ = words[i + 1]
            low2 = w2.lower()
            if (
                low2 not in _FUNCTION
                and low2 not in CALENDAR
                and not low2.endswith(("ed", "ly"))
                and start2 == start + len(w) + 1
            ):
                out.append(
                    Candidate(sentence[start : start2 + len(w2)], "noun", start, start2 + len(w2))
                )
    return out


_QUANTIFIERS = frozenset(
    """many several some few more most all both each every other various numerous multiple
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    dozen dozens hundred hundreds thousand thousands million millions billion billions
    trillion trillions""".split()
)
# Prepositions the function words miss: "including ballistic missiles", "against rockets".
_PREPOSITIONS = frozenset(
    """including against during across within without among amongst between toward towards
    through throughout despite via like unlike per onto upon beyond behind inside outside
    amid regarding concerning following except besides""".split()
)


def modified_heads(
    sentence: str, head: str, question_tokens: frozenset[str] | set[str] = frozenset()
) -> list[Candidate]:
    """The asked head noun with the one or two words before it that say which kind:
    "spy satellite", "European market", "anti-American camp" for "What kind of satellite /
    market / camp ...?". A function word or preposition, a number or a quantity ("three",
    "many", "million"), a date word, an owner ("China's market"), part of a hyphenated word
    ("500-tonne") or a word of the question ("launched" in "What kind of satellite did they
    launch?") is no such word, and ends the run of them; so does a second word that looks like
    a verb (in -ed, or after "to": "fired ballistic missiles", "to supply conventional
    weapons")."""
    stem = tokenize(head)
    words = list(re.finditer(r"(?<![\w’'-])[A-Za-z](?:[\w’'-]*\w)?", sentence))
    out = []
    for i, w in enumerate(words):
        if not stem or tokenize(w.group(0)) != stem:
            continue
        start = None
        for j in (i - 1, i - 2):
            if j < 0 or sentence[words[j].end() : words[j + 1].start()] != " ":
                break
            word = words[j].group(0)
            low = word.lower()
            if low in _FUNCTION or low in CALENDAR or low in _QUANTIFIERS or low in _PREPOSITIONS:
                break
            if re.search(r"['’]s?$", word) or set(tokenize(word)) & question_tokens:
                break
            farther = j == i - 2
            if farther and (
                low.endswith("ed") or (j > 0 and words[j - 1].group(0).lower() == "to")
            ):
                break  # a verb: "fired ballistic missiles", "to supply conventional weapons"
            start = words[j].start()
        if start is not None:
            out.append(Candidate(sentence[start : w.end()], "noun", start, w.end()))
    return out


def new_to_question(c: Candidate, question_tokens: set[str], atype: AnswerType) -> bool:
    """A lower-case phrase says something the question does not: none of its words is in
    the question, but for the head noun of a question that asks for a kind of it ("spy
    satellite" for "What kind of satellite ...?")."""
    words = set(tokenize(c.text))
    asked = set(tokenize(atype.head or "")) if atype.sort else set()
    if asked and words & asked:
        words -= asked
        return bool(words) and not words & question_tokens
    return not words & question_tokens


def headline_case(sentence: str) -> bool:
    """Every word of three letters or more but function words opens with a capital: a
    headline in title case ("Xi-Putin Summit Follows SCO; Attention on Possible ...
    Summit"), where a capital does not make a name. A sentence full of names still has
    lower-case words ("Xi Jinping (left) poses for a photo with ... Putin in Samarkand",
    "Putin met Xi in Beijing")."""
    words = re.findall(r"\b[A-Za-z][a-z]{2,}\b", sentence)
    words = [w for w in words if w.lower() not in _FUNCTION]
    return len(words) >= 4 and all(w[0].isupper() for w in words)


def _common_word(c: Candidate, sentence: str, passage: str) -> bool:
    """A one-word name of a headline that the rest of the passage writes in lower case
    ("Attention": "paying attention to ..."), or never writes at all ("Follows"). A passage
    that is only its headline tells nothing: its words stay."""
    if c.kind != "name" or " " in c.text or not c.text[:1].isupper() or c.text.isupper():
        return False
    rest = passage.replace(sentence, " ")
    if not rest.strip():
        return False
    word = re.escape(c.text)
    if re.search(rf"\b{word.lower()}\b", rest):
        return True
    return re.search(rf"\b{word}\b", rest) is None


def sentence_candidates(
    s: Any,
    atype: AnswerType,
    entities: EntityTagger | None = None,
    question_tokens: frozenset[str] | set[str] = frozenset(),
) -> list[Candidate]:
    """Every phrase of the scored sentence ``s`` that may answer a question of ``atype``.

    The one candidate builder of both readers: the learned one
    (``rag.answer.answer_features``) weighs every phrase it returns, the hand-set one
    (``pick_shorts``) narrows a "thing" question's further. Lower-case phrases (``nouns``)
    join only where the head noun is unknown ("thing") or the type is ("none"); a "name of"
    question keeps only phrases written as names ("diplomatic front" is none).
    """
    cands = find_candidates(s.text, [m for m in s.mentions if m.value])
    if entities is not None:
        cands = with_entities(s.text, cands, entities.entities(s.text))
    if headline_case(s.text):
        cands = [c for c in cands if not _common_word(c, s.text, s.passage.text)]
    if atype.kind in ("thing", "none"):
        cands = cands + nouns(s.text)
    if atype.kind == "thing" and atype.head and atype.sort:
        # A phrase with the head noun is that noun with the words that say which kind
        # (``modified_heads``: "quantum computing services", not "computing services").
        asked = set(tokenize(atype.head))
        cands = [c for c in cands if c.kind != "noun" or not set(tokenize(c.text)) & asked]
        cands += modified_heads(s.text, atype.head, question_tokens)
    if atype.named:
        cands = [c for c in cands if written_as_name(c.text)]
    return cands


_INNER = re.compile(r"\w[\s,;:(“\"-]+([A-Z]\w+)")


def meaning_fit(similarity: float, lowest: float) -> float:
    """Type fit from the likeness of a candidate to the head noun: 0 below ``lowest``,
    0.5 at it, 1.0 from 0.1 above it."""
    if not at_least(similarity, lowest):
        return 0.0
    return min(1.0, 0.5 + (similarity - lowest) / 0.2)


def thing_fit(atype: AnswerType, c: Candidate, similarity: float, w: Weights) -> float:
    """Fit to a head noun no lexicon knows ("Which animal"): a name that calls itself what
    is asked ("Hurricane Milton", "the Asian Games" for an event; ``names_head``), else the
    likeness by meaning, of which names need less: they are rarer than common nouns."""
    if c.kind != "noun" and names_head(atype.head, c.text, c.entity):
        return 1.0
    if atype.sort and c.kind == "noun":
        # "spy satellite" for "What kind of satellite" (``modified_heads``)
        words = tokenize(c.text)
        if len(words) > 1 and words[-1:] == tokenize(atype.head or ""):
            return 1.0
    if c.kind != "noun" and _countries(c) and singular(atype.head or "") not in _COUNTRY_ROLES:
        return 0.0  # "Russia and North Korea" is not a treaty, however near by meaning
    return meaning_fit(similarity, w.min_similarity if c.kind == "noun" else w.min_name_similarity)


def _countries(c: Candidate) -> bool:
    """``c`` names a country or countries ("Russia", "Russia, China, and Iran"); not a
    person the tagger knows ("Chad")."""
    parts = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", c.text.lower().strip()) if p]
    return c.entity != "person" and bool(parts) and all(is_country(p) for p in parts)


def closeness(terms: Sequence[str], sentence: str, c: Candidate) -> float:
    """1 when a question term is next to the candidate, falling with the word distance."""
    best = None
    for m in re.finditer(r"\w+", sentence):
        if m.start() >= c.start and m.end() <= c.end:
            continue
        if not set(tokenize(m.group(0))) & set(terms):
            continue
        before = sentence[min(m.end(), c.start) : max(m.end(), c.start)]
        after = sentence[min(c.end, m.start()) : max(c.end, m.start())]
        gap = len((before if m.end() <= c.start else after).split())
        best = gap if best is None else min(best, gap)
    return 0.0 if best is None else 1.0 / (1.0 + best / 3.0)


def trim_unit(c: Candidate, question_tokens: set[str]) -> Candidate:
    """ "22 individuals" -> "22" when the question names the unit ("How many individuals")."""
    if c.kind != "number" or " " not in c.text:
        return c
    head, unit = c.text.rsplit(" ", 1)
    if set(tokenize(unit)) <= question_tokens and not _SCALED.search(unit):
        return Candidate(head, c.kind, c.start, c.start + len(head), c.value)
    return c


def pick_shorts(
    question: str,
    terms: Sequence[str],
    atype: AnswerType,
    ranked: Sequence[Any],
    embedder: Embeds | None = None,
    weights: Weights | None = None,
    n: int = 1,
    entities: EntityTagger | None = None,
) -> list[Short]:
    """Up to ``n`` short answers (different phrases), best first, each with its sentence
    ("Which two cities ...?" asks for two: ``wanted_count``).

    Args:
        question: the (standalone) question.
        terms: its key terms (stemmed, question words removed).
        atype: the expected answer type.
        ranked: the answerer's scored sentences, best first (``ScoredSentence``).
        embedder: compares an unknown head noun with candidates; None skips those types.
        entities: labels names as person/org/place (``rag.answer.entities``); None keeps
            the rules alone.
    """
    w = weights or Weights()
    if atype.kind == "none" or not ranked:
        return []
    thing = atype.kind == "thing"
    if thing and (embedder is None or not atype.head):
        return []
    top = [
        s
        for s in ranked[: w.top_sentences * n]
        if at_least(s.score, w.sentence_ratio * ranked[0].score)
    ]
    q_tokens = set(tokenize(question))
    found: list[tuple[Candidate, Any]] = []
    # Words written with a capital inside some top sentence: a name even when one opens a
    # sentence ("Diwali, also known as ..."), unlike "Construction began ...".
    inner = {m.group(1) for s in top for m in _INNER.finditer(s.text)}
    # For a person asked: what all the retrieved sentences say of the names (a place, a
    # word that only opens sentences, a person of another people; ``rag.answer.names``).
    names = name_context([s.text for s in ranked], question) if atype.kind == "person" else None
    for s in top:
        cands = sentence_candidates(s, atype, entities, q_tokens)
        if thing:
            cands = [c for c in cands if c.kind in ("name", "title", "noun")]
            cands = [
                Candidate(c.text, "noun", c.start, c.end)
                if c.start == 0 and " " not in c.text and c.text not in inner
                else c
                for c in cands
            ]
            cands = [c for c in cands if c.text.lower() not in CALENDAR]
        for c in cands:
            c = trim_unit(c, q_tokens)
            if not in_question(c.text, question, q_tokens):
                found.append((c, s))
    if not found:
        return []
    fits: list[float]
    if thing:
        found = [
            (c, s) for c, s in found if c.kind != "noun" or new_to_question(c, q_tokens, atype)
        ]
    sims: dict[str, float] = {}
    if embedder is not None and atype.head and atype.kind in _NAMED:
        texts = list(dict.fromkeys(c.text for c, _ in found))
        matrix = embedder.encode_cached([atype.head] + texts)
        sims = dict(zip(texts, np.asarray(matrix[1:] @ matrix[0], dtype=float)))
    if thing:
        fits = [thing_fit(atype, c, sims[c.text], w) for c, _ in found]
    else:
        fits = [fit(atype, c, s.text, names) for c, s in found]
    scored = [
        Scored(
            c,
            s,
            f,
            s.score
            + w.fit * f
            + w.closeness * closeness(terms, s.text, c)
            + w.meaning * sims.get(c.text, 0.0),
        )
        for (c, s), f in zip(found, fits, strict=True)
        if at_least(f, w.min_fit)
    ]
    if not scored:
        return []
    groups: dict[str, list[Scored]] = {}
    for sc in scored:
        groups.setdefault(normalise(sc.candidate.text), []).append(sc)

    def stories(group: list[Scored]) -> int:
        return len({story(sc.sentence.passage) for sc in group})

    def total(group: list[Scored]) -> float:
        return max(sc.score for sc in group) + w.votes * (min(stories(group), w.max_votes) - 1)

    ordered = best_first(groups.values(), total)
    totals = [total(g) for g in ordered]
    if n > 1:
        # "Which two cities ...?": every answer clearly of the asked kind (two cities, not
        # a city and a meeting), each from its own passage; else the single best phrase.
        several = _choose(ordered, totals, n, w.more_fit, stories)
        if len(several) == n:
            return several
    return _choose(ordered, totals, 1, None, stories)


def _choose(
    ordered: list[list[Scored]],
    totals: list[float],
    n: int,
    min_fit: float | None,
    stories: Callable[[list[Scored]], int],
) -> list[Short]:
    """Up to ``n`` phrases from the groups (best first), none overlapping another, each
    from a passage no earlier pick used, each fitting at least ``min_fit`` when set."""
    picked: list[Short] = []
    for i, group in enumerate(ordered):
        # "Which two ...?": each answer from a passage of its own, so each has its source.
        used = {p.sentence.passage.chunk_id for p in picked}
        own = [sc for sc in group if sc.sentence.passage.chunk_id not in used]
        if not own:
            continue
        best = best_of(own, lambda sc: sc.score)
        text = best.candidate.text
        if any(_overlaps(text, other.text) for other in picked):
            continue  # "Beijing" after "Beijing Capital": the same answer twice
        if min_fit is not None and not at_least(best.fit, min_fit):
            continue
        mine = totals[i]
        rival = next(
            (
                t
                for g, t in zip(ordered, totals, strict=True)
                if not any(_overlaps(text, sc.candidate.text) for sc in g)
            ),
            0.0,
        )
        picked.append(Short(text, best.sentence, best.fit, mine, stories(group), mine - rival))
        if len(picked) == n:
            break
    return picked


def _overlaps(a: str, b: str) -> bool:
    x, y = f" {normalise(a)} ", f" {normalise(b)} "
    return x in y or y in x


def wanted_count(question: str) -> int:
    """How many answers the question asks for: 2 for "Which two cities ...", "both"."""
    m = re.search(r"^\W*(?:which|what|name|list)\s+(?:the\s+)?(two|both|three)\b", question, re.I)
    return {"two": 2, "both": 2, "three": 3}.get(m.group(1).lower(), 1) if m else 1
