"""Tests for ``rag.temporal.find_dates`` and the value helpers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from eval.dates_bench import expression_kind, run
from rag.temporal import find_dates, format_value, value_range

ROOT = Path(__file__).resolve().parents[1]
DATES = ROOT / "eval" / "datasets" / "dates.jsonl"
AQUAINT = ROOT / "eval" / "datasets" / "aquaint_dates.jsonl"


def _rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def found(text: str, published: str | None) -> list[tuple[str, str | None, str]]:
    """(text, value, granularity) of every mention, in order."""
    pub = dt.date.fromisoformat(published) if published else None
    return [(m.text, m.value, m.granularity) for m in find_dates(text, pub)]


def value_of(text: str, published: str | None, expression: str) -> str | None:
    """The value of the single mention whose text is ``expression``."""
    matches = [value for surface, value, _ in found(text, published) if surface == expression]
    assert len(matches) == 1, found(text, published)
    return matches[0]


# --- the project's own expectation file -------------------------------------------------


@pytest.mark.parametrize("row", _rows(DATES), ids=lambda r: f"{r['doc_id'][:3]}-{r['expression']}")
def test_dates_jsonl_row(row: dict[str, str]) -> None:
    pub = dt.date.fromisoformat(row["published"])
    start = row["context"].index(row["expression"])
    end = start + len(row["expression"])
    mentions = find_dates(row["context"], pub)
    hits = [m for m in mentions if m.start < end and m.end > start]
    assert [m.value for m in hits] == [row["value"]]


def test_aquaint_rate_holds() -> None:
    result = run(AQUAINT)
    assert result.total == 410
    assert result.resolved >= 388  # 2026-12-03: 388; the misses left are listed in docs/dates.md


# --- absolute dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was signed on June 19, 2024.", ("June 19, 2024", "2024-06-19", "day")),
        ("Posted on : 2023-09-15 16:12 KST", ("2023-09-15", "2023-09-15", "day")),
        ("Issued Dec. 28, 2021, in Seoul", ("Dec. 28, 2021", "2021-12-28", "day")),
        ("on 13 September 2023 in Moscow", ("13 September 2023", "2023-09-13", "day")),
        ("since January 2019 he has", ("January 2019", "2019-01", "month")),
        ("the January of 2019 talks", ("January of 2019", "2019-01", "month")),
        ("advocated by President Xi in 2013 and", ("2013", "2013", "year")),
        ("met on Sept. 13, 2023, at", ("Sept. 13, 2023", "2023-09-13", "day")),
        ("the 13th of September 2023", ("the 13th of September 2023", "2023-09-13", "day")),
        ("by mid-2023 it", ("mid-2023", "2023", "year")),
        ("from Sept. 2022 on", ("Sept. 2022", "2022-09", "month")),
        ("dated 2023.10.17 in Seoul", ("2023.10.17", "2023-10-17", "day")),
    ],
)
def test_absolute_dates(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text, "2024-06-19") == [expected]


def test_month_day_without_year_takes_the_nearest_year_and_respects_tense() -> None:
    assert value_of("on Sept. 13", "2023-09-15", "Sept. 13") == "2023-09-13"
    assert value_of("Rescued on Nov. 25 by fishermen", "2000-01-07", "Nov. 25") == "1999-11-25"
    assert value_of("Congress reconvenes Jan. 24.", "2000-01-13", "Jan. 24") == "2000-01-24"
    assert value_of("He will arrive on Jan. 3.", "1999-12-20", "Jan. 3") == "2000-01-03"
    assert value_of("He was shot last Oct. 23 at home.", "1999-04-19", "last Oct. 23") == (
        "1998-10-23"
    )


def test_weekday_with_date_picks_the_year_whose_calendar_agrees() -> None:
    assert value_of(
        "said in an editorial on Monday, Oct. 26:", "1998-10-25", "Monday, Oct. 26"
    ) == ("1998-10-26")


def test_invalid_calendar_dates_are_not_resolved() -> None:
    assert found("The deal of Feb. 30, 2023 is void.", "2023-03-01") == [("2023", "2023", "year")]
    assert found("ISO 2023-02-30 is wrong", "2023-03-01") == [("2023", "2023", "year")]


def test_yearless_date_far_on_the_tense_side_takes_the_near_reading() -> None:
    # Writers drop the year only for dates near the day of writing.
    text = "The ministry gave no details of the Jan. 20 deadline."
    assert value_of(text, "2024-01-10", "Jan. 20") == "2024-01-20"
    text = "The court will review the Dec. 28 ruling."
    assert value_of(text, "2024-01-10", "Dec. 28") == "2023-12-28"
    text = "The talks were held on Oct. 2 in Geneva."
    assert value_of(text, "2024-06-10", "Oct. 2") == "2023-10-02"


def test_second_day_of_a_month_day_pair() -> None:
    text = "The summit would still be held on April 24 and 25 in Washington."
    assert found(text, "1999-02-10") == [
        ("April 24", "1999-04-24", "day"),
        ("25", "1999-04-25", "day"),
    ]
    assert found("It rose on April 24 and 25 percent fell.", "1999-05-10") == [
        ("April 24", "1999-04-24", "day")
    ]


def test_year_after_a_word_prefix() -> None:
    assert found("the post-1959 politics", "2000-02-24") == [("1959", "1959", "year")]


# --- day of the month --------------------------------------------------------------------


def test_day_of_month_same_month_when_close() -> None:
    assert value_of("military parade in Beijing on the 3rd", "2025-09-02", "the 3rd") == (
        "2025-09-03"
    )
    assert value_of("met late on the afternoon of the 15th", "2022-09-16", "the 15th") == (
        "2022-09-15"
    )


def test_day_of_month_before_a_preposition() -> None:
    # An ordinal adjective is followed by its noun; "the 3rd alongside ..." is a day.
    text = "He will attend the parade in Beijing on the 3rd alongside President Putin."
    assert found(text, "2025-09-02") == [("the 3rd", "2025-09-03", "day")]
    assert found("Cuts are fewer on the 8th because demand fell.", "2022-06-03") == [
        ("the 8th", "2022-06-08", "day")
    ]
    assert found("They met on the 3rd floor alongside the delegates.", "2025-09-02") == []


def test_day_of_month_past_tense_after_publication_day_is_previous_month() -> None:
    assert value_of("The minister resigned on the 28th.", "2024-06-05", "the 28th") == (
        "2024-05-28"
    )


def test_day_of_month_future_tense_before_publication_day_is_next_month() -> None:
    assert value_of("The minister will resign on the 2nd.", "2024-06-25", "the 2nd") == (
        "2024-07-02"
    )


def test_nth_of_last_month_across_year_and_month_boundaries() -> None:
    text = "Trump warned on the 22nd of last month."
    assert value_of(text, "2025-09-02", "the 22nd of last month") == "2025-08-22"
    assert value_of(text, "2025-01-10", "the 22nd of last month") == "2024-12-22"
    text30 = "He resigned on the 30th of last month."
    assert value_of(text30, "2024-04-02", "the 30th of last month") == "2024-03-30"
    assert value_of(text30, "2024-03-05", "the 30th of last month") is None  # no 30 February


def test_nth_of_last_month_in_a_leap_year() -> None:
    text = "It happened on the 29th of last month."
    assert value_of(text, "2024-03-04", "the 29th of last month") == "2024-02-29"
    assert value_of(text, "2023-03-04", "the 29th of last month") is None


def test_day_of_month_chain() -> None:
    text = "Lavrov plans to visit North Korea on the 18th and 19th and meet"
    assert found(text, "2023-10-17") == [
        ("the 18th", "2023-10-18", "day"),
        ("19th", "2023-10-19", "day"),
    ]


# --- weekdays ----------------------------------------------------------------------------


def test_weekday_follows_tense() -> None:
    text = "Zakharova said on Wednesday that Lavrov will meet Wang on Monday, the same day."
    assert found(text, "2023-09-15") == [
        ("Wednesday", "2023-09-13", "day"),
        ("Monday", "2023-09-18", "day"),
        ("the same day", "2023-09-18", "day"),
    ]


def test_weekday_equal_to_publication_weekday_is_the_publication_day() -> None:
    assert value_of("Janet Yellen said on Friday", "2022-09-16", "Friday") == "2022-09-16"
    assert value_of("He will speak on Friday", "2022-09-16", "Friday") == "2022-09-16"


def test_weekday_modifiers() -> None:
    pub = "2024-06-21"  # a Friday
    assert value_of("He left last Friday.", pub, "last Friday") == "2024-06-14"
    assert value_of("He leaves next Friday.", pub, "next Friday") == "2024-06-28"
    assert value_of("It opened Thursday night.", pub, "Thursday night") == "2024-06-20"
    assert value_of("They met on Monday last week.", pub, "Monday last week") == "2024-06-10"


def test_weekday_across_a_year_boundary() -> None:
    assert value_of("Officials said Thursday", "2025-01-01", "Thursday") == "2024-12-26"
    assert value_of("They will vote on Friday", "2024-12-30", "Friday") == "2025-01-03"


def test_scheduled_and_planned_point_to_the_future() -> None:
    pub = "1999-05-05"  # a Wednesday
    text = "The attorney has scheduled a news conference Thursday to announce it."
    assert value_of(text, pub, "Thursday") == "1999-05-06"
    text = "Officials postponed until Tuesday morning any action on the permit."
    assert value_of(text, "2000-03-30", "Tuesday morning") == "2000-04-04"


def test_possessive_weekday_takes_the_nearest_day() -> None:
    text = "The relatives said they would look for ways around Wednesday's ruling."
    assert value_of(text, "2000-01-07", "Wednesday") == "2000-01-05"
    assert value_of("ahead of Sunday's election", "2024-06-14", "Sunday") == "2024-06-16"


def test_could_is_past_ability_and_a_verb_after_the_date_governs_it() -> None:
    text = "The minister could not be reached Tuesday."
    assert value_of(text, "2024-06-19", "Tuesday") == "2024-06-18"
    text = "On Friday, the government planned to pay the first claims."
    assert value_of(text, "2024-06-19", "Friday") == "2024-06-14"
    text = "The team planned to leave Nairobi on Friday for Dar es Salaam."
    assert value_of(text, "2024-06-19", "Friday") == "2024-06-21"


# --- bare months -------------------------------------------------------------------------


def test_bare_month_follows_tense() -> None:
    text = "The pact was signed in August and a summit is scheduled for November."
    assert found(text, "2024-06-19") == [
        ("August", "2023-08", "month"),
        ("November", "2024-11", "month"),
    ]


def test_bare_month_equal_to_publication_month() -> None:
    assert value_of("It happened in June.", "2024-06-19", "June") == "2024-06"
    assert value_of("He will visit in June.", "2024-06-19", "June") == "2024-06"


def test_bare_month_in_a_january_article_is_previous_year() -> None:
    assert value_of("The talks collapsed in December.", "2024-01-10", "December") == "2023-12"


def test_month_modifiers() -> None:
    pub = "2023-10-17"
    assert value_of("since its invasion in February last year", pub, "February last year") == (
        "2022-02"
    )
    assert value_of("He was found in Florida last November.", "2000-04-24", "last November") == (
        "1999-11"
    )
    assert value_of("found at sea in late November,", "2000-01-06", "late November") == "1999-11"
    assert value_of("the late-November trip", "2000-01-28", "late-November") == "1999-11"
    assert value_of("likely to take place in mid-October", "2023-09-15", "mid-October") == (
        "2023-10"
    )
    text = "The ministers are expected to discuss it and coordinate October’s summit."
    assert value_of(text, "2023-09-15", "October") == "2023-10"
    assert value_of("The March accession will enable", "1999-02-10", "March") == "1999-03"


def test_relative_pronoun_before_a_past_verb() -> None:
    text = "He is a suspect in shootings that injured two doctors in November."
    assert value_of(text, "1999-05-06", "November") == "1998-11"


def test_decided_to_looks_ahead() -> None:
    text = "NATO has decided to admit the three countries in early March."
    assert value_of(text, "1999-02-10", "early March") == "1999-03"


# --- relative days and periods ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the two leaders are holding a summit today", ("today", "2025-09-02", "day")),
        ("Kim will arrive this afternoon", ("this afternoon", "2025-09-02", "day")),
        ("a concert tonight", ("tonight", "2025-09-02", "day")),
        ("The blast happened yesterday.", ("yesterday", "2025-09-01", "day")),
        ("They will meet tomorrow.", ("tomorrow", "2025-09-03", "day")),
        ("in Tianjin the previous day, Putin", ("the previous day", "2025-09-01", "day")),
        ("they left the following day.", ("the following day", "2025-09-03", "day")),
        ("the rifle found 11 days ago", ("11 days ago", "2025-08-22", "day")),
        ("a summit a month ago.", ("a month ago", "2025-08", "month")),
        ("a summit last month.", ("last month", "2025-08", "month")),
        ("earlier this month", ("earlier this month", "2025-09", "month")),
        ("due next month.", ("next month", "2025-10", "month")),
        ("grew last year.", ("last year", "2024", "year")),
        ("this year,", ("this year", "2025", "year")),
        ("next year.", ("next year", "2026", "year")),
        ("almost four years ago", ("almost four years ago", "2021", "year")),
        # A week is dated to the month of its Thursday (Aug 28 and Sept 4).
        ("he met them last week.", ("last week", "2025-08", "month")),
        ("talks this week", ("this week", "2025-09", "month")),
        ("a week ago", ("a week ago", "2025-08", "month")),
        ("by the end of the year", ("the end of the year", "2025", "year")),
        ("grew late last year", ("late last year", "2024", "year")),
        ("the game last night", ("last night", "2025-09-01", "day")),
    ],
)
def test_relative_expressions(text: str, expected: tuple[str, str, str]) -> None:
    assert found(text, "2025-09-02") == [expected]


def test_yesterday_on_new_years_day_and_tomorrow_on_new_years_eve() -> None:
    assert value_of("It happened yesterday.", "2024-01-01", "yesterday") == "2023-12-31"
    assert value_of("It opens tomorrow.", "2023-12-31", "tomorrow") == "2024-01-01"
    assert value_of("It happened yesterday.", "2024-03-01", "yesterday") == "2024-02-29"


def test_offset_from_a_date() -> None:
    assert found("A day before the 3rd, they met.", "2025-09-02") == [
        ("A day before the 3rd", "2025-08-02", "day")
    ]
    assert found("They left two days after Sept. 13, 2023.", "2025-09-02") == [
        ("two days after Sept. 13, 2023", "2023-09-15", "day")
    ]


def test_same_period_takes_the_latest_earlier_mention() -> None:
    text = (
        "According to Xinhua on the 15th, they met. In remarks released on the same day, Xi said."
    )
    assert found(text, "2022-09-16") == [
        ("the 15th", "2022-09-15", "day"),
        ("the same day", "2022-09-15", "day"),
    ]
    text = "He fled to Florida in June 1998 and returned to Cuba later that year."
    assert found(text, "2000-01-28") == [
        ("June 1998", "1998-06", "month"),
        ("later that year", "1998", "year"),
    ]
    # With no earlier date, "that day" is the article's day; other units stay untagged.
    assert found("Earlier that day, the family sent a fax.", "1999-10-24") == [
        ("Earlier that day", "1999-10-24", "day")
    ]
    assert found("Later that year, the family sent a fax.", "1999-10-24") == []
    assert found("In 1998 he left; that day he wept.", "1999-10-24") == [("1998", "1998", "year")]


def test_holidays() -> None:
    assert value_of(
        "Elian was found Thanksgiving Day clinging", "2000-01-07", "Thanksgiving Day"
    ) == ("1999-11-25")
    assert value_of("from now to Election Day.", "1998-10-26", "Election Day") == "1998-11-03"
    assert value_of("on Good Friday 2024", "2023-01-01", "Good Friday 2024") == "2024-03-29"
    assert found("as Easter week began, and Christmas Island", "2000-04-17") == []


# --- unknown publication date -------------------------------------------------------------


def test_unknown_publication_date_keeps_relative_mentions_unresolved() -> None:
    text = "He left on Wednesday, last week, on Sept. 13, 2023, in 2013 and in May, the 3rd."
    assert found(text, None) == [
        ("Wednesday", None, "day"),
        ("last week", None, "month"),
        ("Sept. 13, 2023", "2023-09-13", "day"),
        ("2013", "2013", "year"),
        ("May", None, "month"),
    ]
    assert found("on Sept. 13 and yesterday", None) == [
        ("Sept. 13", None, "day"),
        ("yesterday", None, "day"),
    ]


# --- false positives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Prices may rise and mothers may go.",
        "May I ask a question?",
        "They march on the capital; the March on Washington was large.",
        "The Sun rose and the Sun newspaper wrote.",
        "About 2,000 people came and 2000 people left.",
        "It is a No. 1 priority.",
        "the 80th anniversary Victory Day military parade",
        "his 14 years in power",
        "over 20 countries critical of the US",
        "Call 555-2018 or 02-2018-1234 now.",
        "the 3rd ‘Belt and Road International Cooperation Summit Forum’",
        "the 3rd Belt and Road Forum on the 3rd floor",
        "six years and eight months, and for two days",
        "Black Friday sales and the Sunday Times report",
        "a speech by May said",
        "the 1990s and the 1990's",
        "The USA Today report",
        "Flight 1998 and Resolution 2231",
        "at 1500 GMT",
        "over the last year prices rose",
    ],
)
def test_false_positives(text: str) -> None:
    assert found(text, "2024-06-19") == []


# --- benchmark helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "kind"),
    [
        ("Aug. 7", "absolute"),
        ("January 1998", "absolute"),
        ("1990", "year"),
        ("late November", "month-name"),
        ("the 15th", "day-of-month"),
        ("Thursday morning", "weekday"),
        ("today", "relative-day"),
        ("11 days ago", "relative-day"),
        ("last year", "relative-period"),
        ("Thanksgiving Day", "holiday"),
        ("the previous day", "relative-day"),
        ("Earlier that day", "anaphoric"),
        ("weeks", "anaphoric"),
        ("the second day", "anaphoric"),
        ("then", "anaphoric"),
        ("the fiscal year", "year-word"),
        ("year-end", "year-word"),
        ("a year earlier", "year-word"),
        ("nineteen ninety-six", "spelled-year"),
        ("the year two thousand", "spelled-year"),
    ],
)
def test_expression_kind(expression: str, kind: str) -> None:
    assert expression_kind(expression) == kind


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("2023-09", (20230901, 20230930)),
        ("2024-02", (20240201, 20240229)),
        ("2023-02", (20230201, 20230228)),
        ("2013", (20130101, 20131231)),
        ("2025-09-02", (20250902, 20250902)),
        ("2024-W25", (20240617, 20240623)),
        ("2021-W01", (20210104, 20210110)),
    ],
)
def test_value_range(value: str, bounds: tuple[int, int]) -> None:
    assert value_range(value) == bounds


@pytest.mark.parametrize("value", ["", "2023-13", "2023-02-30", "23-09", "next week"])
def test_value_range_rejects_malformed_values(value: str) -> None:
    with pytest.raises(ValueError):
        value_range(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2025-09-02", "2 September 2025"),
        ("2023-09", "September 2023"),
        ("2013", "2013"),
        ("2024-W25", "the week of 17 June 2024"),
        ("not a date", "not a date"),
    ],
)
def test_format_value(value: str, text: str) -> None:
    assert format_value(value) == text


# --- counts forward, fortnights, halves, seasons, numeric day-month dates ----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The court will rule in two weeks.", [("in two weeks", "2024-03", "month")]),
        ("The vote comes in 10 days' time.", [("in 10 days' time", "2024-03-24", "day")]),
        ("He'll be back in three days.", [("in three days", "2024-03-17", "day")]),
        ("Two months from now, the law applies.", [("Two months from now", "2024-05", "month")]),
        ("It opens a year from today.", [("a year from today", "2025", "year")]),
        ("The election was held a fortnight ago.", [("a fortnight ago", "2024-02", "month")]),
        ("Half a year ago he left.", [("Half a year ago", "2023-09", "month")]),
        ("Last summer fires burned.", [("Last summer", "2023", "year")]),
        ("This summer the games begin.", [("This summer", "2024", "year")]),
        ("The plant opens early next spring.", [("early next spring", "2025", "year")]),
        ("Sales fell last spring.", [("last spring", "2023", "year")]),
        ("Last autumn the plant closed.", [("Last autumn", "2023", "year")]),
        ("It happened on 25/12/2023.", [("25/12/2023", "2023-12-25", "day")]),
        ("It happened on 12/25/2023.", [("12/25/2023", "2023-12-25", "day")]),
        ("It happened on 3.3.2024.", [("3.3.2024", "2024-03-03", "day")]),
        ("It happened on 03/04/2024.", [("03/04/2024", "2024", "year")]),
    ],
)
def test_counts_seasons_and_numeric_dates(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text, "2024-03-14") == expected


def test_season_is_the_latest_over_or_the_next_to_begin() -> None:
    assert value_of("Last summer fires burned.", "2024-10-01", "Last summer") == "2024"
    assert value_of("Last summer fires burned.", "2024-07-01", "Last summer") == "2023"
    assert value_of("Next summer we go.", "2024-05-31", "Next summer") == "2024"
    assert value_of("Next summer we go.", "2024-06-01", "Next summer") == "2025"


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was built in two years.",  # a duration, not a date
        "He finished the race in 10 days.",
        "It will play its first home playoff game in 30 years.",
        "Jupiter will make its closest approach to Earth in 59 years.",
        "The tour was set to end in two months.",  # counts from another day
        "It will be the second time in two weeks.",
        "It was the last summer of his life.",
        "Investors watched this fall in prices.",
        "Half a day ago he left.",
    ],
)
def test_counts_and_seasons_that_are_no_date(text: str) -> None:
    assert found(text, "2024-03-14") == []


def test_winter_spans_two_years_and_stays_unknown() -> None:
    assert found("Next winter will be hard.", "2024-03-14") == [("Next winter", None, "year")]


def test_forward_counts_without_a_publication_date_stay_unresolved() -> None:
    assert found("The court will rule in two weeks.", None) == [("in two weeks", None, "month")]


# --- the rules' version -----------------------------------------------------------------

# What the date rules find, and what a chunk stores of it, in the project's own texts (the
# bundled articles, the contexts of both date sets), by the version of the rules. Indexes
# store the version on every chunk and ``newsqa ingest`` re-dates unchanged articles tagged
# by an older one, so a change to the rules must raise ``DATE_RULES``.
RULES_FINGERPRINTS = {2: "57cd4b865f5369d9"}


def rules_fingerprint() -> str:
    import hashlib

    from rag.ingest.loaders import load_paths
    from rag.ingest.pipeline import prepare_article
    from rag.tag_dates import article_mentions, date_metadata
    from rag.types import Chunk

    digest = hashlib.sha256()
    for result in load_paths([ROOT / "data" / "articles"]):
        for raw in result.documents:
            article = prepare_article(raw)
            mentions = article_mentions(article)
            for m in mentions:
                digest.update(repr((raw.doc_id, m.start, m.end, m.value, m.granularity)).encode())
            # What a chunk stores (the encoding and the event range), for the whole article.
            text = article.text
            whole = Chunk("x", raw.doc_id, text, 0, 0, len(text), published=article.published)
            digest.update(repr(sorted(date_metadata(whole, mentions).items())).encode())
    for path in (DATES, AQUAINT):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            pub = dt.date.fromisoformat(row["published"])
            for m in find_dates(row["context"], pub):
                digest.update(repr((m.start, m.end, m.value, m.granularity)).encode())
    return digest.hexdigest()[:16]


def test_a_change_to_the_date_rules_raises_their_version() -> None:
    from rag.tag_dates import DATE_RULES

    found = rules_fingerprint()
    assert RULES_FINGERPRINTS.get(DATE_RULES) == found, (
        f"the date rules now find other dates ({found}): raise DATE_RULES in "
        "rag/tag_dates.py and record the new fingerprint here"
    )
