"""Rules for calendar expressions: ISO dates, month-day(-year), month-year, years, holidays.

Why separate from the relative rules: these need the publication date only when the year is
left out, and they are the ones that must keep resolving when it is unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rag.temporal import patterns as p
from rag.temporal.candidates import Candidate, direction_for, prefix, word_after, word_before
from rag.temporal.resolve import (
    day_value,
    holiday,
    month_value,
    pick,
    resolve_month_day,
    safe_date,
)
from rag.temporal.tense import clause_tense

_YEAR_BEFORE_HYPHEN = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d-$")
_WORD_HYPHEN = re.compile(r"[A-Za-z]-$")
_HYPHEN_AFTER_OK = re.compile(r"-(?:\d\d|(?:1[6-9]|20)\d\d)(?!\d)")
_HOLIDAY_IN_NAME = re.compile(r"[ \t]+[A-Z]")  # a capitalised word right after: part of a name
# "Easter week", "Christmas holidays": a period around the holiday, not the day itself.
_HOLIDAY_PERIOD = re.compile(
    r"[ \t]+(?:week|weekend|season|holidays?|break|period|vacation|recess|time)\b"
)
_YEAR_AFTER = re.compile(r",?\s+(1[6-9]\d\d|20\d\d)(?!\d)")


def _month_number(name: str) -> int:
    return p.MONTHS[name.rstrip(".").lower()]


def iso_dates(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Year-first numeric dates, as in datelines: "2023-09-15", "2023/09/15", "2023.09.15"."""
    for m in p.ISO_DATE.finditer(text):
        day = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if day is not None:
            yield Candidate(m.start(), m.end(), day_value(day), "day", 5)


def numeric_dates(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Day and month in digits before the year: "25/12/2023" (day first), "12/25/2023" (month
    first). When both orders are possible ("03/04/2024") only the year is certain; nothing
    is guessed from the outlet's country."""
    for m in p.NUMERIC_DATE.finditer(text):
        head = p.NUMERIC_DATE_HEAD.search(text, max(0, m.start() - 2), m.start())
        if head is None:
            continue
        a, b, year = int(head["a"]), int(m["b"]), int(m["y"])
        readings = {d for d in (safe_date(year, b, a), safe_date(year, a, b)) if d is not None}
        if len(readings) == 1:
            (day,) = readings
            yield Candidate(head.start(), m.end(), day_value(day), "day", 5)
        else:  # both orders possible, or neither (a typo): the year stands
            yield Candidate(head.start(), m.end(), f"{year:04d}", "year", 5)


def _month_day(
    text: str, pub: dt.date | None, m: re.Match[str], pre: re.Match[str] | None
) -> Candidate | None:
    """Resolve one month-day match; ``pre`` holds a weekday or "last" written before it."""
    month = _month_number(m["mon"])
    day_num = int(m["day"])
    start = pre.start() if pre else m.start()
    weekday = p.WEEKDAYS[pre["wd"].lower()] if pre and pre["wd"] else None
    if m["year"]:
        found = safe_date(int(m["year"]), month, day_num)
        if found is None:
            return None
        return Candidate(start, m.end(), day_value(found), "day", 4)
    if safe_date(2000, month, day_num) is None:  # 2000 is a leap year: allows 29 Feb
        return None
    if pub is None:
        return Candidate(start, m.end(), None, "day", 4)
    forced_past = bool(pre and pre.groupdict().get("last"))
    tense = "past" if forced_past else clause_tense(text, start, m.end())
    resolved = resolve_month_day(pub, month, day_num, direction_for(tense, "nearest"), weekday)
    return Candidate(start, m.end(), day_value(resolved) if resolved else None, "day", 4)


def _second_day(text: str, m: re.Match[str], first: Candidate) -> Candidate | None:
    """The "25" of "April 24 and 25": same month and year as the first day."""
    if m["year"] or first.value is None:
        return None
    chain = p.MONTH_DAY_CHAIN.match(text, m.end())
    if chain is None:
        return None
    year, month = int(first.value[:4]), int(first.value[5:7])
    day = safe_date(year, month, int(chain["day"]))
    if day is None:
        return None
    return Candidate(chain.start("day"), chain.end("day"), day_value(day), "day", 3)


def month_days(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Month-day dates: "Sept. 13", "June 19, 2024", "Monday, Oct. 26", "13 September 2023"."""
    for m in p.MONTH_DAY.finditer(text):
        found = _month_day(text, pub, m, prefix(p.MONTH_DAY_PREFIX, text, m.start()))
        if found is not None:
            yield found
            second = _second_day(text, m, found)
            if second is not None:
                yield second
    for m in p.DAY_MONTH.finditer(text):
        found = _month_day(text, pub, m, prefix(p.DAY_MONTH_PREFIX, text, m.start()))
        if found is not None:
            yield found


def month_years(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Month and year: "January 2019", "January of 2019", "mid-October 2023"."""
    for m in p.MONTH_YEAR.finditer(text):
        mod = prefix(p.MOD_PREFIX, text, m.start())
        start = mod.start() if mod else m.start()
        value = month_value(int(m["year"]), _month_number(m["mon"]))
        yield Candidate(start, m.end(), value, "month", 3)


def _year_blocked(text: str, m: re.Match[str], has_mod: bool) -> bool:
    """True when a 4-digit number is a count, a label, a clock time or part of a phone number."""
    start, end = m.start("year"), m.end("year")
    year = int(m["year"])
    if not has_mod:
        if word_before(text, start) in p.YEAR_BLOCK_BEFORE and text[start - 1 : start] != "-":
            return True
        if (
            text[start - 1 : start] == "-"
            and not _YEAR_BEFORE_HYPHEN.search(text[:start])
            and not _WORD_HYPHEN.search(text, max(0, start - 8), start)
        ):
            return True  # a phone or serial number; "post-1959" and "2022-2023" are fine
    after = text[end : end + 12]
    if after.startswith("-") and not _HYPHEN_AFTER_OK.match(after):
        return True
    if after[:1] in ("'", "’") and after[1:2] == "s" and year % 10 == 0:
        return True  # "the 1990's": a decade
    if after[:1] == ":" and after[1:2].isdigit():
        return True  # a clock time
    following = word_after(text, end).lower()
    return following in p.YEAR_BLOCK_AFTER and after[:1] not in (".", ",", ";")


def years(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Four-digit years 1600-2099 that are not counts or labels ("in 2013", "2018 visit")."""
    for m in p.YEAR.finditer(text):
        mod = prefix(p.MOD_PREFIX, text, m.start())
        if not _year_blocked(text, m, mod is not None):
            start = mod.start() if mod else m.start()
            yield Candidate(start, m.end(), m["year"], "year", 1)


def holidays(text: str, pub: dt.date | None) -> Iterator[Candidate]:
    """Named holidays ("Thanksgiving Day", "Election Day", "Good Friday")."""
    for m in p.HOLIDAY.finditer(text):
        name = m["name"]
        if not name.endswith(("Day", "Eve", "Friday", "Sunday")) and _HOLIDAY_IN_NAME.match(
            text, m.end()
        ):
            continue  # "Christmas Island", "Easter Rising"
        if _HOLIDAY_PERIOD.match(text, m.end()):
            continue
        year_m = _YEAR_AFTER.match(text, m.end())
        if year_m:
            day = holiday(name, int(year_m.group(1)))
            yield Candidate(m.start(), year_m.end(), day_value(day), "day", 4)
            continue
        if pub is None:
            yield Candidate(m.start(), m.end(), None, "day", 2)
            continue
        options = [holiday(name, pub.year + k) for k in (-1, 0, 1)]
        direction = direction_for(clause_tense(text, m.start(), m.end()), "nearest")
        chosen = pick(pub, options, direction)
        yield Candidate(m.start(), m.end(), day_value(chosen) if chosen else None, "day", 2)
