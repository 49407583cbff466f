"""How long between two events: parsed, each event dated from its sentence, the interval given."""

from __future__ import annotations

from typing import Any

import pytest

from rag.answer.interval import IntervalQuestion, interval_text, parse_interval


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "How many months passed between the harbour summit and Holt's visit to Bergen?",
            IntervalQuestion("the harbour summit", "Holt's visit to Bergen", "month"),
        ),
        (
            "Roughly how many years separate the Samarkand meeting from their Beijing summit?",
            IntervalQuestion("the Samarkand meeting", "their Beijing summit", "year"),
        ),
        (
            "How much time passed between the vote and the recount?",
            IntervalQuestion("the vote", "the recount", "day"),
        ),
    ],
)
def test_parse_interval(question: str, expected: IntervalQuestion) -> None:
    assert parse_interval(question) == expected


def test_other_questions_are_not_intervals() -> None:
    assert parse_interval("How many people attended the summit?") is None
    assert parse_interval("Which two cities hosted the talks?") is None


def test_interval_text_rounds_to_the_nearest_unit() -> None:
    assert interval_text("2023-09-13", "2024-06-19", "month") == "9 months"
    assert interval_text("2022-09-15", "2025-09-01", "year") == "3 years"
    assert interval_text("2024-06-19", "2024-06-12", "week") == "1 week"
    assert interval_text("2024-06-19", "2024-06-20", "month") is None  # under half a month


@pytest.mark.slow
def test_interval_between_events_of_two_articles(news_assistant: Any) -> None:
    summit = {
        "id": "summit",
        "title": "Harbour summit opens in Tromsø",
        "outlet": "Fjord Post",
        "published": "2023-09-15",
        "text": "Mayors from twelve ports met at the harbour summit in Tromsø on Sept. 13.\n\n"
        "The summit agreed on shared ferry timetables.",
    }
    visit = {
        "id": "visit",
        "title": "Holt tours Bergen",
        "outlet": "Coast News",
        "published": "2024-06-19",
        "text": "Mayor Lena Holt's visit to Bergen on Wednesday focused on the new ferry "
        "terminal.\n\nShe met dock workers and the port authority.",
    }
    assistant = news_assistant(summit, visit, abstention="never")
    answer = assistant.ask(
        "How many months passed between the harbour summit in Tromsø and Holt's visit to Bergen?",
        as_of="2024-07-01",
    )
    assert answer.short == "9 months"
    assert answer.text.startswith("9 months [1] [2]: from 13 September 2023")
    assert "to 19 June 2024" in answer.text
    assert {c.doc_id for c in answer.citations} == {"summit", "visit"}
    # An event no sentence dates: no interval is made up.
    other = assistant.ask(
        "How many months passed between the harbour summit and the opening of the bridge?",
        as_of="2024-07-01",
    )
    assert other.short is None or "month" not in other.short
