"""Helpers over the ISO values the tagger produces ("2025-08-29", "2023-10", "2013", "2024-W25").

Why: the index stores a mention's value as a range so that "in September 2023" in a question
matches "Sept. 13" in an article; the answerer prints values the way a reader expects.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def as_yyyymmdd(day: dt.date) -> int:
    """A day as the YYYYMMDD integer that periods and the index's event dates use."""
    return day.year * 10000 + day.month * 100 + day.day


def from_yyyymmdd(yyyymmdd: int) -> dt.date:
    """The day of a YYYYMMDD integer (the inverse of ``as_yyyymmdd``)."""
    return dt.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)


def _week_monday(value: str) -> dt.date:
    m = _WEEK.match(value)
    if not m:
        raise ValueError(f"not an ISO week value: {value!r}")
    return dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)


def value_range(value: str) -> tuple[int, int]:
    """Inclusive YYYYMMDD bounds of an ISO value at any precision.

    Args:
        value: "2023-09-15", "2023-09", "2013" or "2024-W25".

    Returns:
        ``(first_day, last_day)`` as integers, e.g. "2024-02" -> (20240201, 20240229).

    Raises:
        ValueError: when ``value`` is not one of those shapes or not a real date.
    """
    if m := _DAY.match(value):
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return as_yyyymmdd(day), as_yyyymmdd(day)
    if m := _MONTH.match(value):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month out of range in {value!r}")
        last = calendar.monthrange(year, month)[1]
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + last
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return year * 10000 + 101, year * 10000 + 1231
    if _WEEK.match(value):
        monday = _week_monday(value)
        return as_yyyymmdd(monday), as_yyyymmdd(monday + dt.timedelta(days=6))
    raise ValueError(f"not an ISO date value: {value!r}")


def format_value(value: str) -> str:
    """Human form of an ISO value, for answers.

    "2025-09-02" -> "2 September 2025", "2023-09" -> "September 2023", "2013" -> "2013",
    "2024-W25" -> "the week of 17 June 2024". Unrecognised strings are returned unchanged,
    so a caller can always print the result.
    """
    if m := _DAY.match(value):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return f"{int(m.group(3))} {_MONTH_NAMES[month - 1]} {m.group(1)}"
    elif m := _MONTH.match(value):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return f"{_MONTH_NAMES[month - 1]} {m.group(1)}"
    elif _YEAR.match(value):
        return value
    elif _WEEK.match(value):
        try:
            monday = _week_monday(value)
        except ValueError:
            return value
        return f"the week of {monday.day} {_MONTH_NAMES[monday.month - 1]} {monday.year}"
    return value
