"""Tests for ``rag.temporal.parse_intent``."""

from __future__ import annotations

import datetime as dt

import pytest

from rag.temporal import TemporalIntent, parse_intent


@pytest.mark.parametrize(
    "question",
    [
        "When did Kim last visit China?",
        "what date was the summit held?",
        "On what date did Putin visit Pyongyang?",
        "What day did the leaders meet?",
        "Which year did Xi propose the initiative?",
        "What year was the Belt and Road Initiative launched?",
        "How long ago did Kim visit Beijing?",
        "Since when has Russia been at war with Ukraine?",
        "Do you know when the parade takes place?",
    ],
)
def test_asks_when(question: str) -> None:
    assert parse_intent(question).asks_when is True


@pytest.mark.parametrize(
    "question",
    [
        "Who met Putin in Beijing?",
        "What did Xi say when they met?",
        "Where is the Vostochny Cosmodrome?",
    ],
)
def test_does_not_ask_when(question: str) -> None:
    assert parse_intent(question).asks_when is False


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("When did Kim last visit China?", "latest"),
        ("What is the latest news on the summit?", "latest"),
        ("What was the most recent meeting between Xi and Putin?", "latest"),
        ("Who visited Pyongyang recently?", "latest"),
        ("What has Russia said lately about sanctions?", "latest"),
        ("When did Xi and Putin first meet after the war began?", "earliest"),
        ("What was the earliest summit?", "earliest"),
        ("Who initially proposed the forum?", "earliest"),
        ("Where did the first lady travel?", "earliest"),
        ("Was it a first-ever visit?", "earliest"),
        ("What happened last week in Beijing?", None),
        ("What did Putin do last year?", None),
        ("Who did Lavrov meet in Moscow?", None),
    ],
)
def test_order(question: str, order: str | None) -> None:
    assert parse_intent(question).order == order


def test_relation_before_with_anchor() -> None:
    intent = parse_intent("What happened before the Samarkand meeting?")
    assert (intent.relation, intent.anchor) == ("before", "the Samarkand meeting")


def test_relation_after_with_anchor() -> None:
    intent = parse_intent("Who did Lavrov meet after the Kim-Putin summit in 2023?")
    assert (intent.relation, intent.anchor) == ("after", "the Kim-Putin summit in 2023")


def test_fronted_relation_ends_at_its_comma() -> None:
    intent = parse_intent("Before his September 2025 trip, when had Kim last visited China?")
    assert (intent.relation, intent.anchor) == ("before", "his September 2025 trip")
    # Not fronted: the anchor runs on ("the talks, in Geneva" is one anchor).
    intent = parse_intent("What did Iran say after the talks, in Geneva?")
    assert (intent.relation, intent.anchor) == ("after", "the talks, in Geneva")


def test_relation_prior_to() -> None:
    intent = parse_intent("What did China say prior to the summit?")
    assert (intent.relation, intent.anchor) == ("before", "the summit")


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("Where did Kim and Putin meet in 2023?", (20230101, 20231231)),
        ("Which city hosted the meeting in September 2022?", (20220901, 20220930)),
        ("What happened in Sept. 2022?", (20220901, 20220930)),
        ("What did Xi say between 2022 and 2023?", (20220101, 20231231)),
        ("Who met on 19 June 2024?", (20240619, 20240619)),
        ("Who met on June 19, 2024?", (20240619, 20240619)),
        ("What has changed since 2022?", (20220101, 99991231)),
        ("What was agreed after 2022?", (20230101, 99991231)),
        ("What was agreed before 2023?", (10101, 20221231)),
        # the date of the anchor event, not the bound: what followed it in 2023 counts
        ("Who met in Moscow after the 2023 Kim-Putin summit?", (20230101, 99991231)),
        ("Who met in Beijing just before the 2023 Belt and Road Forum?", (10101, 20231231)),
        ("What was agreed after the September 2022 talks?", (20220901, 99991231)),
        ("What was agreed after the 2022, before the talks?", (20230101, 99991231)),
        ("Who won before the 2023-24 season?", (10101, 20231231)),
        ("Before 2024 elections, who led the polls?", (10101, 20231231)),
        # the last time before / the first time after an anchor: a date inside the anchor
        # bounds the period on one side, whatever word stands before it
        ("Before their September 2022 talks, when had they last met?", (10101, 20220930)),
        ("When had they last met before the talks in Samarkand in 2022?", (10101, 20221231)),
        ("What did they sign first after their 2023 summit in Moscow?", (20230101, 99991231)),
        # without "last"/"first" the anchor's date stays the period ("just before")
        ("Which city hosted the summit just before their 2025 talks?", (20250101, 20251231)),
        ("What happened from March 2022 to May 2023?", (20220301, 20230531)),
        ("What happened in February 2024?", (20240201, 20240229)),
        ("What happened last week?", None),
        ("Who is Mao Ning?", None),
    ],
)
def test_period(question: str, period: tuple[int, int] | None) -> None:
    assert parse_intent(question).period == period


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Which two cities hosted the meetings reported in 2022 and 2025?",
            ((20220101, 20221231), (20250101, 20251231)),
        ),
        (
            "Who won in 2019, 2022 or in 2025?",
            ((20190101, 20191231), (20220101, 20221231), (20250101, 20251231)),
        ),
        # one stretch: a range, a bound, or a single date
        ("What did Xi say between 2022 and 2025?", ()),
        ("What happened from 2020 to 2023?", ()),
        ("What has changed since 2022 and 2023?", ()),
        ("What was agreed after 2022 and before 2025?", ()),
        ("Where did Kim and Putin meet in 2023?", ()),
    ],
)
def test_dates_side_by_side_are_separate_periods(
    question: str, parts: tuple[tuple[int, int], ...]
) -> None:
    intent = parse_intent(question)
    assert intent.parts == parts
    if parts:
        assert intent.period == (parts[0][0], parts[-1][1])


def test_a_possessive_date_dates_its_event() -> None:
    as_of = dt.date(2025, 6, 15)
    assert parse_intent("What happened after last year's summit?", as_of).period == (
        20240101, 99991231,
    )  # fmt: skip
    assert parse_intent("What happened before last year's summit?", as_of).period == (
        10101, 20241231,
    )  # fmt: skip


def test_stripped_removes_temporal_words() -> None:
    assert parse_intent("When did Kim last visit China?").stripped == "did Kim visit China?"
    assert parse_intent("Where did Kim and Putin meet in September 2023?").stripped == (
        "Where did Kim and Putin meet?"
    )
    assert parse_intent("What did Xi say between 2022 and 2023?").stripped == "What did Xi say?"


def test_question_without_temporal_side() -> None:
    assert parse_intent("What is the capital of Australia?") == TemporalIntent(
        stripped="What is the capital of Australia?"
    )


def test_intent_is_frozen() -> None:
    intent = parse_intent("When?")
    with pytest.raises(AttributeError):
        intent.asks_when = False  # type: ignore[misc]


def test_seasons_and_counts_forward_limit_the_period_as_of_the_question_date() -> None:
    as_of = dt.date(2024, 3, 14)
    assert parse_intent("What did the senator do last summer?", as_of).period == (
        20230101,
        20231231,
    )
    assert parse_intent("Who was fired a fortnight ago?", as_of).period == (20240201, 20240229)
    assert parse_intent("What happened on 25/12/2023?", as_of).period == (20231225, 20231225)
    assert parse_intent("What did the senator do last summer?").period is None  # no date
