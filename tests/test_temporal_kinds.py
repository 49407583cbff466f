"""The kinds of date expression the tagger reads, one test per kind, exact values.

Every case is dated against one fixed article date, Tuesday 27 October 1998, so each value
can be checked by hand on a calendar. The kinds are those of issue 22 (weekdays and months by
tense, year words, "a year earlier/ago", spelled-out years, anaphoric days) and the weekend.
"""

from __future__ import annotations

import datetime as dt

import pytest

from eval.dates_bench import format_report, run
from rag.temporal import find_dates

PUB = dt.date(1998, 10, 27)  # a Tuesday


def tagged(text: str, pub: dt.date | None = PUB) -> list[tuple[str, str | None, str]]:
    return [(m.text, m.value, m.granularity) for m in find_dates(text, pub)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company said on Friday that profits fell.", ("Friday", "1998-10-23", "day")),
        ("The ministers will meet on Friday.", ("Friday", "1998-10-30", "day")),
        ("The leaders are expected to meet on Friday.", ("Friday", "1998-10-30", "day")),
        ("Sales in January are expected to rise sharply.", ("January", "1999-01", "month")),
        ("Sales rose in April, the company said.", ("April", "1998-04", "month")),
    ],
)
def test_weekdays_and_months_by_tense(text: str, expected: tuple[str, str, str]) -> None:
    assert tagged(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Profit for the year rose 12 percent.", ("the year", "1998", "year")),
        ("Net income for the full year was $3 million.", ("the full year", "1998", "year")),
        ("It expects a loss for the fiscal year.", ("the fiscal year", "1998", "year")),
        (
            "Revenue in the current fiscal year will rise.",
            ("the current fiscal year", "1998", "year"),
        ),
        ("The deal should close by year-end.", ("year-end", "1998", "year")),
        ("The deal should close by the year's end.", ("the year's end", "1998", "year")),
        ("Profit rose from the year-earlier quarter.", ("year-earlier", "1997", "year")),
        ("Profit rose from the year-ago period.", ("year-ago", "1997", "year")),
        ("Prices fell earlier in the year.", ("earlier in the year", "1998", "year")),
        ("The vote will take place later this year.", ("later this year", "1998", "year")),
    ],
)
def test_year_words(text: str, expected: tuple[str, str, str]) -> None:
    assert tagged(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "He was named Player of the Year.",
        "The year before, he had left.",
        "It was the year he was elected.",
        "The year 1998 was hard.",  # the number is the date; "the year" is not a second one
    ],
)
def test_year_words_that_are_not_this_year(text: str) -> None:
    assert all(value != "1998" or surface == "1998" for surface, value, _ in tagged(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shares rose 5 percent from a year ago.", [("a year ago", "1997", "year")]),
        ("Sales were $5 million, up from $4 million a year earlier.",
         [("a year earlier", "1997", "year")]),
        # compared with a named month or day, "a year ago" is that month or day a year back
        ("Sales in September rose 10 percent from a year ago.",
         [("September", "1998-09", "month"), ("a year ago", "1997-09", "month")]),
        ("In Sept. 1997 the rebels retreated; a year earlier they took the city.",
         [("Sept. 1997", "1997-09", "month"), ("a year earlier", "1996-09", "month")]),
        ("The plant was sold in 1990. Two years later it closed.",
         [("1990", "1990", "year"), ("Two years later", "1992", "year")]),
        ("In the past year, prices doubled.", [("the past year", "1997", "year")]),
        ("The plant closed two weeks ago.", [("two weeks ago", "1998-10", "month")]),
        ("He met them last week.", [("last week", "1998-10", "month")]),
        ("In January, a week after the anniversary, they marched.",
         [("January", "1998-01", "month"), ("a week after", "1998-01", "month")]),
    ],
)  # fmt: skip
def test_shifts_from_the_article_or_a_named_date(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert tagged(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Prices have doubled over the past year.",  # a stretch of time, not a date
        "He will stay 10 to 14 days before returning home.",
        "Four years later he ran again.",  # no earlier date: nothing to count from
    ],
)
def test_durations_and_unanchored_shifts_stay_untagged(text: str) -> None:
    assert tagged(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company was founded in nineteen ninety-six.",
         ("nineteen ninety-six", "1996", "year")),
        ("It opened in January nineteen ninety-seven.",
         ("January nineteen ninety-seven", "1997-01", "month")),
        ("Plans for the year two thousand were drawn up.",
         ("the year two thousand", "2000", "year")),
        ("It was built in eighteen hundred.", ("eighteen hundred", "1800", "year")),
        ("It closed in two thousand and one.", ("two thousand and one", "2001", "year")),
    ],
)  # fmt: skip
def test_spelled_out_years(text: str, expected: tuple[str, str, str]) -> None:
    assert tagged(text) == [expected]


def test_spelled_numbers_that_are_counts_are_not_years() -> None:
    assert tagged("About two thousand people and twenty five cars came.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Oct. 12, the rebels attacked. The day ended with 20 dead.",
         ("The day", "1998-10-12", "day")),
        ("The Dow fell 20 points for the day.", ("the day", "1998-10-27", "day")),
        ("On Oct. 12, the rebels attacked. Later that day, the army responded.",
         ("Later that day", "1998-10-12", "day")),
        ("Earlier that day, the family sent a fax.", ("Earlier that day", "1998-10-27", "day")),
        ("The talks began Oct. 20. On the second day, delegates walked out.",
         ("the second day", "1998-10-21", "day")),
        ("The strike began Oct. 12. On the eighth day, workers returned.",
         ("the eighth day", "1998-10-19", "day")),
        ("Shares fell Friday for a third straight day.",
         ("a third straight day", "1998-10-23", "day")),
        ("The election was held in 1994. The party was then in power.", ("then", "1994", "year")),
        ("He left in June 1990 and has not returned since then.", ("then", "1990-06", "month")),
        # "the next day" after a day the sentence names is the day after it ...
        ("Talks began Oct. 12, and the next day the rebels attacked.",
         ("the next day", "1998-10-13", "day")),
        ("The vote was on Oct. 20; the day before, police raided the office.",
         ("the day before", "1998-10-19", "day")),
        # ... and in a sentence that names none, the day after the article's
        ("Talks began Oct. 12. The next day the rebels attacked.",
         ("The next day", "1998-10-28", "day")),
    ],
)  # fmt: skip
def test_days_and_then_anchored_on_the_nearest_date(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert tagged(text)[-1] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Back in the day, trams ran here.",
        "It was the day of the attack.",
        "He said it, and then he left.",  # "then" in a sequence is not a time
        "The party was then in power.",  # no earlier date: "then" stays unknown
    ],
)
def test_day_and_then_words_that_are_not_dates(text: str) -> None:
    assert tagged(text) == []


@pytest.mark.parametrize(
    ("text", "pub", "value"),
    [
        ("Talks were held over the weekend.", dt.date(1998, 10, 27), "1998-10-24"),
        ("Talks were held over the weekend.", dt.date(1998, 10, 25), "1998-10-24"),
        ("Talks will be held over the weekend.", dt.date(1998, 10, 27), "1998-10-31"),
        ("They met last weekend.", dt.date(1998, 10, 31), "1998-10-24"),
        ("They meet this weekend.", dt.date(1998, 10, 29), "1998-10-31"),
        ("They meet next weekend.", dt.date(1998, 10, 31), "1998-11-07"),
    ],
)
def test_weekends_are_dated_to_their_saturday(text: str, pub: dt.date, value: str) -> None:
    assert [v for _, v, _ in tagged(text, pub)] == [value]


def test_without_a_publication_date_words_stay_unresolved() -> None:
    assert tagged("Profit for the year rose; it closed over the weekend.", None) == [
        ("the year", None, "year"),
        ("the weekend", None, "day"),
    ]
    assert tagged("It was founded in nineteen ninety-six.", None) == [
        ("nineteen ninety-six", "1996", "year")
    ]


def test_dates_bench_reports_dateparser_in_the_same_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"context": "The plant closed on March 3, 1997.", "published": "1998-10-27", '
        '"expression": "March 3, 1997", "value": "1997-03-03"}\n'
        '{"context": "Profit for the fiscal year rose.", "published": "1998-10-27", '
        '"expression": "the fiscal year", "value": "1998"}\n',
        encoding="utf-8",
    )
    result = run(cases, baseline=True)
    assert (result.resolved, result.total) == (2, 2)
    assert result.baseline is not None
    assert (result.baseline["absolute"], result.baseline["year-word"]) == (1, 0)
    assert result.baseline_rate == 0.5
    report = format_report(result)
    assert report.splitlines()[0].split() == ["kind", "resolved", "total", "rate", "dateparser"]
    assert report.splitlines()[-2].split() == ["ALL", "2", "2", "100.0%", "50.0%"]
