"""Property tests: ``find_dates`` is total and its mentions are always well formed."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rag.temporal import find_dates, format_value, value_range

SHAPES = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "year": re.compile(r"^\d{4}$"),
    "week": re.compile(r"^\d{4}-W\d{2}$"),
}

# Fragments that exercise the rules, mixed with arbitrary text.
FRAGMENTS = [
    "on the 15th", "the 3rd ", "of last month", "Sept. 13", ", 2023", "June 19, 2024",
    "in May", "May", "March", "last ", "next ", "this ", "week", "month", "year", " ago",
    "Monday", "Friday night", "yesterday", "today", "tomorrow", "the previous day", "2013",
    "1990s", "2,000", "No. 1", "said", "will", "was", " ", ". ", ", ", "the", "of", "Feb. 29",
    "2024-02-29", "a day before ", "two days after ", "Thanksgiving", "early ", "mid-", "31st",
    "13 September 2023", "January 2019", "‘", "’s", "\n", "99 years ago", "20 ",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=40).map("".join),
)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))


@settings(max_examples=400, deadline=None)
@given(text=texts, published=dates)
def test_find_dates_is_total_and_well_formed(text: str, published: dt.date | None) -> None:
    mentions = find_dates(text, published)
    previous_end = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert 0 <= m.start < m.end <= len(text)
        assert m.start >= previous_end  # sorted and non-overlapping
        previous_end = m.end
        assert m.granularity in SHAPES
        if m.value is not None:
            assert SHAPES[m.granularity].match(m.value), m
            low, high = value_range(m.value)
            assert low <= high
            assert format_value(m.value)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_absolute_values_do_not_depend_on_the_anchor(text: str) -> None:
    pub = dt.date(2024, 6, 19)
    with_pub = {(m.start, m.end): m.value for m in find_dates(text, pub)}
    for m in find_dates(text, None):
        # An absolute reading must not depend on the anchor. (With an anchor a longer
        # relative reading may win the same words, so only identical spans are compared.)
        # A mention dated by an earlier one ("the day after") follows that one, and an
        # earlier relative mention has a value only with the anchor: compare only up to it.
        if m.value is None:
            break
        if (m.start, m.end) in with_pub:
            assert with_pub[(m.start, m.end)] == m.value


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_value_range_of_a_day_is_that_day(day: dt.date) -> None:
    stamp = day.year * 10000 + day.month * 100 + day.day
    assert value_range(day.isoformat()) == (stamp, stamp)
    iso = day.isocalendar()
    low, high = value_range(f"{iso.year:04d}-W{iso.week:02d}")
    assert low <= stamp <= high
