"""Rules for expressions that need the publication date: bare months, "the 15th", weekdays,
"yesterday", "last week", "three years ago".

Why they return value None without a publication date: guessing an anchor would put wrong
dates into the index, and a wrong date is worse than none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rag.temporal import patterns as p
from rag.temporal.candidates import (
    Candidate,
    direction_for,
    prefix,
    starts_word,
    word_after,
    word_before,
)
from rag.temporal.resolve import (
    day_value,
    month_value,
    resolve_day_of_month,
    resolve_month,
    resolve_weekday,
    safe_date,
    shift_month,
    week_month,
)
from rag.temporal.tense import clause_tense

_MONTH_NEAR = re.compile(p.MONTH_FULL)
_TITLE_BEFORE = re.compile(r"[A-Z]\w*[ \t]$")
_POSSESSIVE = re.compile(r"['’]s\b")
_QUOTES = ("'", '"', "‘", "“", "`", "’", "”")
_REL_SHIFT = {"last": -1, "previous": -1, "past": -1, "this": 0, "same": 0, "current": 0,
              "the": 0, "next": 1, "following": 1, "coming": 1}  # fmt: skip


def _shift_word(rel: str) -> int:
    return _REL_SHIFT[rel.split()[-1].lower()]


def _bare_month_licensed(text: str, m: re.Match[str], pre_m: re.Match[str] | None) -> bool:
    """Decide whether a month name without day or year is a date ("in May") or a word."""
    if (pre_m and pre_m["mod"]) or m["yr"]:
        return True
    mon = m["mon"]
    pre = (pre_m["pre"] or "").lower() if pre_m else ""
    the = bool(pre_m and pre_m["the"])
    after = text[m.end() : m.end() + 3]
    if after[:1] in ("'", "’") and after[1:2] == "s":
        return mon != "May"  # "October's summit", but "May's government"
    if pre == "the" and not the:
        pre, the = "", True
    if the and pre not in p.MONTH_PREPOSITIONS:
        # attributive: "the March accession", not "the March on Washington"
        nxt = word_after(text, m.end())
        return (
            text[m.end() : m.end() + 1] == " "
            and nxt[:1].islower()
            and nxt.lower() not in p.FUNCTION_WORDS
        )
    if pre not in p.MONTH_PREPOSITIONS:
        return False
    if pre in ("and", "or", "to", "through", "than"):
        return bool(_MONTH_NEAR.search(text[max(0, m.start() - 40) : m.start()]))
    if mon in ("May", "March") and pre in p.WEAK_MONTH_PREPOSITIONS:
        return not word_after(text, m.end()) or bool(re.match(r"\s*[,.;:)]", text[m.end() :]))
    return True


def bare_months(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Month names without a day: "in May", "late November", "last October", "May last year"."""
    for m in p.BARE_MONTH.finditer(text):
        pre_m = prefix(p.BARE_MONTH_PREFIX, text, m.start())
        if not _bare_month_licensed(text, m, pre_m):
            continue
        start = pre_m.start("mod") if pre_m and pre_m["mod"] else m.start()
        if pub is None:
            yield Candidate(start, m.end(), None, "month", 2)
            continue
        month = p.MONTHS[m["mon"].lower()]
        mod = (pre_m["mod"] or "").lower().split() if pre_m else []
        if m["rel"]:
            year = pub.year + _shift_word(m["rel"])
        elif mod[:1] == ["this"] and mod[1:2] in ([], ["of"]):
            year = pub.year
        elif mod[:1] == ["last"] or mod[1:2] == ["past"]:
            year, month = resolve_month(pub, month, "past", strict=True)
        elif mod[:1] == ["next"] or mod[1:2] == ["coming"]:
            year, month = resolve_month(pub, month, "future", strict=True)
        else:
            direction = direction_for(clause_tense(text, start, m.end()), "past")
            year, month = resolve_month(pub, month, direction)
        yield Candidate(start, m.end(), month_value(year, month), "month", 2)


def _day_of_month_licensed(text: str, m: re.Match[str]) -> bool:
    """Tell a date from an ordinal: "on the 15th" is one, "the 80th anniversary" is not."""
    if m["rel"]:
        return True
    if word_before(text, m.start()) not in p.DAY_PREPOSITIONS:
        return False
    rest = text[m.end() : m.end() + 40]
    stripped = rest.lstrip(" \t")
    if not stripped:
        return True
    if stripped[0] in _QUOTES:
        return False
    if stripped[0].isalpha():
        nxt = word_after(text, m.end())
        return nxt[:1].islower() and nxt.lower() in p.DAY_FOLLOWERS
    return True


def days_of_month(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Days of the month: "on the 15th", "the 22nd of last month", "on the 18th and 19th"."""
    for m in p.DAY_OF_MONTH.finditer(text):
        if not _day_of_month_licensed(text, m):
            continue
        start = m.start("the")
        day_num = int(m["day"])
        if pub is None:
            yield Candidate(start, m.end(), None, "day", 2)
            continue
        if m["rel"]:
            year, month = shift_month(pub.year, pub.month, _shift_word(m["rel"]))
            found = safe_date(year, month, day_num)
        else:
            direction = direction_for(clause_tense(text, start, m.end()), "nearest")
            found = resolve_day_of_month(pub, day_num, direction)
        yield Candidate(start, m.end(), day_value(found) if found else None, "day", 2)
        chain = p.DAY_CHAIN.match(text, m.end())
        if chain and found is not None:
            second = safe_date(found.year, found.month, int(chain["day"]))
            span_start = text.index(chain["day"], chain.start())
            if text[chain.start() : span_start].rstrip().endswith("the"):
                span_start = text.rindex("the", chain.start(), span_start)
            value = day_value(second) if second else None
            yield Candidate(span_start, chain.end(), value, "day", 3)


def weekdays(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Weekday names: "on Wednesday", "last Friday", "Thursday night", "Monday of next week"."""
    for m in p.WEEKDAY_EXPR.finditer(text):
        pre_m = prefix(p.WEEKDAY_PREFIX, text, m.start())
        if not pre_m and word_before(text, m.start()) in p.WEEKDAY_BLOCK_BEFORE:
            continue
        if word_after(text, m.end("wd")).lower() in p.WEEKDAY_BLOCK_AFTER:
            continue
        start = pre_m.start() if pre_m else m.start()
        if pub is None:
            yield Candidate(start, m.end(), None, "day", 2)
            continue
        weekday = p.WEEKDAYS[m["wd"].lower()]
        mod = pre_m["mod"].lower().split() if pre_m else []
        if m["wk"]:
            monday = pub - dt.timedelta(days=pub.weekday())
            found = monday + dt.timedelta(weeks=_shift_word(m["wk"]), days=weekday)
        elif mod[:1] == ["last"] or mod[1:2] == ["past"]:
            found = resolve_weekday(pub, weekday, "past", strict=True)
        elif mod[:1] == ["next"] or mod[1:2] == ["coming"]:
            found = resolve_weekday(pub, weekday, "future", strict=True)
        elif mod[:1] == ["this"]:
            found = resolve_weekday(pub, weekday, "future", strict=False)
        elif _POSSESSIVE.match(text, m.end("wd")):
            # "Wednesday's ruling" names an event of the week around publication; the
            # clause's tense is about something else ("would look for ways around ...").
            found = resolve_weekday(pub, weekday, "nearest", strict=False)
        else:
            direction = direction_for(clause_tense(text, start, m.end()), "past")
            found = resolve_weekday(pub, weekday, direction, strict=False)
        yield Candidate(start, m.end(), day_value(found), "day", 2)


def anaphoric_day_offset(m: re.Match[str]) -> int:
    """-1 for "the previous / prior day", "the day before"; +1 for "the next / following
    day", "the day after" (a match of ``patterns.ANAPHORIC_DAY``)."""
    which = (m["which"] or m["ba"]).lower()
    return -1 if which in ("previous", "prior", "before") else 1


def relative_days(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Days relative to publication: "today", "this afternoon", "yesterday", "the previous day"."""
    for m in p.RELATIVE_DAY.finditer(text):
        word = " ".join(m["word"].lower().split())
        if m["word"] == "Today" and _TITLE_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # a title: "USA Today", "Psychology Today"
        offset = {"yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
                  "the day after tomorrow": 2}.get(word, 0)  # fmt: skip
        value = day_value(pub + dt.timedelta(days=offset)) if pub else None
        yield Candidate(m.start(), m.end(), value, "day", 2)
    for m in p.ANAPHORIC_DAY.finditer(text):
        offset = anaphoric_day_offset(m)
        value = day_value(pub + dt.timedelta(days=offset)) if pub else None
        yield Candidate(m.start(), m.end(), value, "day", 1)


def weekends(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """ "over the weekend", "last weekend", "this coming weekend": dated to its Saturday.

    A bare "the weekend" is the latest one begun by the article date in a past-tense clause
    (news mostly reports it), the next one in a future-tense clause.
    """
    for word in p.WEEKEND.finditer(text):
        m = prefix(p.WEEKEND_PREFIX, text, word.start())
        if m is None or not starts_word(text, word.start()):
            continue
        m_end = word.end()
        if pub is None:
            yield Candidate(m.start(), m_end, None, "day", 1)
            continue
        rel = " ".join(m["rel"].lower().split())
        if rel in ("last", "this past"):
            direction = "past"
        elif rel in ("next", "this coming"):
            direction = "future"
        elif rel == "this":  # this week's weekend; early in a week, in the past tense, the last
            past = clause_tense(text, m.start(), m_end) == "past" and pub.weekday() < 3
            direction = "past" if past else "future"
        else:
            direction = direction_for(clause_tense(text, m.start(), m_end), "past")
        this_saturday = pub - dt.timedelta(days=pub.weekday() - 5)  # the week's own weekend
        if direction == "future":
            saturday = this_saturday
            if rel == "next" and pub.weekday() >= 5:
                saturday += dt.timedelta(weeks=1)
        else:
            saturday = this_saturday if pub.weekday() >= 5 else this_saturday - dt.timedelta(7)
            if rel in ("last", "this past") and pub.weekday() >= 5:
                saturday -= dt.timedelta(weeks=1)
        yield Candidate(m.start(), m_end, day_value(saturday), "day", 1)


def relative_periods(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Periods relative to publication: "last week", "this month", "earlier this year"."""
    for unit_m in p.PERIOD_UNIT.finditer(text):
        if not starts_word(text, unit_m.start()):
            continue
        m = prefix(p.PERIOD_PREFIX, text, unit_m.start())
        if m is None:
            continue
        rel = " ".join(m["rel"].lower().split())
        start = m.start()
        if rel in ("last", "next") and not m["q"] and word_before(text, start) == "the":
            start = text.rindex("the", 0, start)  # "the last year": a date unless a duration
        if rel in ("last", "the past") and word_before(text, start) in p.DURATION_BEFORE:
            continue  # "over the last year", "for the past month"
        unit = unit_m["unit"]
        gran = "month" if unit == "week" else unit  # a week is dated to its month
        if pub is None:
            yield Candidate(start, unit_m.end(), None, gran, 1)
            continue
        shift = _shift_word(rel)
        if unit == "week":
            value = week_month(pub + dt.timedelta(weeks=shift))
        elif unit == "month":
            value = month_value(*shift_month(pub.year, pub.month, shift))
        else:
            value = f"{pub.year + shift:04d}"
        yield Candidate(start, unit_m.end(), value, gran, 1)


def number(word: str) -> int | None:
    """ "12" -> 12, "a" -> 1, "twenty-five" -> 25; None when it is not a count."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    total = 0
    for part in re.split(r"[\s-]+", word):
        if part not in p.NUMBER_WORDS:
            return None
        total += p.NUMBER_WORDS[part]
    return total


def _granularity(unit: str) -> str:
    """Days are dated to the day, years to the year, the rest (weeks too) to the month."""
    return unit if unit in ("day", "year") else "month"


def _counted(pub: dt.date, n: int, unit: str, sign: int) -> tuple[str, str]:
    """The value and granularity ``n`` units before (sign -1) or after (+1) publication."""
    if unit == "fortnight":
        unit, n = "week", 2 * n
    gran = _granularity(unit)
    if unit == "day":
        return day_value(pub + dt.timedelta(days=sign * n)), gran
    if unit == "week":
        return week_month(pub + dt.timedelta(weeks=sign * n)), gran
    if unit == "month":
        return month_value(*shift_month(pub.year, pub.month, sign * n)), gran
    return f"{pub.year + sign * n:04d}", gran


def _count(m: re.Match[str]) -> tuple[int, str] | None:
    """(count, unit) of an ``AGO_PREFIX`` match: "half a year" is six months; other halves
    and words that are no count give None."""
    n = number(m["n"])
    unit = m["unit"].lower()
    if n is None:
        return None
    if m["half"]:
        return (6, "month") if n == 1 and unit == "year" else None
    return n, unit


def agos(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Counts back from publication, or forward: "11 days ago", "almost four years ago",
    "half a year ago", "a fortnight ago", "two weeks from now"."""
    for rule, sign in ((p.AGO, -1), (p.FROM_NOW, 1)):
        for end in rule.finditer(text):
            if not starts_word(text, end.start()):
                continue
            m = prefix(p.AGO_PREFIX, text, end.start())
            counted = _count(m) if m else None
            if m is None or counted is None:
                continue
            if pub is None:
                yield Candidate(m.start(), end.end(), None, _granularity(counted[1]), 2)
                continue
            value, gran = _counted(pub, *counted, sign)
            yield Candidate(m.start(), end.end(), value, gran, 2)


# "will" (not "would", not "was set to": those count from another time) and, after it, no
# word that makes the count a stretch looked back on ("will make its closest approach in 59
# years", "will play its first home game in 30 years").
_WILL_BEFORE = re.compile(
    r"(?:\b(?:will|shall)|['’]ll)\b(?!.*\b(?:first|second|third|only|time|times|ever|since|"
    r"\w+est)\b)[^.;:!?]*$",
    re.IGNORECASE,
)


def _clause_before(text: str, pos: int) -> str:
    """The words of the sentence before ``pos`` (at most 120 characters)."""
    before = text[max(0, pos - 120) : pos]
    return re.split(r"[.;:!?\n]", before)[-1]


def forward_counts(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """ "in two weeks' time", "will rule in three days": a date after publication. Without
    "time" only after "will": "was built in two years" and "the first title in 30 years"
    are stretches of time, and "was set to end in two months" counts from another day."""
    for unit_m in p.IN_COUNT.finditer(text):
        if not starts_word(text, unit_m.start()):
            continue
        m = prefix(p.IN_COUNT_PREFIX, text, unit_m.start())
        n = number(m["n"]) if m else None
        if m is None or n is None:
            continue
        if not unit_m["time"] and not _WILL_BEFORE.search(_clause_before(text, m.start())):
            continue
        unit = unit_m["unit"]
        if pub is None:
            yield Candidate(m.start(), unit_m.end(), None, _granularity(unit), 2)
            continue
        value, gran = _counted(pub, n, unit, 1)
        yield Candidate(m.start(), unit_m.end(), value, gran, 2)


_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9}  # first month of each


def seasons(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """ "last summer", "this autumn", "early next spring": dated to the season's year.

    Winter spans two years, so "last winter" is found but its value stays unknown; "fall"
    before "in"/"of" is the noun ("this fall in prices")."""
    words = sorted((w for form in p.SEASONS for w in form.finditer(text)), key=lambda w: w.start())
    for word in words:
        m = prefix(p.SEASON_PREFIX, text, word.start())
        if m is None or not starts_word(text, word.start()):
            continue
        season = word.group(0).lower()
        rel = " ".join(m["rel"].lower().split())
        if rel in ("last", "next") and word_before(text, m.start("rel")) == "the":
            continue  # "the last summer of his life", "the next fall"
        if season == "fall" and word_after(text, word.end()).lower() in ("in", "of"):
            continue
        first = _SEASON_MONTHS.get(season)
        if pub is None or first is None:
            yield Candidate(m.start(), word.end(), None, "year", 2)
            continue
        year = pub.year
        if rel in ("last", "this past", "the past") and pub.month <= first + 2:
            year -= 1  # the latest one already over
        elif rel in ("next", "this coming", "the coming") and pub.month >= first:
            year += 1  # the first one still to begin
        yield Candidate(m.start(), word.end(), f"{year:04d}", "year", 2)


def offsets(text: str, found: list[Candidate]) -> Iterator[Candidate]:
    """Offsets from a resolved day: "a day before the 3rd", "two days after Sept. 13"."""
    for cand in found:
        if cand.granularity != "day" or cand.value is None:
            continue
        lo = max(0, cand.start - 60)
        m = p.OFFSET_BEFORE.search(text[lo : cand.start])
        if not m:
            continue
        n = 1 if m["n"].lower() == "the" else number(m["n"])
        if n is None:
            continue
        days = n * (7 if m["unit"].lower() == "week" else 1)
        sign = -1 if m["dir"].lower().startswith(("before", "earlier")) else 1
        shifted = dt.date.fromisoformat(cand.value) + dt.timedelta(days=sign * days)
        yield Candidate(lo + m.start(), cand.end, day_value(shifted), "day", 6)
