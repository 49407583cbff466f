"""Questions asked "as of" a date: relative dates in the question, no answers from the future,
fresher passages for questions about the present.

The articles are made up for these tests (dated fixtures), so that only the dates decide.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rag.assistant import check_as_of
from rag.errors import InputError
from rag.retrieve.base import search_visible, visible
from rag.retrieve.recency import freshness, prefer_recent
from rag.temporal import parse_intent
from rag.types import Passage

FRIDAY = dt.date(2024, 1, 19)

ARTICLES = [
    {
        "id": "coach-march",
        "title": "Vellmar Tigers name Orla Brenn head coach",
        "outlet": "Vellmar Courier",
        "published": "2024-03-04",
        "text": "The Vellmar Tigers named Orla Brenn as their new head coach on Monday. "
        "Brenn, 44, coached the junior side for six years before the promotion. "
        "The club said the appointment ends a search that began in January.",
    },
    {
        "id": "coach-june",
        "title": "Vellmar Tigers name Piet Ansel head coach after Brenn exit",
        "outlet": "Vellmar Courier",
        "published": "2024-06-10",
        "text": "The Vellmar Tigers named Piet Ansel as their new head coach on Monday. "
        "Ansel replaces Orla Brenn, who left the club after three months in charge. "
        "Ansel previously led the Dorn Falcons to two league titles.",
    },
    {
        "id": "budget-january",
        "title": "Harbour Council approves port budget",
        "outlet": "Ostrava Bay News",
        "published": "2024-01-17",
        "text": "The Harbour Council approved a port budget of 12 million crowns on Tuesday. "
        "Councillors said the money will pay for dredging the eastern channel.",
    },
    {
        "id": "budget-november",
        "title": "Harbour Council approves port budget",
        "outlet": "Ostrava Bay News",
        "published": "2023-11-08",
        "text": "The Harbour Council approved a port budget of 9 million crowns on Tuesday. "
        "Councillors said the money will pay for new mooring posts on the quay.",
    },
    {
        "id": "race-january-13",
        "title": "Ada Moor wins the Kessel 10k",
        "outlet": "Kessel Post",
        "published": "2024-01-15",
        "text": "Ada Moor won the Kessel 10k road race on Saturday in a course record time. "
        "About 800 runners took part in the race along the river.",
    },
    {
        "id": "race-january-6",
        "title": "Lina Fosse wins the Kessel 10k",
        "outlet": "Kessel Post",
        "published": "2024-01-08",
        "text": "Lina Fosse won the Kessel 10k road race on Saturday in heavy rain. "
        "About 500 runners took part in the race along the river.",
    },
]


# --- the question's own dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "as_of", "period"),
    [
        ("Which company announced layoffs this week?", FRIDAY, (20240113, 20240119)),
        ("What happened over the past week in Gaza?", FRIDAY, (20240113, 20240119)),
        ("Who won the race last weekend?", FRIDAY, (20240113, 20240114)),
        # asked on a Sunday, "last weekend" is the one before
        ("Who won the race last weekend?", dt.date(2024, 1, 21), (20240113, 20240114)),
        ("Who won the race last weekend?", dt.date(2024, 1, 22), (20240120, 20240121)),
        ("What is on this weekend?", FRIDAY, (20240120, 20240121)),
        ("What happened yesterday?", FRIDAY, (20240118, 20240118)),
        # inside the anchor of "the last time before": that far, and before
        ("When had Xi last met Putin before this week's summit?", FRIDAY, (10101, 20240119)),
        # "in May" is the last May not after the question's date ...
        ("What did the Fed decide in May?", FRIDAY, (20230501, 20230531)),
        ("What did the Fed decide in May?", dt.date(2024, 5, 2), (20240501, 20240531)),
        ("What did the Fed decide in May?", dt.date(2024, 12, 1), (20240501, 20240531)),
        # ... unless the question looks forward
        ("What will the Fed do next May?", FRIDAY, (20240501, 20240531)),
        ("What happened in September 2023?", FRIDAY, (20230901, 20230930)),
        ("What happened this year?", FRIDAY, (20240101, 20241231)),
    ],
)
def test_relative_periods_resolve_against_as_of(
    question: str, as_of: dt.date, period: tuple[int, int]
) -> None:
    assert parse_intent(question, as_of).period == period


def test_without_as_of_relative_periods_stay_unresolved() -> None:
    intent = parse_intent("Which company announced layoffs this week?")
    assert intent.period is None
    assert intent.recent is False
    assert intent.stripped == "Which company announced layoffs?"


@pytest.mark.parametrize(
    ("question", "recent"),
    [
        ("Who is the head coach of the Vellmar Tigers?", True),
        ("What is the latest news on the strike?", True),
        ("Which company announced layoffs this week?", True),
        ("When did Kim last visit China?", True),
        # the newest before an event, not the newest now
        ("Before the 2022 talks, when had Kim last visited China?", False),
        ("What was the most recent agreement before the 2022 talks?", False),
        ("Who won the race in 2019?", False),
        ("Why did the council approve the budget?", False),
    ],
)
def test_recent_questions(question: str, recent: bool) -> None:
    assert parse_intent(question, FRIDAY).recent is recent


def test_check_as_of() -> None:
    assert check_as_of(None) == dt.date.today()
    assert check_as_of("") == dt.date.today()
    assert check_as_of("2024-01-19") == FRIDAY
    assert check_as_of(FRIDAY) == FRIDAY
    assert check_as_of(dt.datetime(2024, 1, 19, 23, 30)) == FRIDAY
    with pytest.raises(InputError, match="must look like YYYY-MM-DD, not '19/01/2024'"):
        check_as_of("19/01/2024")


# --- pure helpers ------------------------------------------------------------------------


def _p(i: int, published: dt.date | None) -> Passage:
    return Passage(chunk_id=f"c{i}", doc_id=f"d{i}", text="t", score=1.0, published=published)


def test_visible_hides_only_later_articles() -> None:
    assert visible(_p(0, dt.date(2024, 1, 19)), FRIDAY)
    assert not visible(_p(0, dt.date(2024, 1, 20)), FRIDAY)
    assert visible(_p(0, None), FRIDAY)  # an unknown date is not "the future"
    assert visible(_p(0, dt.date(2030, 1, 1)), None)


def test_search_visible_goes_deeper_when_the_future_crowds_out() -> None:
    pool = [_p(i, dt.date(2025, 1, 1)) for i in range(10)] + [
        _p(10 + i, dt.date(2023, 1, 1)) for i in range(5)
    ]
    depths: list[int] = []

    def search(depth: int) -> list[Passage]:
        depths.append(depth)
        return pool[:depth]

    found = search_visible(search, 3, FRIDAY)
    assert [p.chunk_id for p in found] == ["c10", "c11", "c12"]
    assert depths == [3, 12, 48]  # 12 deep still holds only two visible passages
    depths.clear()
    assert [p.chunk_id for p in search_visible(search, 3, None)] == ["c0", "c1", "c2"]
    assert depths == [3]


def test_prefer_recent_moves_fresh_passages_up_a_few_places() -> None:
    old = [_p(i, dt.date(2020, 1, 1)) for i in range(5)]
    fresh = _p(9, FRIDAY)
    ranked = prefer_recent([*old, fresh], FRIDAY, 4, strength=2.0)
    assert [p.chunk_id for p in ranked] == ["c0", "c1", "c2", "c9"]
    # measured from the newest candidate, not from as_of: a month-old report is "fresh"
    # when nothing newer was found
    month_old = [_p(i, dt.date(2020, 1, 1)) for i in range(5)] + [_p(9, dt.date(2023, 12, 19))]
    assert [p.chunk_id for p in prefer_recent(month_old, FRIDAY, 4)][-1] == "c9"
    assert freshness(FRIDAY, FRIDAY, 14) == 1.0
    assert freshness(FRIDAY - dt.timedelta(days=14), FRIDAY, 14) == 0.5
    assert freshness(None, FRIDAY, 14) == 0.0
    assert freshness(FRIDAY + dt.timedelta(days=1), FRIDAY, 14) == 0.0


# --- end to end, with the real model and Chroma ------------------------------------------


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory, make_assistant: Callable[..., Any]) -> Any:
    folder = tmp_path_factory.mktemp("dated")
    path = folder / "dated.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    assistant = make_assistant(folder / "home")
    report = assistant.ingest([path])
    assert report.added == len(ARTICLES)
    return assistant


def _cited(answer: Any) -> list[str]:
    return [c.doc_id for c in answer.citations]


@pytest.mark.slow
def test_future_articles_are_invisible(dated: Any) -> None:
    question = "Who is the head coach of the Vellmar Tigers?"
    answer = dated.ask(question, as_of=dt.date(2024, 4, 1))
    assert answer.as_of == dt.date(2024, 4, 1)
    assert answer.abstained is False
    assert "Orla Brenn" in answer.text
    assert "coach-june" not in {p.doc_id for p in answer.retrieved}
    assert all(p.published is None or p.published <= answer.as_of for p in answer.retrieved)


@pytest.mark.slow
def test_present_tense_question_prefers_the_newest_report(dated: Any) -> None:
    answer = dated.ask("Who is the head coach of the Vellmar Tigers?", as_of="2024-07-01")
    assert answer.abstained is False
    assert _cited(answer)[0] == "coach-june"
    assert "Piet Ansel" in answer.text


@pytest.mark.slow
def test_this_week_picks_the_report_of_the_week(dated: Any) -> None:
    question = "What port budget did the Harbour Council approve this week?"
    answer = dated.ask(question, as_of=FRIDAY)
    assert answer.abstained is False
    assert _cited(answer)[0] == "budget-january"
    assert "12 million" in answer.text
    before = dated.ask(question, as_of=dt.date(2023, 11, 10))
    assert _cited(before)[0] == "budget-november"
    assert "9 million" in before.text


@pytest.mark.slow
def test_last_weekend(dated: Any) -> None:
    answer = dated.ask("Who won the Kessel 10k last weekend?", as_of=dt.date(2024, 1, 17))
    assert answer.abstained is False
    assert _cited(answer)[0] == "race-january-13"
    assert "Ada Moor" in answer.text
    earlier = dated.ask("Who won the Kessel 10k last weekend?", as_of=dt.date(2024, 1, 10))
    assert _cited(earlier)[0] == "race-january-6"
    assert "Lina Fosse" in earlier.text


@pytest.mark.slow
def test_stream_carries_as_of(dated: Any) -> None:
    pieces = list(dated.stream("Who won the Kessel 10k?", as_of="2024-01-09"))
    final = pieces[-1]
    assert final.as_of == dt.date(2024, 1, 9)
    assert {p.doc_id for p in final.retrieved} <= {
        "race-january-6",
        "budget-november",
    }


@pytest.mark.slow
def test_cli_as_of(dated: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from rag.cli import main

    monkeypatch.setattr("rag.assistant.Embedder", lambda *a, **k: dated.embedder)
    home = str(dated.settings.home)
    question = ["Who", "is", "the", "head", "coach", "of", "the", "Vellmar", "Tigers?"]
    code = main(["--home", home, "ask", "--json", "--as-of", "2024-04-01", *question])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["as_of"] == "2024-04-01"
    assert "Orla Brenn" in data["answer"]
    code = main(["--home", home, "ask", "--as-of", "April 1", *question])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == "newsqa: error: the 'as of' date must look like YYYY-MM-DD, not 'April 1'\n"


def test_as_of_paths_exist(tmp_path: Path) -> None:
    """The chat API documents the parameter it takes."""
    import inspect

    from ui.handlers import ChatApp

    assert "as_of" in inspect.signature(ChatApp.chat_api).parameters
    assert "as_of" in inspect.signature(ChatApp.respond).parameters
