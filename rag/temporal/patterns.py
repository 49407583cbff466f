"""Vocabulary tables and precompiled regular expressions for the date tagger.

Everything here is immutable: the tables are plain dicts/frozensets that are only read, and
the regexes are compiled once at import (cheap, and it keeps ``find_dates`` fast). Month and
weekday names are matched case-sensitively with a capital initial, because lower-case "may",
"march" or "sun" are ordinary words in news text.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A word set written as one space-separated string (compact and easy to extend)."""
    return frozenset(text.split())


MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip

# Words that, placed right before "the 15th", make it a day of the month rather than an
# ordinal adjective ("on the 15th" vs "the 15th anniversary").
DAY_PREPOSITIONS: frozenset[str] = words(
    "on of by until till from to since before after through and between around for as at"
)

# Words that may follow a bare "the 15th" when it is a date; any other word means the
# ordinal modifies a noun ("the 3rd floor", "the 80th anniversary"). Prepositions and
# conjunctions qualify: an ordinal adjective is followed by its noun, not by "alongside".
DAY_FOLLOWERS: frozenset[str] = words(
    "and or to through till until at in on when after before during with by as from for local this "
    "that last next while amid but which where alongside along ahead following despite among "
    "via without near outside inside into across toward towards around because "
    "since if so once unless though although including together respectively"
)

# Words that cannot follow an attributive month ("the March accession" vs "the March on ...").
FUNCTION_WORDS: frozenset[str] = words(
    "on of in to for and or the a an at by with from is was are were has had have will would as "
    "that which who against through into over under"
)

# Prepositions that license a bare month name ("in May"); "May" and "March" are also verbs
# and nouns, so a bare month always needs one of these or a modifier.
MONTH_PREPOSITIONS: frozenset[str] = words(
    "in since until till by during from to through before after of between around throughout for "
    "into and or than"
)
# For "May"/"March" these prepositions are too weak on their own ("a speech by May").
WEAK_MONTH_PREPOSITIONS: frozenset[str] = words("of by for to than and or")

# Words before a 4-digit number that make it a label, not a year ("Flight 2018").
YEAR_BLOCK_BEFORE: frozenset[str] = words(
    "no number flight route highway room page pages p pp article section chapter resolution model "
    "version item line bus code tel phone fax box suite unit apartment exit gate channel vol "
    "volume issue rule paragraph clause some about around nearly almost over than least roughly "
    "approximately estimated additional another extra only just"
)
# Words after a 4-digit number that make it a count or a clock time ("2000 people").
YEAR_BLOCK_AFTER: frozenset[str] = words(
    "people persons residents workers troops soldiers students members men women children "
    "casualties deaths dead cases votes units tons tonnes barrels km kilometers kilometres miles "
    "meters metres feet ft m kg pounds dollars euros won yen yuan rubles rupees percent hours hrs "
    "gmt utc kst est edt et bst cet jst local times copies vehicles cars acres hectares jobs "
    "shares points tanks missiles shells rounds pieces items hz mhz ghz mm cm bc b.c ad runs yards "
    "passengers refugees protesters delegates seats households families employees officers police "
    "policemen prisoners"
)

# Weekday names that are part of another name or an event ("Black Friday", "Sunday Times").
WEEKDAY_BLOCK_BEFORE: frozenset[str] = words(
    "black super ash cyber bloody palm holy maundy man girl mail"
)
WEEKDAY_BLOCK_AFTER: frozenset[str] = words(
    "times telegraph express herald mirror post tribune school schools star people"
)

_MONTH_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})(?![A-Za-z])"
MONTH_FULL = rf"{_MONTH_FULL}(?![A-Za-z])"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![A-Za-z])"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|,\d{3})"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)(?![\d%]|[.,]\d)"
_DAYPART = r"(?:\s+(?:morning|afternoon|evening|night))"
NUM = (
    r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|hundred)"
)

# Day-month-year or month-day-year in digits ("25/12/2023", "3.14.2024"): read only when one
# order is impossible, otherwise only the year is certain.
# Found from the separator before the year (scanning for a digit would try every number);
# the day or month before it is read with NUMERIC_DATE_HEAD.
NUMERIC_DATE = re.compile(r"(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>1[6-9]\d\d|20\d\d)"
                          r"(?![\d\-/]|\.\d)")  # fmt: skip
NUMERIC_DATE_HEAD = re.compile(r"(?<![\d.\-/])(?P<a>\d{1,2})$")
ISO_DATE = re.compile(r"(?<![\d.\-/])(?P<y>1[6-9]\d\d|20\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})"
                      r"(?P=sep)(?P<d>\d{1,2})(?![\d\-/]|\.\d)")  # fmt: skip

# Each expression regex starts at a distinctive token (a month, a digit, "the", a weekday),
# which lets the regex engine skip most positions quickly; optional words in front of that
# token are read afterwards with the end-anchored *_PREFIX patterns on a short window.
PREFIX_WINDOW = 48

MONTH_DAY = re.compile(rf"(?P<mon>{MONTH})\s+{_DAY}(?:,?\s+{_YEAR})?")
MONTH_DAY_PREFIX = re.compile(rf"(?:\b(?P<wd>{WEEKDAY}),?\s+)?(?P<last>\b[Ll]ast\s+)?$")

MONTH_DAY_CHAIN = re.compile(
    r"\s*(?:and|or|to|through|-|–)\s*(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d,.:]\d|\d)"
    r"(?!\s*(?:percent|per|%|people|years|days|months|weeks|hours|miles|km))"
)

DAY_MONTH = re.compile(
    r"(?<![\d,.])(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<mon>{MONTH})(?:,?\s+{_YEAR})?"
)
DAY_MONTH_PREFIX = re.compile(rf"(?:\b(?P<wd>{WEEKDAY}),?\s+)?(?P<the>\b[Tt]he\s+)?$")

MONTH_YEAR = re.compile(rf"(?P<mon>{MONTH}),?\s+(?:of\s+)?{_YEAR}")
YEAR = re.compile(rf"(?<![\w$£€#.,/]){_YEAR}(?![A-Za-z])")
MOD_PREFIX = re.compile(r"(?<![A-Za-z])(?P<mod>(?:[Ee]arly|[Mm]id|[Ll]ate)(?:\s+|-))$")

BARE_MONTH = re.compile(
    rf"(?P<mon>{MONTH_FULL})(?P<yr>,?\s+(?:of\s+)?(?P<rel>last|this|next)\s+year)?"
)
BARE_MONTH_PREFIX = re.compile(
    r"(?:\b(?P<pre>[A-Za-z]+)\s+)??(?P<the>\b[Tt]he\s+)?"
    r"(?P<mod>\b(?:(?:[Ee]arly|[Mm]id|[Ll]ate)(?:\s+|-)|(?:the\s+)?(?:end|beginning|start|middle)"
    r"\s+of\s+|(?:[Ll]ast|[Nn]ext|[Tt]his(?:\s+past|\s+coming)?)\s+))?$"
)

DAY_OF_MONTH = re.compile(
    r"\b(?P<the>[Tt]he\s+)(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)(?![A-Za-z\d])"
    r"(?:\s+of\s+(?P<rel>last|this|next|the\s+previous|the\s+following|the\s+same)\s+month)?"
)
DAY_CHAIN = re.compile(
    r"\s*(?:,|and|or|to|through|-|–)\s*(?:the\s+)?(?P<day>[12]\d|3[01]|0?[1-9])"
    r"(?:st|nd|rd|th)(?![A-Za-z\d])"
)

WEEKDAY_EXPR = re.compile(
    rf"(?P<wd>{WEEKDAY})(?:{_DAYPART})?(?:\s+(?:of\s+)?(?P<wk>last|next|this)\s+week)?"
)
WEEKDAY_PREFIX = re.compile(
    r"(?<![A-Za-z])(?P<mod>(?:[Ll]ast|[Nn]ext|[Tt]his(?:\s+past|\s+coming)?|[Ee]arly|[Ll]ate|"
    r"[Ee]arlier|[Ll]ater)\s+)$"
)

RELATIVE_DAY = re.compile(
    r"\b(?P<word>(?i:today|tonight|last\s+night|yesterday|tomorrow|"
    r"this\s+(?:morning|afternoon|evening)|"
    r"the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow))(?![A-Za-z])"
    rf"(?:(?<=[yw]){_DAYPART})?"
)

ANAPHORIC_DAY = re.compile(
    r"\b(?i:the\s+(?P<which>previous|following|next|prior)\s+day|"
    r"the\s+day\s+(?P<ba>before|after)(?=\s*(?:[.,;:!?)]|and\b|$)))"
)

# "that year", "the same day", "later that month": the most recent date the text named. Found
# from the unit word (a pattern that opens with a literal is scanned many times faster).
PERIOD_WORD = re.compile(r"(?P<unit>day|week|month|year)(?![A-Za-z])")
SAME_PERIOD_PREFIX = re.compile(r"\b(?P<q>(?i:earlier|later)\s+)?(?P<det>(?i:that|the\s+same))\s+$")

PERIOD_UNIT = re.compile(r"(?P<unit>week|month|year)(?![A-Za-z])")  # word start checked by rules
PERIOD_PREFIX = re.compile(
    r"(?<![A-Za-z])(?P<q>(?i:earlier|later|early|late|mid|(?:the\s+)?(?:end|beginning|start|"
    r"middle)\s+of)[\s-]+)?"
    r"(?P<rel>(?i:last|this|next|the\s+previous|the\s+following|the\s+coming|the\s+current|"
    r"(?:the|this)\s+past|(?<=of\s)the))\s+(?:(?i:fiscal|financial|calendar)\s+)?$"
)
# Before "the last/past year" these make it a stretch of time, not a date: "over the last year".
DURATION_BEFORE: frozenset[str] = words("over for during throughout within across through")

AGO = re.compile(r"ago\b")  # word start checked by the rule
# A whole "a year ago" mention, to find the ones a sentence uses as a comparison.
YEARS_AGO = re.compile(rf"(?:\w+\s+)*?(?P<n>(?i:{NUM}))\s+years?\s+ago")
WEEKEND = re.compile(r"weekend(?![\w'’-])")
WEEKEND_PREFIX = re.compile(r"\b(?P<rel>(?i:last|next|this\s+past|this\s+coming|this|the))\s+$")
AGO_PREFIX = re.compile(
    r"(?<![\w-])(?P<q>(?i:almost|nearly|about|around|some|roughly|approximately|more\s+than|"
    r"over|less\s+than|just|only|exactly|barely)\s+)?(?P<half>(?i:half)\s+)?"
    rf"(?P<n>(?i:{NUM}))\s+(?P<unit>day|week|fortnight|month|year)s?\s+$"
)
# Counts forward from publication: "two weeks from now", "in three days", "in 10 days' time".
FROM_NOW = re.compile(r"from\s+(?:now|today)\b")  # the count before it: AGO_PREFIX
IN_COUNT = re.compile(
    r"(?P<unit>day|week|fortnight|month|year)s?(?P<time>['’]?\s+time)?(?![\w'’\xad-])"
)
IN_COUNT_PREFIX = re.compile(rf"(?<![\w-])(?i:in)\s+(?P<n>(?i:{NUM}))\s+$")
# Seasons named from the publication date: "last summer", "this autumn", "early next spring".
# One pattern per written form: each opens with a literal, which the regex engine finds many
# times faster than an alternation that opens with a letter class.
SEASONS = tuple(
    re.compile(form + r"(?![\w-])")
    for word in ("spring", "summer", "autumn", "fall", "winter")
    for form in (word, word.capitalize())
)
SEASON_PREFIX = re.compile(
    r"(?<![A-Za-z])(?P<q>(?i:early|late|mid)[\s-]+)?"
    r"(?P<rel>(?i:last|this|next|this\s+past|this\s+coming|the\s+past|the\s+coming))\s+$"
)

OFFSET_BEFORE = re.compile(
    rf"\b(?P<n>(?i:the|{NUM}))\s+(?P<unit>day|week)s?\s+(?P<dir>before|after|earlier\s+than|"
    r"later\s+than)\s+$"
)

HOLIDAY = re.compile(
    r"(?P<name>New\s+Year['’]s\s+(?:Day|Eve)|Christmas(?:\s+(?:Day|Eve))?|"
    r"Thanksgiving(?:\s+Day)?|Election\s+Day|Labor\s+Day|Memorial\s+Day|Veterans\s+Day|"
    r"Halloween|Valentine['’]s\s+Day|Easter(?:\s+Sunday)?|Good\s+Friday|Boxing\s+Day)"
    r"(?![A-Za-z])"
)

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
