"""The "when" path: a date refined by a close runner-up, and the day of the week."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rag.answer.compose import weekday
from rag.answer.evidence import Sentence
from rag.answer.extractive import closest
from rag.answer.question import analyse
from rag.answer.time_answers import answer_when
from rag.types import DateMention, Passage

PUB = dt.date(2023, 10, 17)


def dated(text: str, words: str, value: str, granularity: str, score: float, rank: int) -> Sentence:
    passage = Passage(
        chunk_id=f"d{rank}:0", doc_id=f"d{rank}", text=text, score=score, published=PUB,
        outlet=None, title=None, metadata={},
    )  # fmt: skip
    start = text.index(words)
    mention = DateMention(words, start, start + len(words), value, granularity)
    return Sentence(rank, passage, 0, len(text), text, mentions=[mention], score=score)


CAPTION = ("Putin poses at the Belt and Road Forum in October 2023 in Beijing.", "October 2023",
           "2023-10", "month")  # fmt: skip
ARRIVAL = ("Putin arrived in Beijing by flight on the morning of the 17th.", "the 17th",
           "2023-10-17", "day")  # fmt: skip
OTHER_MONTH = ("Putin flew to Beijing on the 30th of last month.", "the 30th of last month",
               "2023-09-30", "day")  # fmt: skip
QUESTION = "When did Putin fly into Beijing for the Belt and Road Forum?"


def when(*sentences: tuple[tuple[str, str, str, str], float]) -> Any:
    typed = [dated(*s, score, rank) for rank, (s, score) in enumerate(sentences)]
    return answer_when("extractive", QUESTION, analyse(QUESTION, PUB), typed)


def test_a_close_runner_up_gives_the_day_of_the_best_sentences_month() -> None:
    answer = when((CAPTION, 0.65), (ARRIVAL, 0.62))
    assert answer.short == "17 October 2023"
    assert answer.text.startswith(
        "17 October 2023 (“the 17th” in the article of 17 October 2023) [1]."
    )
    assert [c.doc_id for c in answer.citations] == ["d1", "d0"]


@pytest.mark.parametrize(
    ("runner_up", "score"),
    [(ARRIVAL, 0.5), (OTHER_MONTH, 0.64)],  # scored too far below; a day of another month
)
def test_the_month_stands_without_a_close_runner_up_inside_it(
    runner_up: tuple[str, str, str, str], score: float
) -> None:
    answer = when((CAPTION, 0.65), (runner_up, score))
    assert answer.short == "October 2023"
    assert [c.doc_id for c in answer.citations] == ["d0"]


YEAR = ("Putin has visited Beijing every year since 2023, aides said.", "2023", "2023", "year")


def test_a_year_or_a_question_for_a_month_is_not_refined() -> None:
    """A year is too wide to say that a day in it is the same event; "In what month" asks
    for the month."""
    assert when((YEAR, 0.65), (ARRIVAL, 0.64)).short == "2023"
    question = "In what month did Putin fly into Beijing for the Belt and Road Forum?"
    typed = [dated(*CAPTION, 0.65, 0), dated(*ARRIVAL, 0.64, 1)]
    assert answer_when("extractive", question, analyse(question, PUB), typed).short == (
        "October 2023"
    )


def test_a_day_is_not_refined_further() -> None:
    answer = when((ARRIVAL, 0.65), (OTHER_MONTH, 0.64))
    assert answer.short == "17 October 2023"


@pytest.mark.parametrize(
    ("value", "day"),
    [("2023-09-13", "Wednesday"), ("2022-09-16", "Friday"), ("2023-09", None), ("2023", None),
     ("2024-W25", None), ("2023-02-30", None), (None, None)],
)  # fmt: skip
def test_weekday(value: str | None, day: str | None) -> None:
    assert weekday(value) == day


def test_a_day_of_the_week_question_is_answered_with_the_weekday() -> None:
    question = "What day of the week did Putin arrive in Beijing?"
    typed = [dated(*ARRIVAL, 0.7, 0)]
    answer = answer_when("extractive", question, analyse(question, PUB), typed)
    assert answer.short == "Tuesday"  # 17 October 2023
    assert answer.text.startswith("Tuesday, 17 October 2023 (“the 17th” in the article of")
    # "weekday" elsewhere in a "when" question asks for the date
    other = "When did weekday flights to Beijing resume?"
    assert answer_when("extractive", other, analyse(other, PUB), typed).short == "17 October 2023"
    month = [dated(*CAPTION, 0.7, 0)]
    assert answer_when("extractive", question, analyse(question, PUB), month).short == (
        "October 2023"  # no day, so no weekday: nothing is invented
    )


def test_a_decline_shows_the_drafts_passage_then_the_close_ones() -> None:
    """Not the retriever's order: the passage of the withheld draft, then those of sentences
    scored at least ``CLOSE`` of the best; weaker ones are not shown."""
    best = dated(*ARRIVAL, 0.60, 2)  # found in the retriever's third passage
    near = dated(*CAPTION, 0.50, 1)  # 0.83 of the best
    far = dated(*OTHER_MONTH, 0.40, 0)  # 0.67 of the best
    passages = [far.passage, near.passage, best.passage]
    assert [p.doc_id for p in closest(passages, [best, near, far])] == ["d2", "d1"]
    assert [p.doc_id for p in closest(passages, [best, near, far], ["d0:0"])] == ["d0", "d2", "d1"]
    assert [p.doc_id for p in closest(passages, [])] == ["d0"]  # nothing read: the first
    assert closest([], []) == []


def test_the_asked_event_not_its_setting_dates_the_answer() -> None:
    """ "... meet Xi during his trip for the forum?": the forum's sentence scores higher on
    the question's words, but it dates the trip; the close one that names the meeting
    answers."""
    from dataclasses import replace

    from vectorstore.bm25_index import tokenize

    forum = ("Putin will attend the Belt and Road Forum held in Beijing from the 17th.",
             "the 17th", "2023-10-17", "day")  # fmt: skip
    meeting = ("Putin is also planning a meeting with Xi on the 18th.", "the 18th",
               "2023-10-18", "day")  # fmt: skip
    question = "On what date was Putin to meet Xi during his trip for the Belt and Road forum?"

    def ask(meeting_score: float, q: str = question) -> str | None:
        typed = [
            replace(s, terms=frozenset(tokenize(s.text)))
            for s in (dated(*forum, 0.50, 0), dated(*meeting, meeting_score, 1))
        ]
        return answer_when("extractive", q, analyse(q, PUB), typed).short

    assert ask(0.43) == "18 October 2023"
    assert ask(0.35) == "17 October 2023"  # too far below the best: the best stands
    # a fronted setting: the event is asked after its comma
    fronted = "During his trip for the Belt and Road forum, when was Putin to meet Xi?"
    assert ask(0.43, fronted) == "18 October 2023"
    # no setting word: the best sentence answers
    assert ask(0.43, "When was Putin to meet Xi at the Belt and Road forum?") == "17 October 2023"
