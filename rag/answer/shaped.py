"""Answers of a fixed shape: how someone travelled ("How did Putin get from Tianjin to
Beijing?" -> "by car"), the words someone used ("How did Kim describe the relations?" ->
"No. 1 priority", quoted in the sentence), and who a named person is ("Who is Mao Ning?" ->
"the spokesperson of China's Ministry of Foreign Affairs"), and the previous occasion of an
event ("At what event had Xi and Putin met before the Samarkand meeting?" -> "the opening
ceremony of the Beijing Winter Olympics", from "the first face-to-face meeting ... since
the opening ceremony of the Beijing Winter Olympics in early February").

Why rules: the learned ranker picks names, numbers and noun phrases by their kind, and no
kind of its features is a means of transport, a quoted word or a description, so it
answered such questions with a name of the sentence ("SCO", "China", "Russia-North Korea"
for "Who is Mao Ning?"). The sentence that answers says it in
a few fixed ways ("by car", "used a high-speed train", "described ... as a “provocation”");
the phrase is read from there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.answer.candidates import full_span
from rag.answer.question import with_base_forms
from rag.temporal import find_dates
from rag.temporal.intent import dates_an_event
from vectorstore.bm25_index import tokenize

_AUX = r"(?:did|does|do|will|would|was|is|were|are|has|have|had|can|could)"
# The subject of the question's own clause: no clause of its own in between ("How did voters
# react when Trump returned to office?" asks no travel).
_SUBJECT = r"(?:(?!\b(?:when|after|before|as|while|if|because|that|since|until)\b)[^?,])*?"
_ASKS = re.compile(
    rf"^\W*how\s+{_AUX}\s+{_SUBJECT}\b(?:"
    # verbs of travel alone ("How did Kim travel?")
    r"(?:travel(?:l?ed|l?ing|s)?|journey(?:ed)?|fl(?:y|ew)|commute[ds]?)\b|"
    # verbs that travel only from somewhere, or to a named place or home ("get from A to B",
    # "go to Beijing", not "come to power", "return to profit", "get to 5%")
    r"(?:get|got|getting|go|went|going|come|came|head(?:ed)?|reach(?:ed)?|cross(?:ed)?|"
    r"arrive[ds]?|return(?:ed|s)?|make|made)\s+(?:it\s+)?(?:from\b|(?:back\s+)?home\b|"
    r"there\b|(?:back\s+)?(?:to|into|in|at)\s+(?:the\s+)?(?-i:[A-Z])))|"
    r"\b(?:what|which)\s+(?:means|mode|form|kind)\s+of\s+(?:transport(?:ation)?|travel)\b",
    re.IGNORECASE,
)
# Vehicles, and the routes and ways that only "by" (or "on foot") gives: "by road", "by air";
# "on the road to recovery", "used air strikes" are none.
_VEHICLE = (
    r"(?:car|cars|motorcade|convoy|train|trains|plane|planes|flight|jet|aircraft|airplane|"
    r"airliner|helicopter|ship|boat|ferry|yacht|bus|coach|bicycle|bike|taxi|limousine|"
    r"motorcycle|submarine|subway|metro|tram)"
)
_WAY = r"(?:road|land|sea|air|rail|foot)"
_OWNER = r"(?:a|an|the|his|her|their|its)"
# Up to two describing words, none a function word ("took control of land" is no way).
_ADJECTIVES = (
    r"(?:(?!(?:of|to|and|or|in|on|for|with|from|by|at|as|the|a|an)\b)[a-z][a-z-]*\s+){0,2}"
)
_MEANS = re.compile(
    rf"\b[Bb]y\s+(?P<by>(?:{_OWNER}\s+)?{_ADJECTIVES}(?:{_VEHICLE}|{_WAY}))\b|"
    rf"\bon\s+(?P<foot>foot)\b|"
    rf"\b(?:aboard|on\s+board|on|used|using|took|taking|rode|riding|boarded|boarding)\s+"
    rf"(?P<object>{_OWNER}\s+{_ADJECTIVES}{_VEHICLE})\b"
)
_ARTICLE = re.compile(rf"^{_OWNER}\s+", re.IGNORECASE)


def asks_means(question: str) -> bool:
    """True for "How did X get / travel / go ...?", "What means of transport ...?": the
    answer is a means of transport."""
    return bool(_ASKS.search(question))


def means_phrase(sentence: str, question: str) -> str | None:
    """The first means of transport ``sentence`` names that the question does not ("by
    car"; "high-speed train" from "used a high-speed train"), or None."""
    asked = set(tokenize(question))
    for m in _MEANS.finditer(sentence):
        if m.group("by"):
            phrase = "by " + _ARTICLE.sub("", m.group("by"))  # "by car", "by special train"
        elif m.group("foot"):
            phrase = "on foot"
        else:
            phrase = _ARTICLE.sub("", m.group("object"))  # "used a high-speed train"
        vehicle = tokenize(phrase)[-1:]
        if vehicle and vehicle[0] not in asked:
            return phrase
    return None


_ASKS_WORDING = re.compile(
    # "How did Kim describe ...?", "How was the summit characterised?" (not "call for")
    rf"^\W*how\s+{_AUX}\s+(?P<who>{_SUBJECT})\s+(?:describ|characteri[sz]|portray|depict|"
    r"dub|brand|label|call(?!\s+(?:for|on|off|upon|in|out)\b))\w*\b|"
    # "What word did Putin use ...?", "Reeves used what term ...?"
    rf"^\W*(?:what|which)\s+(?:word|words|term|phrase|label|expression|nickname)\s+{_AUX}\s+"
    r"(?P<user>[^?]*?)\s+use\b|"
    r"^\W*(?P<speaker>[^?]*?)\s+used\s+what\s+(?:word|words|term|phrase|label|expression)\b|"
    # "What did Trump call his tariffs?" (not "What are the terms of ...?")
    r"^\W*what\s+(?:did|does|do|has|have|had|would|will)\s+(?P<caller>[^?]*?)\s+"
    r"(?:call|dub|label)(?:s|ed)?\b(?!\s+(?:for|on|off|upon|in|out)\b)",
    re.IGNORECASE,
)
# A short quotation in curly or straight double quotes, or in single curly ones: one to five
# words, the words someone used, not a quoted sentence.
_QUOTED = re.compile(r"[“\"‘](?P<words>[^“”\"‘’\s][^“”\"‘’]{0,60}?)[”\"’](?!\w)")


def asks_wording(question: str) -> bool:
    """True for "How did X describe Y?", "What word did X use for Y?": the answer is the
    words X used."""
    return bool(_ASKS_WORDING.search(question))


def quoted_words(sentence: str, question: str) -> str | None:
    """The first short quotation of ``sentence`` (one to five words, not all in the
    question): "No. 1 priority" from "... a “No. 1 priority” in foreign policy"; None, also
    when the sentence does not name whoever the question says used the words ("How did
    Reuters describe ...?" is not answered by a professor's words)."""
    asked = set(tokenize(question))
    wording = _ASKS_WORDING.search(question)
    who = next((g for g in wording.groups() if g), "") if wording is not None else ""
    speaker = set(tokenize(who))
    if not speaker & set(tokenize(sentence)):
        return None  # also when the question names nobody ("How did he describe it?")
    for m in _QUOTED.finditer(sentence):
        words = m.group("words").strip(" ,.")
        tokens = tokenize(words)
        if 1 <= len(words.split()) <= 5 and tokens and not set(tokens) <= asked:
            return words
    return None


def first_found(
    sentences: Sequence[str], question: str, find: Callable[[str, str], str | None]
) -> tuple[int, str] | None:
    """The index of the first of ``sentences`` in which ``find`` finds the phrase, and the
    phrase; None when it is in none of them."""
    for i, text in enumerate(sentences):
        phrase = find(text, question)
        if phrase is not None:
            return i, phrase
    return None


# "Who is Mao Ning?", "who is choe son-hui", "What is Yuri Ushakov's role?" (", as described
# in ..." may follow), "What does Park Won-gon do?": the question is about a named person.
_ABOUT_NAME = re.compile(
    r"^\W*(?:who\s+(?:is|was)\s+(?P<who>[^?,]+?)|"
    r"what\s+(?:is|was)\s+(?P<whose>[^?,]+?)['’]s?\s+(?:role|position|job|title|post|office)|"
    r"what\s+does\s+(?P<does>[^?,]+?)\s+do)\s*(?:,[^?]*)?\??\s*$",
    re.IGNORECASE,
)
_NAME_PARTICLES = frozenset("de van von der bin al la le da di du".split())
_FUNCTION = frozenset("the a an of in on at to for with from by and or not".split())
_NOT_A_NAME = frozenset("the a an this that these those his her their its our my your".split())
# Where a description after "NAME, " ends: punctuation, or the verb of the sentence.
_DESCRIPTION_END = re.compile(
    r"[,;:()“”\"]|\s(?:has|have|had|is|are|was|were|said|says|told|tells|will|would|who|"
    r"which|that|added|noted|warned|stated)\s",
)
_DESCRIPTION_MAX = 12  # words
_NOT_DESCRIBING = frozenset(
    """through which who whom whose where when while and but or nor as in on at to for from
    with by said says told according after before since if because then also however
    meanwhile who's whereas although though despite including""".split()
)


# "What is the Diaoyutai State Guesthouse?", "What is One Belt, One Road?" (", according to
# the article" may follow): the question is about a named thing.
_WHAT_IS = re.compile(
    r"^\W*what\s+(?:is|was|are|were)\s+(?P<thing>[^?]+?)"
    r"(?:\s*,\s*(?:according\s+to|as\s+\w+\s+(?:in|by)|per|in)\b[^?]*)?\s*\??\s*$",
    re.IGNORECASE,
)
_QUOTES = "‘’“”\"'"


def asked_name(question: str) -> str | None:
    """The person "Who is X?" / "What is X's role?" asks about, or the named thing "What is
    X?" asks about; None (also for "Who is the spokesperson ...?", which asks for a name:
    ``rag.answer.apposition``, and for "What is the capital of France?")."""
    found = _asked(question)
    return found[0] if found else None


def _asked(question: str) -> tuple[str, bool] | None:
    """(the name, whether it is a person's)."""
    m = _ABOUT_NAME.match(question.strip())
    if m is not None:
        name = next(g for g in m.groups() if g).strip()
        return (name, True) if _person_name(name) else None
    thing = _WHAT_IS.match(question.strip())
    if thing is None:
        return None
    name = re.sub(r"^the\s+", "", thing.group("thing").strip(), flags=re.I).strip(_QUOTES)
    words = [w.strip(_QUOTES + ",") for w in name.split()]
    if not 1 <= len(words) <= 6 or not all(words):
        return None
    capital = [w[:1].isupper() or w[:1].isdigit() for w in words]
    if not (capital[0] and capital[-1]) or sum(capital) * 2 < len(words):
        return None  # "the capital of France", "Putin's plan": no name
    if any(not c and w.lower() not in _FUNCTION for w, c in zip(words, capital, strict=True)):
        return None
    if any(re.search(r"['’]s$", w) for w in words):
        return None  # "the Oxford Dictionary's Word of the Year" asks for its value
    return name, False


def _person_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 4 or words[0].lower() in _NOT_A_NAME:
        return False
    written = any(w[:1].isupper() for w in words)
    if written and not all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words):
        return False  # "Who is Senator Bob Menendez accused of ...": not a name alone
    # "Who is leading the polls?" asks who, not about a name
    return written or not any(w in _FUNCTION or w.endswith(("ing", "ed")) for w in words)


def _find_name(name: str, sentence: str) -> re.Match[str] | None:
    """``name`` in ``sentence``, in any case, a hyphen and a space alike ("Choe Son Hui")."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", name) if p]
    return re.search(r"(?<![\w-])" + r"[\s-]+".join(parts) + r"(?![\w-])", sentence, re.I)


def description(sentence: str, question: str) -> str | None:
    """What ``sentence`` says the asked person or thing is: the words set off after the
    name ("Mao Ning, the spokesperson of China's Ministry of Foreign Affairs, ..."), "X is
    the ...", or, for a person, the title written before it ("North Korean Foreign Minister
    Choe Son-hui"); None."""
    asked = _asked(question)
    found = _find_name(asked[0], sentence) if asked else None
    if asked is None or found is None:
        return None
    after = sentence[found.end() :].lstrip(_QUOTES)
    set_off = re.match(r"\s*,\s*((?:(?:the|a|an)\s+)?[a-z][\w-]*)", after)
    if set_off is not None and set_off.group(1).lower() in _NOT_DESCRIBING:
        set_off = None  # "Choe Son-hui, through which they will ...": a clause, no description
    copula = re.match(r"\s+(?:is|was)\s+((?:the|a|an)\s+)", after)
    for opened in (set_off, copula):
        if opened is None:
            continue
        rest = after[opened.start(1) :]
        end = _DESCRIPTION_END.search(rest)
        words = (rest[: end.start()] if end else rest).strip(" .").split()
        while words and words[-1].lower() in _FUNCTION:
            words.pop()  # "... in 2013 and is considered ...": not the "and"
        if 1 <= len(words) <= _DESCRIPTION_MAX:
            return " ".join(words)
    if not asked[1]:
        return None  # a title before a name says who someone is, not what a thing is
    whole = full_span(found.group(0), sentence)
    if whole.endswith(found.group(0)) and len(whole) > len(found.group(0)):
        return whole[: -len(found.group(0))].strip()  # "North Korean Foreign Minister"
    return None


# "At what event had they met before ...?", "On what occasion had they last met before ...?"
_ASKS_OCCASION = re.compile(r"\b(?:what|which)\s+(?:event|occasion)\b", re.IGNORECASE)
# "the first <event> ... since <the previous occasion>" within one clause (no comma between
# "first" and "since"). The occasion opens with a determiner, so "since March 2021" and
# "since then" are left to the date paths; "St." and "U.S." do not end it.
_FIRST_SINCE_EVENT = re.compile(
    r"\bfirst\b[^.;,]*?\bsince\s+"
    r"(?P<event>(?:the|a|an|his|her|their|its)\s+(?:\b[A-Z][a-z]?\.|[^,;.])+)",
    re.IGNORECASE,
)
_SEASONS = frozenset("spring summer autumn fall winter".split())
_TRAILING_WORDS = re.compile(r"(?:\s+(?:in|on|at|during|of|the|a|an))+$", re.IGNORECASE)


def asks_previous_occasion(question: str, relation: str | None) -> bool:
    """ "At what event had Xi and Putin met before the Samarkand meeting?": an occasion
    asked for, before another event."""
    return relation == "before" and bool(_ASKS_OCCASION.search(question))


def previous_occasion(sentence: str, asked: set[str]) -> str | None:
    """The occasion in "the first ... since <occasion>" without its date ("the opening
    ceremony of the Beijing Winter Olympics" from "... since the opening ceremony of the
    Beijing Winter Olympics in early February"), when the words before it say what was
    asked (``asked``: the question's key terms besides its anchor's: "met" and "the first
    meeting"); None otherwise, and for a date ("since the 17th of March", "since the end of
    2021")."""
    found = _FIRST_SINCE_EVENT.search(sentence)
    if found is None:
        return None
    if not with_base_forms(asked) & set(tokenize(sentence[: found.start("event")])):
        return None
    event = found["event"]
    # The occasion ends where its own date begins ("... Olympics in early February"); a
    # date that names it ("the 2019 harbour summit") is part of it.
    cut = next(
        (m.start for m in find_dates(event, None) if not dates_an_event(event, m.start, m.end)),
        None,
    )
    if cut is not None:
        event = event[:cut].rstrip()
        if re.search(r"\bof$", event, re.IGNORECASE):
            return None  # "the end of 2021": a date
    event = _TRAILING_WORDS.sub("", event).strip()
    words = event.split()
    if len(words) < 2 or words[-1].lower() in _SEASONS:
        return None  # "the summer": a date
    return event
