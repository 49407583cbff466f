"""Places: country names (so that "Which city ...?" is not answered with a country), and
the place a question puts its event in ("... meeting in Beijing?")."""

from __future__ import annotations

import re

from rag.answer.qtype import CALENDAR, US_STATES
from vectorstore.bm25_index import tokenize

COUNTRIES = frozenset(
    name.lower()
    for name in """
    Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria
    Azerbaijan Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan
    Bolivia Botswana Brazil Brunei Bulgaria Burundi Cambodia Cameroon Canada Chad Chile
    China Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica
    Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia
    Georgia Germany Ghana Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary
    Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan
    Kenya Kiribati Korea Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia
    Libya Liechtenstein Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali
    Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco Mongolia Montenegro
    Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria
    Norway Oman Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland Portugal
    Qatar Romania Russia Rwanda Samoa Senegal Serbia Seychelles Singapore Slovakia
    Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria Taiwan Tajikistan
    Tanzania Thailand Togo Tonga Tunisia Turkey Türkiye Turkmenistan Tuvalu Uganda Ukraine
    Uruguay Uzbekistan Vanuatu Vatican Venezuela Vietnam Yemen Zambia Zimbabwe Europe Asia
    Africa America Oceania
""".split()
) | frozenset(
    {
        "north korea", "south korea", "the united states", "united states", "the us", "the u.s.",
        "the united kingdom", "united kingdom", "the uk", "new zealand", "saudi arabia",
        "south africa", "sri lanka", "costa rica", "el salvador", "the philippines",
        "the netherlands", "east timor", "north macedonia", "the united arab emirates",
        "russia's far east", "the far east", "the korean peninsula",
        # former countries, still named in history: "the Soviet Union competed with China"
        "the soviet union", "soviet union", "the ussr", "ussr", "yugoslavia",
        "czechoslovakia", "east germany", "west germany",
    }
)  # fmt: skip


def is_country(low: str) -> bool:
    """``low`` (lower case) names a country, with or without its "the" ("uk", "the uk")."""
    return low in COUNTRIES or f"the {low}" in COUNTRIES


# "in Beijing", "at the Kennedy Center", "in Bear, Delaware": a name after "in" or "at" that
# ends its phrase. "in the Ukraine war" is no place: its name qualifies the noun after it.
_AT = re.compile(
    r"\b(?:[Ii]n|[Aa]t)\s+(?:the\s+)?(?P<name>[A-Z][\w'’.-]*(?:\s(?:of\s)?[A-Z][\w'’.-]*)*)"
    r"(?=[?,.;:!)]+(?:\s|$)|\s*$|\s+(?:on|in|at|during|last|this|next|earlier|later|before|after|"
    r"when|since|and|for|to|from|with|by|the|a|an|as|amid|was|were|is|are|has|have|had|will|"
    r"would|over|near|while|where|who|which|that)\b)"
)
# Words after "in" that name no place: months and weekdays ("in Jan. 2024"), languages
# ("said in English"); a title alone ("in Mr. Smith's office": "Mr").
_NOT_PLACES = CALENDAR | frozenset(
    """english chinese russian korean japanese french spanish arabic german italian
    portuguese hindi persian ukrainian hebrew turkish""".split()
)
_TITLES = frozenset("mr mrs ms dr gen sen rep gov prof".split())
# Words before "in"/"at" that make what follows no place: "invested in OpenAI", "a stake in
# Tesla", "lashed out at Harris", "aimed at Beijing".
_NOT_LOCATING = re.compile(
    r"\b(?:invest|invested|investing|investment|investments|stake|stakes|shares|interest|"
    r"role|part|involvement|confidence|trust|faith|belief|out|back|aim|aimed|look|looked|"
    r"looking|laugh|laughed|fired|shot|swipe|jab|jabs|glance|glanced|angry|mad|furious|"
    r"upset|good|bad|better|worse|expert|experts|degree)\s+$",
    re.I,
)
# One country, many names: "the US", "the U.S.", "the United States", "America". A full stop
# that ends "U.S." is left, as it may end the sentence.
_ALIASES = (
    (
        re.compile(
            r"(?<!Latin )(?<!South )(?<!North )(?<!Central )\b(?:the\s+)?(?:United\s+States"
            r"(?:\s+of\s+America)?|U\.S(?:\.A)?(?=\.)|USA|US|America)(?![\w])"
        ),
        "US",
    ),
    (
        re.compile(
            r"\b(?:the\s+)?(?:United\s+Kingdom|U\.K(?=\.)|UK|Great\s+Britain|Britain)(?![\w])"
        ),
        "UK",
    ),
)
# The countries and US states as ``places_at`` reads them: {"ukrain"}, {"south", "korea"},
# {"us"} (the aliases' canonical name), {"new", "york"}.
_REGIONS = frozenset(frozenset(tokenize(name)) for name in (*COUNTRIES, *US_STATES)) - {frozenset()}


def _canonical(text: str) -> str:
    for alias, name in _ALIASES:
        text = alias.sub(name, text)
    return text


def places_at(text: str) -> list[frozenset[str]]:
    """The places ``text`` puts something in or at, each as its name's stemmed tokens
    ("held in Beijing the previous day" -> {"beij"}; "the United States" and "the U.S." ->
    {"us"}). Months, titles and languages are no places ("in Jan. 2024", "in English")."""
    out = []
    text = _canonical(text)
    for m in _AT.finditer(text):
        name = m.group("name").rstrip(".")
        words = name.lower().split()
        if words[0].rstrip(".") in _NOT_PLACES or (len(words) == 1 and words[0] in _TITLES):
            continue
        if _NOT_LOCATING.search(text[: m.start()]):
            continue
        tokens = frozenset(tokenize(name))
        if tokens:
            out.append(tokens)
    return out


def _region(place: frozenset[str]) -> bool:
    """A country or a US state (as stemmed tokens, as ``places_at`` gives them): a place
    that holds cities, towns and sites ("in Siesta Key" is in Florida, "in Moscow" in
    Russia), so that a place of another level is no conflict with it."""
    return place in _REGIONS


def elsewhere(asked: list[frozenset[str]], sentence: str) -> bool:
    """The sentence puts its event at another place than the question asks about and does
    not name the asked place at all ("Lavrov will meet Wang Yi in Moscow" for "... their
    meeting in Beijing?"). A sentence that names no place is not elsewhere, nor one whose
    place is of another level than the asked one (a city for a country or a US state: "in
    Moscow" for "... in Russia?", "in Siesta Key" for "... in Florida?"), as which lies in
    which is not known here; "where" questions do not use this (``rag.answer.sentence_rank``)."""
    if not asked:
        return False
    words = set(tokenize(_canonical(sentence)))
    if any(place <= words for place in asked):
        return False
    return any(
        not any(p <= place or place <= p or _region(p) != _region(place) for place in asked)
        for p in places_at(sentence)
    )
