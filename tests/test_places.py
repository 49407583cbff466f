"""Questions that put their event at a place: evidence placed elsewhere ranks lower."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rag.answer.places import elsewhere, places_at


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("When did Lavrov and Wang Yi meet in Beijing?", [{"beij"}]),
        (
            "What is happening at the Franklin Institute in Philadelphia?",
            [{"franklin", "institut"}, {"philadelphia"}],
        ),
        ("Who met in Bear, Delaware?", [{"bear"}]),
        ("The talks in Beijing were tense.", [{"beij"}]),
        ("In Beijing, what did Xi say?", [{"beij"}]),
        # one country, many names
        ("Who won the election in the U.S.?", [{"us"}]),
        ("Who won the election in the United States?", [{"us"}]),
        # a name that qualifies a noun is no place; months and weekdays are none either
        ("What did China say in the Ukraine war?", []),
        ("What happened in October?", []),
        ("Who spoke on Monday in Kyiv's parliament?", []),
        ("In which city did they meet?", []),
        # abbreviations, titles and languages are no places
        ("What did the Fed decide in Jan. 2024?", []),
        ("Who served in the U.S.-led coalition?", []),
        ("What happened in Mr. Smith's office?", []),
        ("He said in English.", []),
        ("When did Putin meet Lukashenko in St. Petersburg?", [{"st", "petersburg"}]),
        ("Trump won in the U.S. Officials said so.", [{"us"}]),
        # what follows "invested in" or "lashed out at" is no place
        ("How much did Microsoft invest in OpenAI?", []),
        ("Trump lashed out at Harris and promised tax cuts.", []),
    ],
)
def test_places_at(text: str, places: list[set[str]]) -> None:
    assert [set(p) for p in places_at(text)] == places


def test_elsewhere() -> None:
    asked = places_at("On what date did Lavrov and Wang Yi hold their meeting in Beijing?")
    assert elsewhere(asked, "Lavrov will meet Wang Yi in Moscow on Monday.") is True
    # names the asked place too, or no place at all: not elsewhere
    assert elsewhere(asked, "Lavrov, in Moscow, said the Beijing talks went well.") is False
    assert elsewhere(asked, "Lavrov met Wang Yi on Monday.") is False
    assert elsewhere(asked, "They met in October.") is False
    # another name of the asked place is no other place; a place that shares a word is
    us = places_at("Who won the election in the US?")
    assert elsewhere(us, "Trump won the election in the United States.") is False
    new_delhi = places_at("When did they meet in New Delhi?")
    assert elsewhere(new_delhi, "They met in New Orleans.") is True
    # a city is no conflict with a country or a US state: it may well lie in it
    russia = places_at("When did Xi and Putin meet in Russia?")
    assert elsewhere(russia, "Xi met Putin in Moscow on Monday.") is False
    florida = places_at("When did Hurricane Milton make landfall in Florida?")
    assert elsewhere(florida, "Milton made landfall in Siesta Key on Wednesday night.") is False
    assert elsewhere(russia, "Xi met Putin in China on Monday.") is True
    # regions whose stemmed names differ from their names ("ukrain", "texa") are regions too
    ukraine = places_at("What did the drones hit in Ukraine?")
    assert elsewhere(ukraine, "The drones struck in Kharkiv on Monday.") is False
    texas = places_at("Who won the primary in Texas?")
    assert elsewhere(texas, "She won in Austin on Tuesday.") is False
    # a question that names no place asks about none
    assert elsewhere([], "Lavrov will meet Wang Yi in Moscow on Monday.") is False


@pytest.mark.slow
def test_when_answer_comes_from_the_asked_place(tmp_path: Any, make_assistant: Any) -> None:
    articles = [
        {
            "id": "plan",
            "title": "Foreign ministers to meet",
            "outlet": "Wire",
            "published": "2023-09-15",
            "text": "Russian Foreign Minister Sergey Lavrov will hold a meeting with Chinese "
            "Foreign Minister Wang Yi in Moscow on Monday, the foreign ministry said.",
        },
        {
            "id": "held",
            "title": "Putin arrives for forum",
            "outlet": "Wire",
            "published": "2023-10-17",
            "text": "Putin arrived on the 17th. Lavrov said at the meeting of foreign "
            "ministers with Wang Yi held in Beijing the previous day that relations "
            "were developing well.",
        },
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    assistant = make_assistant(tmp_path / "home")
    assistant.ingest([path])
    answer = assistant.ask(
        "On what date did Lavrov and Wang Yi hold their foreign ministers' meeting in Beijing?",
        as_of="2023-12-01",
    )
    assert answer.abstained is False
    assert answer.citations[0].doc_id == "held"
    assert answer.text.startswith("16 October 2023")


class _SameEmbedder:
    """Every text the same vector: meaning adds the same to every sentence."""

    def encode_cached(self, texts: list[str]) -> Any:
        import numpy as np

        return np.ones((len(texts), 1))


def _scores(question: str, text: str, place: float) -> list[float]:
    from rag.answer.evidence import candidate_sentences
    from rag.answer.question import analyse
    from rag.answer.sentence_rank import SentenceScorer, Weights
    from rag.types import Passage

    passage = Passage(chunk_id="a:0", doc_id="a", text=text, score=0.8, metadata={})
    sentences = candidate_sentences([passage])
    SentenceScorer(_SameEmbedder(), Weights(place=place)).score(analyse(question), sentences)
    return [s.score for s in sentences]


def test_the_place_penalty_in_the_sentence_score() -> None:
    text = "The envoys met in Moscow on Monday. The envoys met in Beijing on Monday."
    question = "Did the envoys meet in Beijing?"
    with_rule, without = _scores(question, text, 0.1), _scores(question, text, 0.0)
    assert without[0] - with_rule[0] == pytest.approx(0.1)  # Moscow: elsewhere
    assert without[1] == with_rule[1]  # Beijing: the asked place
    # a "where" question asks for the place: another one is no conflict
    where = "Where did the envoys stay in Beijing?"
    assert _scores(where, text, 0.1) == _scores(where, text, 0.0)


def test_a_sentence_is_in_a_listed_period_when_it_falls_in_one_of_them() -> None:
    import datetime as dt

    from rag.answer.evidence import Sentence
    from rag.answer.sentence_rank import in_period
    from rag.types import DateMention, Passage

    def made(value: str | None, published: dt.date | None) -> Sentence:
        passage = Passage(
            chunk_id="a:0", doc_id="a", text="x", score=0.8, metadata={}, published=published
        )
        mentions = [] if value is None else [DateMention("then", 0, 4, value, "day")]
        return Sentence(rank=0, passage=passage, start=0, end=1, text="x", mentions=mentions)

    listed = ((20220101, 20221231), (20250101, 20251231))
    assert in_period(made("2022-09-15", None), *listed) == 1.0
    assert in_period(made("2025-09-02", None), *listed) == 1.0
    # between the listed years: outside both, though inside the span from first to last
    assert in_period(made("2023-10-16", None), *listed) == -1.0
    assert in_period(made("2023-10-16", None), (20220101, 20251231)) == 1.0
    # undated: its article's date decides; neither: no evidence either way
    assert in_period(made(None, dt.date(2023, 10, 17)), *listed) == -1.0
    assert in_period(made(None, None), *listed) == 0.0
