"""How long between two events: parsed, each event dated from its sentence, the interval given."""

from __future__ import annotations

from typing import Any

import pytest

from rag.answer.interval import (
    IntervalQuestion,
    OrderQuestion,
    date_event,
    interval_text,
    parse_interval,
    parse_order_choice,
)


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


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which came first: the harbour summit or Holt's visit to Bergen?",
            OrderQuestion("the harbour summit", "Holt's visit to Bergen", latest=False),
        ),
        (
            "Which happened later, the vote, or the recount?",
            OrderQuestion("the vote", "the recount", latest=True),
        ),
    ],
)
def test_parse_order_choice(question: str, expected: OrderQuestion) -> None:
    assert parse_order_choice(question) == expected


def test_other_questions_are_no_order_choice() -> None:
    assert parse_order_choice("Which came first in the race?") is None
    assert parse_order_choice("Who came first, said the report?") is None
    # "first" and "later" as adverbs of another verb
    assert parse_order_choice("Which was later acquired by Google: Fitbit or Nest?") is None
    assert parse_order_choice("Which was first to land on the moon, the US or China?") is None


def test_a_dash_after_the_order_word_is_not_part_of_the_event() -> None:
    assert parse_order_choice("Which happened first — the vote or the strike?") == (
        OrderQuestion("the vote", "the strike", latest=False)
    )


def _dated(text: str, words: str, value: str, score: float, rank: int) -> Any:
    import datetime as dt

    from rag.answer.evidence import Sentence
    from rag.types import DateMention, Passage
    from vectorstore.bm25_index import tokenize

    passage = Passage(
        chunk_id=f"d{rank}:0", doc_id=f"d{rank}", text=text, score=score,
        published=dt.date(2024, 6, 20), outlet=None, title=None, metadata={},
    )  # fmt: skip
    start = text.index(words)
    mention = DateMention(words, start, start + len(words), value, "day")
    return Sentence(
        rank, passage, 0, len(text), text, mentions=[mention], score=score,
        terms=frozenset(tokenize(text)),
    )  # fmt: skip


def test_the_earlier_of_two_dated_events_answers_which_came_first() -> None:
    from rag.answer.time_answers import answer_which_first

    visit = _dated("Holt's visit to Bergen began on June 12.", "June 12", "2024-06-12", 0.6, 0)
    summit = _dated(
        "The harbour summit opened in Tromsø on Sept. 13.", "Sept. 13", "2023-09-13", 0.5, 1
    )
    question = "Which came first: the harbour summit or Holt's visit to Bergen?"
    asked = parse_order_choice(question)
    assert asked is not None
    answer = answer_which_first("extractive", question, asked, [visit, summit])
    assert answer is not None
    assert answer.short == "the harbour summit"
    assert answer.text.startswith(
        "the harbour summit (13 September 2023 (“Sept. 13” in the article of 20 June 2024)) "
        "[1], before Holt's visit to Bergen (12 June 2024"
    )
    assert [c.doc_id for c in answer.citations] == ["d1", "d0"]
    question = "Which happened later, the harbour summit or Holt's visit?"
    later = parse_order_choice(question)
    assert later is not None
    answer = answer_which_first("extractive", question, later, [visit, summit])
    assert answer is not None
    assert answer.short == "Holt's visit"
    assert ", after the harbour summit (13 September 2023" in answer.text
    # one event undated: no answer
    assert answer_which_first("extractive", question, asked, [visit]) is None


def test_a_date_after_since_does_not_date_the_event() -> None:
    """ "the first meeting since the opening ceremony in early February": February bounds
    the meeting, it is not its date."""
    since = _dated(
        "It was their first meeting since the ceremony in early February.",
        "early February", "2022-02-04", 0.7, 0,
    )  # fmt: skip
    dated = _dated("Their meeting took place on Sept. 15.", "Sept. 15", "2022-09-15", 0.5, 1)
    found = date_event("their meeting", [since, dated])
    assert found is not None
    assert found[0].value == "2022-09-15"
    assert date_event("their meeting", [since]) is None


def test_a_since_clause_that_names_the_event_dates_it() -> None:
    """ "Since the Times broke the news on Sept. 4, China has kept its distance": for a
    question about the news, the date in the since clause is the news's."""
    news = _dated(
        "Since the Times broke the news of the summit on Sept. 4, China has kept quiet.",
        "Sept. 4", "2023-09-04", 0.6, 0,
    )  # fmt: skip
    found = date_event("the Times breaking the news", [news])
    assert found is not None
    assert found[0].value == "2023-09-04"


def test_a_month_and_a_day_inside_it_have_no_order() -> None:
    """A summit "in September 2023" may have come after a visit on 2 September."""
    from dataclasses import replace

    from rag.answer.time_answers import answer_which_first

    summit = _dated("The harbour summit was in September 2023.", "September 2023", "2023-09",
                    0.6, 0)  # fmt: skip
    summit = replace(summit, mentions=[replace(summit.mentions[0], granularity="month")])
    visit = _dated("Holt's visit to Bergen began on Sept. 2.", "Sept. 2", "2023-09-02", 0.5, 1)
    question = "Which came first: the harbour summit or Holt's visit to Bergen?"
    asked = parse_order_choice(question)
    assert asked is not None
    assert answer_which_first("extractive", question, asked, [summit, visit]) is None
