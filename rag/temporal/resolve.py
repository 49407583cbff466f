"""Calendar arithmetic that turns partial dates into concrete ones around a publication date.

Why: news leaves the year (and often the month) implicit. The writer means the occurrence
closest to the day of writing, on the side the verb's tense points to. These helpers pick
that occurrence; they know nothing about text.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

Direction = Literal["past", "future", "nearest"]

_FAR_DAYS = 300
_NEAR_DAYS = 60


def day_value(day: dt.date) -> str:
    """ISO value at day precision."""
    return day.isoformat()


def month_value(year: int, month: int) -> str:
    """ISO value at month precision."""
    return f"{year:04d}-{month:02d}"


def week_month(day: dt.date) -> str:
    """The month a week expression ("last week", "two weeks ago") is dated to.

    Why a month: a date value is a year, a month or a day (the convention of the date sets
    NewsQA is measured on, whose annotators date "last week" to its month), so a week is
    given the month that holds most of it: the month of its Thursday, as ISO weeks count.
    """
    thursday = day + dt.timedelta(days=3 - day.weekday())
    return month_value(thursday.year, thursday.month)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """Move a (year, month) pair by ``delta`` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """Build a date, or None when it does not exist (30 February, year 0)."""
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def pick(pub: dt.date, candidates: list[dt.date], direction: Direction) -> dt.date | None:
    """Choose among candidate dates the one the writer most likely meant.

    Args:
        pub: the publication date.
        candidates: possible readings, in any order.
        direction: "past" takes the latest on or before ``pub``, "future" the earliest on
            or after it, "nearest" the closest (the earlier one on a tie).

    Returns:
        The chosen date, or None when no candidate lies on the requested side.
    """
    if direction == "past":
        past = [c for c in candidates if c <= pub]
        return max(past) if past else None
    if direction == "future":
        future = [c for c in candidates if c >= pub]
        return min(future) if future else None
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs((c - pub).days), c))


def resolve_weekday(pub: dt.date, weekday: int, direction: Direction, strict: bool) -> dt.date:
    """The ``weekday`` (0 = Monday) nearest ``pub`` on the given side.

    Args:
        pub: publication date.
        weekday: 0..6, Monday first.
        direction: side of ``pub`` to look on.
        strict: exclude ``pub`` itself ("last Friday" written on a Friday is a week ago).
    """
    back = (pub.weekday() - weekday) % 7
    ahead = (weekday - pub.weekday()) % 7
    if strict:
        back = back or 7
        ahead = ahead or 7
    if direction == "past":
        return pub - dt.timedelta(days=back)
    if direction == "future":
        return pub + dt.timedelta(days=ahead)
    return pub - dt.timedelta(days=back) if back <= ahead else pub + dt.timedelta(days=ahead)


def resolve_month(
    pub: dt.date, month: int, direction: Direction, strict: bool = False
) -> tuple[int, int]:
    """The occurrence of ``month`` nearest the publication month on the given side.

    A month equal to the publication month is that month unless ``strict`` ("last June"
    written in June means the previous year's).
    """
    year = pub.year
    if direction == "past":
        if month > pub.month or (strict and month == pub.month):
            year -= 1
    elif direction == "future":
        if month < pub.month or (strict and month == pub.month):
            year += 1
    else:
        diff = month - pub.month
        if diff >= 6:  # six months either way: news leans to the past
            year -= 1
        elif diff < -6:
            year += 1
    return year, month


def resolve_month_day(
    pub: dt.date, month: int, day: int, direction: Direction, weekday: int | None = None
) -> dt.date | None:
    """Give a yearless "Aug. 7" the year that puts it on the requested side of ``pub``.

    When the text also names the weekday ("Monday, Oct. 26"), the year whose calendar
    agrees wins.
    """
    options = [safe_date(pub.year + k, month, day) for k in (-1, 0, 1)]
    candidates = [c for c in options if c is not None]
    if weekday is not None:
        agreeing = [c for c in candidates if c.weekday() == weekday]
        if agreeing:
            return pick(pub, agreeing, "nearest")
    chosen = pick(pub, candidates, direction)
    if chosen is not None and direction != "nearest":
        # Writers drop the year only for dates close to the day of writing: a reading almost a
        # year away on the tense's side loses to one within two months on the other side.
        near = pick(pub, candidates, "nearest")
        if (
            near is not None
            and abs((chosen - pub).days) > _FAR_DAYS
            and abs((near - pub).days) <= _NEAR_DAYS
        ):
            return near
    return chosen


def resolve_day_of_month(pub: dt.date, day: int, direction: Direction) -> dt.date | None:
    """Give a monthless "the 15th" the month that puts it on the requested side of ``pub``."""
    candidates = []
    for delta in (-2, -1, 0, 1, 2):
        year, month = shift_month(pub.year, pub.month, delta)
        found = safe_date(year, month, day)
        if found is not None:
            candidates.append(found)
    return pick(pub, candidates, direction)


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def holiday(name: str, year: int) -> dt.date:
    """Date of a (mostly US) holiday named as in ``patterns.HOLIDAY`` in ``year``."""
    key = " ".join(name.lower().replace("’", "'").split())
    if key.startswith("new year's eve"):
        return dt.date(year, 12, 31)
    if key.startswith("new year"):
        return dt.date(year, 1, 1)
    if key == "christmas eve":
        return dt.date(year, 12, 24)
    if key.startswith("christmas"):
        return dt.date(year, 12, 25)
    if key == "boxing day":
        return dt.date(year, 12, 26)
    if key.startswith("thanksgiving"):
        return nth_weekday(year, 11, 3, 4)
    if key == "election day":
        return nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
    if key == "labor day":
        return nth_weekday(year, 9, 0, 1)
    if key == "memorial day":
        return nth_weekday(year, 5, 0, -1)
    if key == "veterans day":
        return dt.date(year, 11, 11)
    if key == "halloween":
        return dt.date(year, 10, 31)
    if key.startswith("valentine"):
        return dt.date(year, 2, 14)
    if key == "good friday":
        return easter(year) - dt.timedelta(days=2)
    return easter(year)
