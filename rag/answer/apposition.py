"""Whether a candidate is described by the question's head noun where it is named.

"Who is the spokeswoman for Russia's foreign ministry?" is answered by the name that a
sentence calls a spokesperson ("Maria Zakharova, the spokesperson for ..."), not by the name
the articles mention most ("Putin"). News writes a role beside the name: before it
("Foreign Minister Choe Son-hui", "actor Cillian Murphy"), as an apposition after it
("Park Won-gon, a professor of ...", "(Mao Ning, spokesperson for ...)") or with a copula
("X was the director"). The answer ranker cannot see this relation in its features, and
could not learn it as one: of 85,000 training candidates, 476 are described by the asked
head noun, 37 of them right (``docs/reader.md``, eighteenth session). So it is a rule
over the ranker's choice (``rag.answer.answer_rank``): among the candidates that a
sentence gives the asked role, the one the ranker likes best.
"""

from __future__ import annotations

import re

from rag.answer.candidates import Candidate
from rag.answer.places import is_country
from rag.answer.qtype import PERSON_HEADS, AnswerType, head_noun, question_words, singular

GENERIC_HEADS = frozenset("person people man woman one member figure personality".split())
"""Heads that say only that a person is asked for ("Who is the man who ..."): no role."""

_WORD = re.compile(r"[\w'’.-]+")
# "Who is the ROLE", "Who's North Korea's ROLE", "Who became the ROLE": the role after a
# determiner or an owner ("Who was named best new artist" uses "artist" as a category).
_COPULA_WHO = re.compile(
    r"^\s*who(?:['’]s|\s+(?:is|was|are|were|will be|has been|had been|became|is now))\s+"
    r"(?:the|a|an|(?:[A-Z][\w.-]*\s+){0,2}[\w.-]+['’]s)\s+(?P<rest>.*)",
    re.I,
)
# The word right before the candidate ("Foreign Minister Choe Son-hui"); no comma between:
# "According to the spokesperson, Putin will ..." gives the role to no one.
_BEFORE = re.compile(r"([A-Za-z][\w'’-]*)\s+$")
# An apposition after the candidate up to a clause break, and the break itself; or a copula.
_AFTER = re.compile(r"^\s*[,(]\s*(?P<phrase>[^,;:()\"“”!?]*)(?P<end>[,;:)]|[.!?]?\s*$)?")
_COPULA = re.compile(r"^\s+(?:is|was|became|has been|had been)\s+(?P<phrase>[^,;:()\"“”!?]*)")
_OPENS_CLAUSE = frozenset(
    """said says told who which whose whom that and but or while according adding saying
    added noted when where if as""".split()
)
_ENDS_PHRASE = frozenset(
    """of for at in on to from with by about who which that whose and or but since after
    before during under over than has had is was will would""".split()
)
# A verb of saying in the words after the name makes them a clause, not an apposition
# ("Putin met Xi, a spokesman for the Kremlin said").
_SAYS = frozenset(
    """said says told tells added adds noted notes stated announced confirmed declined
    denied wrote explained warned argued insisted claimed reported responded replied
    refused""".split()
)
_ING_PREPOSITIONS = frozenset("following including during according regarding concerning".split())
_KINDS = (
    (re.compile(r"^spokes(?:wo)?(?:man|men|person|people)$"), "spokesperson"),
    (re.compile(r"^chair(?:wo)?(?:man|men|person|people)?$"), "chair"),
    (re.compile(r"^congress(?:wo)?(?:man|men|person|people)$"), "congressperson"),
    (re.compile(r"^advis[oe]rs?$"), "adviser"),
)


def role_key(word: str) -> str:
    """One spelling for the forms of a role word: "Spokeswoman", "spokesmen" and
    "spokesperson" are all "spokesperson"; plurals are singular."""
    low = word.lower().strip("'’.-")
    low = re.sub(r"['’]s$", "", low)
    for pattern, key in _KINDS:
        if pattern.match(low):
            return key
    return singular(low)


def asked_role(question: str, atype: AnswerType) -> str | None:
    """The role a "Who is the ROLE ...?" question asks for, as a ``role_key`` ("Who's the
    spokeswoman for ...?" -> spokesperson, "Who is the new CEO of ...?" -> ceo); None for
    "Who won ...?" and for every other form.

    Only this form asks for whoever holds the role. "Which actor broke the record ...?"
    uses its head as a category that many names of a week's news are given ("the Oscar
    for best actor", "NBA superstar Kevin Durant"): preferring them lost two validate
    questions and won none (``docs/reader.md``, eighteenth session). The question's type
    keeps "person" as the head (the answer ranker was fitted on that)."""
    if atype.kind != "person":
        return None
    m = _COPULA_WHO.match(question)
    if not m:
        return None
    words = question_words(m.group("rest"))
    head = head_noun(words)
    if not head or singular(head.lower()) not in PERSON_HEADS:
        return None
    at = next((i for i, w in enumerate(words) if singular(w.lower().strip("'’")) == head), None)
    if at is None or re.search(r"['’]s$", words[at]):
        return None  # "Who is the minister's spokesperson?" asks for no minister
    following = words[at + 1] if at + 1 < len(words) else ""
    if following.lower().endswith("ing") and following.lower() not in _ING_PREPOSITIONS:
        return None  # "Who is the pope meeting ...?" asks whom the pope meets
    key = role_key(head)
    return None if key in GENERIC_HEADS else key


def apposed(role: str, sentence: str, c: Candidate) -> bool:
    """True when ``sentence`` describes candidate ``c`` with the role word ``role`` (a
    ``role_key``): right before it, or in the apposition or copula right after it.

    Args:
        role: the asked role, as ``asked_role`` gives it.
        sentence: the sentence that names the candidate.
        c: the candidate, its offsets into ``sentence``; only a name not known as an
            organisation or a place can hold a role.
    """
    if c.kind != "name" or c.entity in ("org", "place") or is_country(c.text.lower()):
        return False  # a role describes a person: "the Oscar", "Thursday", "China" hold none
    before = _BEFORE.search(sentence[: c.start])
    if before and role_key(before.group(1)) == role:
        return True
    rest = sentence[c.end :]
    copula = _COPULA.match(rest)
    if copula:
        return _holds(role, _WORD.findall(copula.group("phrase")))
    after = _AFTER.match(rest)
    if not after or after.group("end") is None:
        return False  # "Xi, the spokesman Peskov" runs on: not enclosed, not this name's
    words = _WORD.findall(after.group("phrase"))
    if any(w.lower().rstrip(".") in _SAYS for w in words):
        return False
    return _holds(role, words)


def _holds(role: str, words: list[str]) -> bool:
    """The noun phrase that opens ``words`` has the role as a word, and no name follows the
    role word ("spokesman Dmitry Peskov" gives it to Peskov)."""
    if not words or words[0].lower() in _OPENS_CLAUSE:
        return False
    for i, w in enumerate(words[:7]):
        if w.lower() in _ENDS_PHRASE:
            return False
        if role_key(w) == role and not re.search(r"['’]s$", w):  # not "the CEO's boss"
            after = words[i + 1 : i + 2]
            return not (after and after[0][:1].isupper())
    return False
