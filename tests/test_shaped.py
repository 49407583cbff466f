"""Answers of a fixed shape: how someone travelled ("by car"), the words someone used."""

from __future__ import annotations

from typing import Any

import pytest

from rag.answer.shaped import (
    asked_name,
    asks_means,
    asks_previous_occasion,
    asks_wording,
    description,
    first_found,
    means_phrase,
    previous_occasion,
    quoted_words,
)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How did Putin get from Tianjin to Beijing for his talks with Xi?", True),
        ("how did putin get from tianjin to beijing", True),
        ("How did Putin travel to Beijing in October 2023?", True),
        ("How did Kim arrive in Russia?", True),
        ("How will the delegation return home?", True),
        ("What means of transport had he used on his 2018 visit?", True),
        # no travel: how something went, how someone got rich, how someone described it
        ("How did the market go?", False),
        ("How did China get so rich?", False),
        ("How did Kim describe the relations?", False),
        ("How many people travelled to the summit?", False),
        ("How did the Taliban come to power?", False),
        ("How did the company return to profit?", False),
        ("How did the Fed get to 5%?", False),
        ("How did voters react when Trump returned to office?", False),
        ("How did they arrive at a decision?", False),
    ],
)
def test_asks_means(question: str, asks: bool) -> None:
    assert asks_means(question) is asks


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("President Putin traveled to Beijing by car.", "by car"),
        ("Putin arrived in Beijing, China by flight on the morning of the 17th.", "by flight"),
        ("Kim arrived by a special armoured train.", "by special armoured train"),
        ("Kim arrived on his armoured train.", "armoured train"),
        ("In 2018 he used a high-speed train.", "high-speed train"),
        ("Putin met Xi in Beijing on Tuesday.", None),
        ("By train, the trip takes a day.", "by train"),
        ("He came on foot.", "on foot"),
        # no means of travel: a route without "by", a noun phrase ending in a route word
        ("The economy is on the road to recovery.", None),
        ("The Taliban took control of land.", None),
        ("Israel used air strikes.", None),
    ],
)
def test_means_phrase(sentence: str, phrase: str | None) -> None:
    assert means_phrase(sentence, "How did he travel?") == phrase


def test_a_means_the_question_names_is_not_the_answer() -> None:
    """ "as opposed to going by car": the car is the contrast, the train the answer."""
    question = "How did Putin travel in 2018, as opposed to going by car this time?"
    text = "Putin chose to travel by car this time, unlike 2018, when he used a high-speed train."
    assert means_phrase(text, question) == "high-speed train"
    assert first_found(["Putin met Xi.", text], question, means_phrase) == (
        1, "high-speed train",
    )  # fmt: skip
    assert first_found(["Putin met Xi."], question, means_phrase) is None


@pytest.mark.slow
def test_how_someone_travelled_is_answered_with_the_means(assistant: Any) -> None:
    answer = assistant.ask("how did putin get from tianjin to beijing")
    assert answer.abstained is False
    assert answer.short == "by car"
    assert answer.text.startswith("by car [1]. “After concluding the SCO summit in Tianjin")
    assert [c.doc_id for c in answer.citations] == ["000_075620075a1fb010"]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("How did Kim Jong-un describe North Korea-Russia relations?", True),
        ("What word did Putin use for the actions of the United States?", True),
        ("Rachel Reeves used what term to describe her economic plan?", True),
        ("What did Trump call his tariffs?", True),
        ("How did Beijing characterise the talks?", True),
        # asking for something else
        ("What did the protesters call for?", False),
        ("How did Putin get there?", False),
        ("What did Kim say about the talks?", False),
        ("What are the terms of the ceasefire deal?", False),
        ("What is the record label of Taylor Swift?", False),
        ("How did Ukraine use the drones?", False),
        ("How did the UN call for a ceasefire?", False),
        ("How did Twitter users react to the ban?", False),
    ],
)
def test_asks_wording(question: str, asks: bool) -> None:
    assert asks_wording(question) is asks


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Kim would make the relations a “No. 1 priority” in foreign policy.", "No. 1 priority"),
        ("Kim described the actions of the US as a “provocation”.", "provocation"),
        ("Kim's ‘medicine’ is working, he said.", "medicine"),
        ('Kim called it "a disgrace" on Monday.', "a disgrace"),
        # a quoted sentence is no word someone used for a thing; no quotation at all
        ("“Russia appreciates China’s balanced view of the Ukraine crisis,” Kim said.", None),
        ("Kim called the relations important.", None),
    ],
)
def test_quoted_words(sentence: str, words: str | None) -> None:
    assert quoted_words(sentence, "How did Kim describe it?") == words
    # whoever used the words must be named: the question names nobody
    assert quoted_words(sentence, "How did he describe it?") is None


def test_the_words_are_those_of_whoever_the_question_names() -> None:
    """ "How did Reuters describe ...?" is not answered by a professor's quoted words."""
    question = "How did Reuters describe China's role for North Korea?"
    assert quoted_words("Kang said Kim could “capitalize on the situation”.", question) is None
    said = "Reuters called China the North's “lifeline”."
    assert quoted_words(said, question) == "lifeline"


def test_words_the_question_already_says_are_not_the_answer() -> None:
    text = "Reeves called the plan “securonomics”, not a “plan”."
    assert quoted_words(text, "What word did Reeves use for the plan?") == "securonomics"
    plan = "Reeves said it was a “plan”."
    assert quoted_words(plan, "What word did Reeves use for the plan?") is None


@pytest.mark.slow
def test_how_someone_described_something_is_answered_with_the_quoted_words(
    assistant: Any,
) -> None:
    answer = assistant.ask(
        "What word did Putin use for the actions of the United States and its allies "
        "regarding Taiwan when he met Xi in Samarkand?"
    )
    assert answer.abstained is False
    assert answer.short == "provocation"
    assert answer.citations[0].doc_id == "002_aaca5e63689b7572"


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who is Mao Ning?", "Mao Ning"),
        ("who is choe son-hui", "choe son-hui"),
        ("What is Yuri Ushakov's role, as described in the report?", "Yuri Ushakov"),
        ("What does Park Won-gon do?", "Park Won-gon"),
        # a role asked for, a clause, a lower-case phrase that is no name
        ("Who is the spokesperson for the ministry?", None),
        ("Who is Senator Bob Menendez accused of bribing?", None),
        ("Who is leading the polls?", None),
        ("Who was Putin meeting in Beijing?", None),
    ],
)
def test_asked_name(question: str, name: str | None) -> None:
    assert asked_name(question) == name


@pytest.mark.parametrize(
    ("sentence", "question", "said"),
    [
        ("In fact, Mao Ning, the spokesperson of China’s Ministry of Foreign Affairs has been "
         "repeating for days that the visit is a bilateral matter.", "Who is Mao Ning?",
         "the spokesperson of China’s Ministry of Foreign Affairs"),
        ("Yuri Ushakov, an aide to the Kremlin, told TASS on the 29th.",
         "What is Yuri Ushakov's position?", "an aide to the Kremlin"),
        ("Park Won-gon, professor of North Korea studies at Ewha Womans University, said so.",
         "Who is Park Won-gon?", "professor of North Korea studies at Ewha Womans University"),
        ("Lavrov will meet North Korean Foreign Minister Choe Son-hui, through which they "
         "will discuss the summit.", "who is choe son-hui", "North Korean Foreign Minister"),
        ("Lena Holt is the mayor of Bergen.", "Who is Lena Holt?", "the mayor of Bergen"),
        ("Mao Ning said so on Monday.", "Who is Mao Ning?", None),
        ("Maria Zakharova, the spokesperson, said so.", "Who is Mao Ning?", None),
    ],
)  # fmt: skip
def test_description(sentence: str, question: str, said: str | None) -> None:
    assert description(sentence, question) == said


@pytest.mark.slow
def test_who_a_named_person_is_is_answered_with_the_description(assistant: Any) -> None:
    answer = assistant.ask("Who is Mao Ning?")
    assert answer.abstained is False
    assert answer.short == "the spokesperson of China’s Ministry of Foreign Affairs"
    assert answer.citations[0].doc_id == "001_8bacbee5ccb4060f"


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What is the Diaoyutai State Guesthouse?", "Diaoyutai State Guesthouse"),
        ("What is One Belt, One Road?", "One Belt, One Road"),
        ("What is NATO, according to the article?", "NATO"),
        ("What is the Ministry of Foreign Affairs?", "Ministry of Foreign Affairs"),
        # no name, or the value of a named thing's property
        ("What is the capital of France?", None),
        ("What is Putin's plan?", None),
        ("What is the Oxford Dictionary’s Word of the Year?", None),
    ],
)
def test_asked_name_of_a_thing(question: str, name: str | None) -> None:
    assert asked_name(question) == name


def test_what_a_named_thing_is() -> None:
    belt = (
        "‘One Belt, One Road’ is a Eurasian metropolitan economic zone initiative advocated "
        "by President Xi in 2013 and is considered a key policy."
    )
    assert description(belt, "What is One Belt, One Road?") == (
        "a Eurasian metropolitan economic zone initiative advocated by President Xi in 2013"
    )
    guesthouse = "The motorcade entered the Diaoyutai State Guesthouse, the official residence."
    assert description(guesthouse, "What is the Diaoyutai State Guesthouse?") == (
        "the official residence"
    )
    # a title before a name says who someone is, not what a thing is
    titled = "He met Foreign Minister Choe Son-hui."
    assert description(titled, "who is choe son-hui") == "Foreign Minister"
    assert description("He met the Chinese Foreign Ministry in Beijing.",
                       "What is the Foreign Ministry?") is None  # fmt: skip


@pytest.mark.slow
def test_what_a_named_thing_is_is_answered_with_the_description(assistant: Any) -> None:
    answer = assistant.ask("What is the Diaoyutai State Guesthouse?")
    assert answer.abstained is False
    assert answer.short == "the official guest residence in China"
    assert answer.citations[0].doc_id == "000_075620075a1fb010"


@pytest.mark.parametrize(
    ("question", "relation", "asks"),
    [
        ("At what event had Holt and Berg met before the harbour summit?", "before", True),
        ("On what occasion had they last met before the summit?", "before", True),
        ("Which event did they attend before the talks?", "before", True),
        ("Which ceremony did they attend before the talks?", "before", False),
        ("At what event did they meet after the summit?", "after", False),
        ("What event did they attend?", None, False),
        ("Where had they met before the summit?", "before", False),
    ],
)
def test_asks_previous_occasion(question: str, relation: str | None, asks: bool) -> None:
    assert asks_previous_occasion(question, relation) is asks


@pytest.mark.parametrize(
    ("sentence", "occasion"),
    [
        (
            "It is the first meeting of the two mayors since the opening of the Bergen "
            "ferry terminal in early March, and the first since the strike.",
            "the opening of the Bergen ferry terminal",
        ),
        ("It was their first meeting since the 2019 harbour summit.", "the 2019 harbour summit"),
        ("It was the first meeting since the St. Petersburg forum.", "the St. Petersburg forum"),
        (
            "It was the first meeting since the G20 summit in Bali last November.",
            "the G20 summit in Bali",
        ),
        (
            "It was the first meeting since the summit at Mar-a-Lago in 2019.",
            "the summit at Mar-a-Lago",
        ),
        # dates, not occasions; "since then"; nothing of what is asked about; a comma
        # between "first" and "since"
        ("It was their first meeting since March 2021.", None),
        ("It was the first meeting since the 17th of March.", None),
        ("It was the first meeting since the end of 2021.", None),
        ("It was the first meeting since the summer.", None),
        ("It was the first meeting since then.", None),
        ("It was the first rainfall since the drought began.", None),
        ("Holt, who first met Berg in 2013, said it was the best meeting since the war.", None),
    ],
)
def test_previous_occasion(sentence: str, occasion: str | None) -> None:
    assert previous_occasion(sentence, {"met", "mayor"}) == occasion  # "met": "meeting"
