"""The kind of phrase a question expects as its short answer.

"Which city ...?" wants a city, "How many ...?" a number, "What percentage ...?" a
percentage, "Who ...?" a person, "What is the name of the film ...?" a title. The kind
comes from the wh-word and the head noun after it; a head noun this module does not know
("Which animal ...?") is kept, so that candidates can be compared with it by meaning
(``rag.answer.shortform``). "How often ...?" wants a frequency ("twice a year").
"Why"/"how did" questions, and "what" questions without a
head noun, expect no short form ("none").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

PERSON_HEADS = frozenset(
    """person man woman boy girl people player athlete actor actress singer musician rapper
    artist politician president candidate leader minister senator congressperson congressman
    congresswoman lawmaker representative official ceo founder author writer director star
    celebrity coach quarterback judge governor mayor billionaire journalist scientist
    astronaut revolutionary king queen pope prince princess footballer golfer driver skier
    swimmer boxer chef comedian host presenter suspect executive entrepreneur economist
    activist parliamentarian chancellor spokesperson spokesman spokeswoman general commander
    rabbi bishop cardinal pitcher striker goalkeeper captain winner runner-up champion
    member members chairman chair secretary ambassador envoy monarch heir son daughter
    wife husband mother father brother sister owner royal legend figure democrat republican
    duo contender nominee superstar model mp pm professor teacher doctor researcher analyst
    expert lawyer attorney prosecutor officer soldier student reporter editor inventor
    diplomat detective nurse physician surgeon priest imam poet novelist playwright composer
    dancer painter photographer filmmaker anchor correspondent columnist commentator critic
    influencer youtuber personality heavyweight gymnast cyclist sprinter skater wrestler
    referee umpire manager linebacker midfielder shortstop tycoon magnate investor banker
    whistleblower gunman victim survivor hostage prisoner inmate defendant witness successor
    predecessor challenger opponent justice aide adviser advisor negotiator
    spokespeople""".split()
)
ORG_HEADS = frozenset(
    """company firm giant chain retailer brand organization organisation group agency bank
    party team club network broadcaster airline automaker carmaker manufacturer startup
    university college school store restaurant newspaper publication magazine league union
    charity app platform website outlet studio label corporation business hospital museum
    court committee council ministry department institution foundation maker producer
    company's insurer lender supermarket tabloid""".split()
)
# Weekdays and months, with their abbreviations: no name that answers, no place ("in Jan.
# 2024"), no word that says which kind (``rag.answer.shortform``, ``rag.answer.places``).
CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec""".split()
)
US_STATES = frozenset(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington
    wisconsin wyoming""".split()
) | {"new hampshire", "new jersey", "new mexico", "new york", "north carolina",
     "north dakota", "rhode island", "south carolina", "south dakota", "west virginia"}  # fmt: skip
PLACE_HEADS = frozenset(
    """place location venue region province county island area territory park
    continent sea ocean river mountain airport stadium neighbourhood neighborhood district
    street site""".split()
)
# Places no country or US state can be ("Which sea ...?"; not "island" or "region", nor
# "river": the Mississippi, the Jordan, the Congo).
SPECIFIC_PLACE_HEADS = frozenset(
    """sea ocean mountain airport stadium park street venue neighbourhood neighborhood
    district site facility building cosmodrome spaceport base""".split()
)
CITY_HEADS = frozenset("city town village capital".split())
COUNTRY_HEADS = frozenset("country nation".split())
TITLE_HEADS = frozenset(
    """film movie book novel song album show series sitcom game play musical documentary
    podcast title opera painting""".split()
)
DATE_HEADS = frozenset("year month day date decade century".split())
KNOWN_HEADS = PERSON_HEADS | ORG_HEADS | PLACE_HEADS | CITY_HEADS | COUNTRY_HEADS | TITLE_HEADS
"""Head nouns whose kind of answer is known (dates apart)."""
# Heads that ask for an event, and the last words that make a name one ("the Asian
# Games", "the Laver Cup", "Labor Day"): the embedding puts such names far from "event"
# (0.25 for "Hangzhou Asian Games"), so their likeness alone called them no fit.
EVENT_HEADS = frozenset(
    """event tournament competition championship contest race match festival celebration
    holiday ceremony gala occasion summit conference fair parade""".split()
)
EVENT_WORDS = frozenset(
    """games olympics olympiad paralympics cup championship championships open masters prix
    marathon derby bowl classic festival fest gala awards expo exhibition fair conference
    congress summit forum convention ceremony parade carnival day eve week contest race
    finals tournament series""".split()
)
# A phrase that ends in a unit of time ("three days", "years"): a stretch of time.
TIME_UNIT = re.compile(r"\b(years?|months?|weeks?|days?|hours?|minutes?|decades?)$", re.I)

_STOP = frozenset(
    """is was are were be been being has have had did does do will would could can should
    may might must in on at of for to from by with about after before during into over
    under than as that who which whom whose where when why how this these those the a an
    its their his her it they he she him them and or but not recently currently if whether
    took made won became got saw went came led held set left lost sent said told found
    gave began broke ran paid sold built met brought bought fell grew drew rose chose
    wrote spent kept shot struck stole threw wore happened happens""".split()
)
_MEASURE = {
    "budget": "money", "salary": "money", "amount": "money", "sum": "money", "price": "money",
    "cost": "money", "fine": "money", "value": "money", "tax": "percent", "rate": "percent",
    "percentage": "percent", "percent": "percent", "share": "percent", "proportion": "percent",
    "distance": "number", "height": "number", "length": "number", "weight": "number",
    "population": "number", "age": "number", "number": "number", "total": "number",
    "score": "score", "margin": "score", "scoreline": "score",
}  # fmt: skip
# "When" asks for a date at the start or before an auxiliary ("When did ...", "... and when
# was ..."), not as a conjunction ("Which country was hit hardest when the storm ...?").
_WHEN = re.compile(
    r"^\W*(and |so |but )?when\b|\bwhen (did|was|were|is|are|will|does|do|has|have|had|would)\b|"
    r"\b(what|which) (year|month|day|date|decade)\b"
)
# A question that opens with its wh-word or an auxiliary is that kind of question, whatever
# relative "who"/"which" follows ("Where did the rapper who ... perform?", "Is the company
# which Musk bought profitable?").
_OPENS_WHERE = re.compile(r"^\W*(and |so |but )?where\b", re.I)
# The auxiliaries a yes/no question opens with (``rag.answer.question`` reads them too).
AUXILIARIES = r"(is|are|was|were|has|have|had|did|do|does|can|could|will|would|should)"
_OPENS_AUX = re.compile(rf"^\W*{AUXILIARIES}\b", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’-]*|[,;:?!.]")
_MONEY_WORDS = re.compile(
    r"\b(cost|costs|pay|paid|worth|price|priced|sell|sold|fetch|fetched|raise|raised|earn|"
    r"earned|fine|fined|spend|spent|budget|dollars?|money|funding|bid|deal|compensation|"
    r"settlement|salary|revenue|profit|loss|damages|award(ed)?)\b",
    re.I,
)


@dataclass(frozen=True)
class AnswerType:
    """What a short answer must be.

    Attributes:
        kind: "person", "org", "place", "city", "country", "title", "date", "number",
            "money", "percent", "score", "duration", "frequency", "thing" (compare with ``head`` by
            meaning) or "none" (no short form).
        head: the head noun after the wh-word ("city", "animal"), when there is one.
        plural: more than one is asked for ("Which two ...", "Who were ...", "carmakers").
        unit: what a count counts ("How many people ...?" -> "people"), so that "two days"
            does not answer it.
        named: the question asks for a name ("What is the name of the treaty ...?"): a
            common phrase ("diplomatic front") does not answer it, however like a treaty.
        sort: the question asks for a kind of its head ("What kind of satellite ...?"): the
            head with the words that say which kind answers it ("spy satellite"); "Which
            Italian volcano ...?" asks for one volcano, by its name.
    """

    kind: str
    head: str | None = None
    plural: bool = False
    unit: str | None = None
    named: bool = False
    sort: bool = False


# "What kind of satellite ...?": the question's own wh-word asks for a kind ("Which company
# said what kind of chips ...?" asks for a company).
_SORT_OF = re.compile(r"\b(what|which)\s+(?:kinds?|types?|sorts?|forms?)\s+of\b", re.I)
_FIRST_WH = re.compile(r"\b(?:what|which|who|whom|whose|where|when|how|why)\b", re.I)
_SORT_WORDS = frozenset("type types kind kinds sort sorts form forms brand brands".split())


def written_as_name(text: str) -> bool:
    """``text`` is written as a name: its first word, after any "the" or quote, holds a
    capital or a digit ("Adelaide Cottage", "2024 PT", "the “Burgercuda”", "iPhone 16").
    All 63 RealTime QA questions that ask for "the name of" something have such an answer."""
    words = text.strip("\"'“”‘’( ").split(maxsplit=1)
    if len(words) == 2 and words[0].lower() == "the":
        words = words[1].strip("\"'“”‘’( ").split(maxsplit=1)
    # any capital in the first word: "iPhone 16", "eBay"; not "the" alone
    first = words[0] if words and words[0].lower() != "the" else ""
    return any(ch.isupper() or ch.isdigit() for ch in first)


# Words that only qualify the noun after them ("famous Brit", "top Tory"): never a head.
_QUALIFIERS = frozenset(
    """top several many few some major senior former late new young old main chief first
    last next other own famous popular prominent leading primary titular""".split()
)
_VERB_LIKE = ("ed", "ly")  # endings of words that end a head phrase ("surpassed", "recently")
# After a noun, a verb ends the phrase before any head after it: "Which typhoon closed
# schools?" asks for a typhoon, not a school. Verbs by ending (not nouns such as "breed",
# "family", "rally"), and past forms with no ending ("Which hurricane hit Florida?"); not
# after an adjective ("newly elected", "raunchy animated show").
_VERB_ENDINGS = ("ed", "tly", "dly", "sly", "ely", "rly")
# Nouns in -ed: no verbs, here and after a name (``rag.answer.candidates.full_span``).
NOT_VERBS = frozenset(
    "bed breed creed deed feed greed need reed seed shed speed steed weed".split()
)
_BARE_PAST = frozenset("hit cut put shut hurt beat spread cost let quit upset".split())
# Prepositions end a head phrase ("the main charge against Hunter Biden").
_PREPOSITIONS = frozenset(
    """against behind between through across among amid without within around toward
    towards despite including via beyond inside outside""".split()
)


def _verb_like(word: str) -> bool:
    return word.endswith(_VERB_LIKE) and word not in NOT_VERBS


def _ends_head_phrase(before: str, word: str, after: list[str]) -> bool:
    """``word`` is the verb of the question, after a common noun ("typhoon closed", "soap
    hit a"): not a word of a name ("Manchester United player"), not after a name or an
    adjective ("Pixar animated film", "newly elected"), not a noun before an auxiliary
    ("Which tax cut did ...")."""
    if not (word.islower() and before.islower()) or before.endswith((*_VERB_LIKE, "y")):
        return False
    if after and re.fullmatch(AUXILIARIES, after[0].lower()):
        return False
    if word in _BARE_PAST:
        return True
    return len(word) > 4 and word.endswith(_VERB_ENDINGS) and word not in NOT_VERBS


def question_words(text: str) -> list[str]:
    """Words and stops of a question as ``head_noun`` reads them (commas end a phrase)."""
    return _WORD.findall(text)


def head_noun(words: list[str]) -> str | None:
    """The head of the noun phrase that starts ``words`` ("tech giant surpassed" -> giant).

    Collects up to five words until a function word, punctuation, a known head written as
    an owner ("which country's court" asks for a country; "Panama's president" for a
    person) or a verb after a common noun ("Which typhoon closed schools?" asks for a
    typhoon: ``_ends_head_phrase``); the first known head wins, or the last of a run of
    them ("party leader" -> leader, "island nation" -> nation, not "charity Prince"), else
    the last word before a verb-like word (-ed, -ly)."""
    known = KNOWN_HEADS

    def is_head(w: str) -> bool:
        return w in known or w in DATE_HEADS or singular(w) in known

    phrase: list[str] = []
    written: list[str] = []  # as written, for the case of a compound's next word
    for i, w in enumerate(words[:6]):
        lw = w.lower().strip("'’")
        if lw in _STOP or lw in _PREPOSITIONS or not lw[:1].isalpha():
            break
        if phrase and _ends_head_phrase(written[-1], w, words[i + 1 : i + 2]):
            break
        owner = re.sub(r"['’]s$", "", lw)
        phrase.append(owner)
        written.append(w)
        if owner != lw and (is_head(owner) or owner == "state"):
            break  # "which country's court": the owner is asked for (not "Panama's")
    if len(phrase) == 1 and phrase[0] in _SORT_WORDS:
        if len(words) > 2 and words[1].lower() == "of":
            return head_noun(words[2:])
    if not phrase:
        return None
    # A known head written with a capital is part of a name when a head in lower case
    # follows ("Which Ewha Womans University professor" asks for a professor).
    # Only a head as written counts here: "plays" in "Which NBA Team plays ..." is a verb.
    exact = [w in known or w in DATE_HEADS for w in phrase]
    lower = next((i for i, w in enumerate(written) if exact[i] and w.islower()), 0)
    for i, w in enumerate(phrase[lower:], start=lower):
        if is_head(w):
            # A compound ends in its head ("party leader", "island nation", "Party MP"),
            # but a title before a name does not extend it ("the charity Prince Harry").
            while (
                i + 1 < len(phrase)
                and (phrase[i + 1] in known or phrase[i + 1] in DATE_HEADS)
                and not written[i + 1].istitle()
            ):
                i += 1
            return phrase[i]
    # An unknown head is the last word before a verb-like one (-ed, -ly); a common noun
    # before names wins over them ("the treaty Putin and Kim signed" asks for a treaty,
    # "the hottest UK temperature" for a temperature).
    verb = (i for i, w in enumerate(phrase[1:]) if _verb_like(w))
    upto = 1 + next(verb, len(phrase) - 1)
    common = [
        w
        for w, wr in zip(phrase[:upto], written[:upto], strict=True)
        if wr.islower() and w not in _QUALIFIERS and not _verb_like(w)
    ]
    return common[-1] if common else phrase[upto - 1]


# Singular nouns that end in -s as plurals do (besides -ss and -sis).
_SINGULAR_IN_S = frozenset(
    """virus census campus bus bonus status consensus genus focus chorus stimulus fungus
    nucleus cactus corpus circus apparatus octopus series species news""".split()
)
# Owners that say what kind of thing follows rather than whose it is ("children's book").
_KIND_OWNERS = frozenset("children women men people kids".split())
# Words before "'s" that own nothing asked for ("what he's planning", "which one's cheaper").
_NOT_OWNERS = frozenset("one today there here what she he it that let".split())
_NOT_ASKED_OWNERS = _KIND_OWNERS | _STOP | _NOT_OWNERS


def singular(word: str) -> str:
    # "class", "crisis", "virus", "series" are singular; "Israelis", "menus" are not
    if word.endswith(("ss", "sis")) or word in _SINGULAR_IN_S:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and len(word) > 3:
        return word[:-1]
    return word


def names_head(head: str | None, phrase: str, entity: str | None = None) -> bool:
    """``phrase``, a name of two words or more, names itself as what the head noun asks for:
    it opens or ends with the head as written ("Hurricane Milton" for "Which hurricane",
    "Glastonbury Festival" for "Which festival"; not the "Carolina Hurricanes"), or, for an
    event head, ends with an event's word ("the Winter Olympics" for "At what event"; not a
    person's name, ``entity`` "person": "Jason Day")."""
    words = re.findall(r"[a-z]+", phrase.lower())
    if words[:1] == ["the"]:
        words = words[1:]
    if not head or len(words) < 2:
        return False
    if head in (words[0], words[-1]):
        return True
    return singular(head) in EVENT_HEADS and words[-1] in EVENT_WORDS and entity != "person"


def kind_of_head(head: str) -> str:
    """The answer kind a head noun asks for ("city" -> "city", "animal" -> "thing")."""
    if head == "state":
        return "state"
    for word in (head, singular(head)):
        if word in CITY_HEADS:
            return "city"
        if word in COUNTRY_HEADS:
            return "country"
        if word in PERSON_HEADS:
            return "person"
        if word in ORG_HEADS:
            return "org"
        if word in PLACE_HEADS:
            return "place"
        if word in TITLE_HEADS:
            return "title"
        if word in DATE_HEADS:
            return "date"
    return _MEASURE.get(head, "thing")


def expected_type(question: str) -> AnswerType:
    """The kind of short answer ``question`` expects (see ``AnswerType``)."""
    atype = _expected_type(question)
    plural = bool(
        # "Which two cities ...", not "... quoted in both articles"
        re.search(
            r"^\W*(?:which|what|name|list)\s+(?:the\s+)?(?:two|three|four|both|pair|couple)\b"
            r"|\bwho\s+(?:were|are)\b|\b(?:two|three|four)\s+\w+\s+(?:that|which|who)\b",
            question,
            re.I,
        )
        or (atype.head and atype.head.endswith("s") and atype.head != singular(atype.head))
    )
    if plural:
        atype = replace(atype, plural=True)
    sort = _SORT_OF.search(question)
    first = _FIRST_WH.search(question)
    if atype.head and sort and first and first.start() == sort.start(1):
        atype = replace(atype, sort=True)
    return atype


def _expected_type(question: str) -> AnswerType:
    q = " ".join(question.split())
    low = q.lower()
    if re.search(r"\bhow (often|frequently)\b", low):
        return AnswerType("frequency", "frequency")
    if re.search(r"\bwhy\b", low) or re.search(
        r"\bhow (did|does|do|is|was|are|were|can|could|will|would)\b", low
    ):
        return AnswerType("none")
    if re.search(
        r"\bwhat (was |is )?(the )?(final )?score\b|\bby how (much|many)\b.*\bvotes?\b", low
    ):
        return AnswerType("score", "score")
    if re.search(r"\bwhat (percentage|percent|share|proportion)\b|\bhow much of\b", low):
        return AnswerType("percent", "percentage")
    if re.search(r"\bhow much\b", low):
        return AnswerType("money" if _MONEY_WORDS.search(low) else "number", "amount")
    many = re.search(r"\bhow many\b(?P<rest>.*)", q, re.I)
    if many:
        words = _WORD.findall(many.group("rest"))
        time = next((w for w in words[:3] if TIME_UNIT.search(w)), None)
        return AnswerType("number", "number", unit=time or head_noun(words))
    if re.search(r"\bhow (old|far|tall|high|fast|deep)\b", low):
        return AnswerType("number", "number")
    if re.search(r"\bhow long\b", low):
        return AnswerType("duration", "duration")
    if _WHEN.search(low):
        return AnswerType("date", "date")
    if _OPENS_WHERE.match(low):
        return AnswerType("place", "place")
    if _OPENS_AUX.match(low):
        return AnswerType("none")
    name = re.search(r"\bname of (the |a |an |this |that )?(?P<rest>.*)", q, re.I)
    if name and re.search(r"\bwhat('s| is| was| are| were)?\b", low):
        head = head_noun(_WORD.findall(name.group("rest")))
        kind = kind_of_head(head) if head else "thing"
        kind = "person" if kind == "thing" and head is None else kind
        return AnswerType(kind, head, named=True)
    if re.search(r"\b(who|whom|whose)\b", low) and not re.search(r"\b(which|what) \w", low):
        return AnswerType("person", "person")
    the = re.search(r"\bwhat (is|was|are|were) the (?P<rest>.*)", q, re.I)
    if the:
        head = head_noun(_WORD.findall(the.group("rest")))
        kind = kind_of_head(head) if head else "thing"
        return AnswerType(kind, head) if kind != "thing" else AnswerType("none", head)
    wh = re.search(r"\b(which|what) (?P<rest>.*)", q, re.I)
    if wh:
        words = _WORD.findall(wh.group("rest"))
        owner = re.fullmatch(r"([a-z]+)['’]s", words[0]) if words else None
        # "which animal's brain" asks for an animal; "which women's team" for a team
        if owner and owner.group(1) not in _NOT_ASKED_OWNERS:
            return AnswerType(kind_of_head(owner.group(1)), owner.group(1))
        if words and words[0].lower() not in _STOP:
            head = head_noun(words)
            if head:
                return AnswerType(kind_of_head(head), head)
    if re.search(r"\bwhere\b", low):
        return AnswerType("place", "place")
    if re.search(r"\b(who|whom|whose)\b", low):
        return AnswerType("person", "person")
    return _keyword_head(q)


# A question word, an auxiliary anywhere ("In 2023, did Putin visit ...?") or an
# instruction ("Tell me about ...") makes a question or a request, not a keyword query.
_NOT_KEYWORDS = re.compile(
    r"\b(?:what|which|who|whom|whose|where|when|why|how|name|list|did|does|do|is|are|was|"
    r"were|has|have|had|will|would|can|could|should|may|might)\b|"
    r"^\W*(?:tell|describe|summari[sz]e|explain|give|show|find|compare|please)\b",
    re.I,
)
_KEYWORDS_MAX = 12  # words; a longer query without a question word is a sentence
_RELATIVE = re.compile(r"\sthat\s", re.I)


def _keyword_head(q: str) -> AnswerType:
    """A query typed as keywords ("russian outlet that reported ...", "park won-gon
    university") asks for what its noun phrase ends in: the word before "that ..." or the
    last word, when that is a known head."""
    if _NOT_KEYWORDS.search(q) or len(q.split()) > _KEYWORDS_MAX:
        return AnswerType("none")  # a sentence to complete ("... sent opposing lawyers:")
    words = _WORD.findall(_RELATIVE.split(q, maxsplit=1)[0])
    words = [w for w in words if w[:1].isalpha()]
    if not words:
        return AnswerType("none")
    last = words[-1].lower()
    if last in KNOWN_HEADS or singular(last) in KNOWN_HEADS:
        return AnswerType(kind_of_head(last), last)
    return AnswerType("none")
