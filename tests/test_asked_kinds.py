"""Kinds of question with their own answer rules: "How often ...?" (a frequency), "What is
the name of ...?" (a name, not a common phrase), "thing" heads a country does not answer,
"What kind of satellite ...?" (the head noun with the words that say which kind), and the
capitals of a headline, which make no name."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from rag.answer.candidates import Candidate
from rag.answer.evidence import frequency
from rag.answer.qtype import AnswerType, expected_type, written_as_name
from rag.answer.question import analyse
from rag.answer.shortform import (
    Weights,
    headline_case,
    modified_heads,
    new_to_question,
    pick_shorts,
    sentence_candidates,
    thing_fit,
)
from rag.types import Passage
from vectorstore.bm25_index import tokenize

# --- How often ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ('They agreed to hold the dialogue "regularly."', "regularly"),
        ("The summit is held every two years in a member state.", "every two years"),
        ("The committee meets twice a year.", "twice a year"),
        ("Inspectors visit once a month.", "once a month"),
        ("The race has been run annually since 1903.", "annually"),
        ("Ministers meet on a rotating basis.", "on a rotating basis"),
        ("The games are held once every four years.", "once every four years"),
        ("The board meets twice yearly.", "twice yearly"),
        ("The two countries regularly hold talks.", "regularly"),
        ("Annually, the festival draws crowds.", "Annually"),
        ("The board meets monthly except in August.", "monthly"),
        ("Trains run every 15 minutes.", "every 15 minutes"),
        ("The leaders congratulated each other.", None),
        ("The talks lasted two years.", None),
        # an adverb's adjective before a noun, or in a name, is no frequency
        ("The Daily Mail reported the deal.", None),
        ("Quarterly revenue rose and the daily death toll fell.", None),
    ],
)
def test_a_frequency_is_found_in_a_sentence(sentence: str, found: str | None) -> None:
    assert frequency(sentence) == found


@pytest.mark.parametrize(
    "question",
    [
        "How often did Seoul and Beijing agree to hold their dialogue?",
        "How frequently will the G20 summit be held?",
    ],
)
def test_how_often_asks_for_a_frequency(question: str) -> None:
    info = analyse(question)
    assert (info.atype, info.qtype) == (AnswerType("frequency", "frequency"), "frequency")


ARTICLE = {
    "id": "dialogue",
    "title": "Glenmoor and Ardley to hold regular talks",
    "outlet": "Glenmoor Gazette",
    "published": "2024-10-01",
    "text": "The mayors of Glenmoor and Ardley met on Monday to discuss the shared ferry "
    "service. The two councils agreed to hold their transport dialogue twice a year. The "
    "ferry carried 12,000 passengers last summer.",
}


@pytest.mark.slow
def test_how_often_is_answered_with_the_frequency_its_sentence_states(
    news_assistant: Any,
) -> None:
    assistant = news_assistant(ARTICLE)
    answer = assistant.ask("How often will the two councils hold their transport dialogue?")
    assert answer.abstained is False
    assert answer.short == "twice a year"
    assert answer.text == (
        "twice a year [1]. “The two councils agreed to hold their transport dialogue twice a "
        "year.” [1]"
    )
    assert [c.doc_id for c in answer.citations] == ["dialogue"]


@pytest.mark.slow
def test_how_often_with_no_frequency_in_the_articles_is_declined(news_assistant: Any) -> None:
    article = {**ARTICLE, "text": ARTICLE["text"].replace(" twice a year", "")}
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask("How often will the two councils hold their transport dialogue?")
    assert answer.abstained is True
    assert answer.short is None


# --- The name of ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Adelaide Cottage", True),
        ("2024 PT", True),
        ("the Burgercuda", True),
        ("“MaXXXine”", True),
        ("diplomatic front", False),
        ("the treaty", False),
        ("“the deal”", False),
        ("the “Burgercuda”", True),
        ("iPhone 16", True),
        ("The", False),
        ("", False),
    ],
)
def test_written_as_a_name(text: str, name: bool) -> None:
    assert written_as_name(text) is name


def test_possessives_and_plurals_in_questions() -> None:
    assert expected_type("Scientists have mapped which animal's brain?").head == "animal"
    assert expected_type("Which country's court ruled on the ballot?").kind == "country"
    assert expected_type("Which women's team won the title?").head == "team"
    # a pronoun owns nothing asked for: the head is the word after it
    assert expected_type("Trump said what he's planning for Gaza?").head == "planning"
    assert expected_type("Which Israelis were freed by Hamas?").plural is True
    assert expected_type("Which series won the award?").plural is False


def test_the_name_of_asks_for_a_name() -> None:
    named = expected_type("What is the name of the treaty Putin and Kim signed?")
    assert named == AnswerType("thing", "treaty", named=True)
    assert expected_type("What was the name of the storm that hit Britain?").named is True
    assert expected_type("Which treaty did Putin and Kim sign?").named is False


class NearEmbedder:
    """Every phrase is equally near the head noun: only the rules tell them apart."""

    def encode_cached(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 1))


def ranked_sentence(text: str) -> Any:
    passage = Passage(chunk_id="a:0", doc_id="a", text=text, score=0.8, metadata={})
    return SimpleNamespace(text=text, score=0.8, passage=passage, mentions=[])


def test_a_common_phrase_does_not_answer_the_name_of() -> None:
    s = [ranked_sentence("The leaders opened a new diplomatic front on Wednesday.")]
    question = "What is the name of the pact the leaders signed?"
    atype = expected_type(question)
    found = pick_shorts(question, ("leader", "sign"), atype, s, NearEmbedder())
    assert found == []
    unnamed = "Which pact did the leaders sign?"
    found = pick_shorts(unnamed, ("leader", "sign"), expected_type(unnamed), s, NearEmbedder())
    assert len(found) == 1
    assert not written_as_name(found[0].text)  # a common phrase answers "Which pact"


# --- Countries and other things -------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "phrase", "fits"),
    [
        ("treaty", "Russia and North Korea", 0.0),
        ("treaty", "Russia", 0.0),
        ("treaty", "North Korea, China and Russia", 0.0),
        ("treaty", "Russia, China, and Iran", 0.0),
        ("allies", "France and Germany", 1.0),  # a plural role
        ("treaty", "Treaty of Rome", 1.0),
        ("partner", "the United States", 1.0),  # a country may be a partner
        ("treaty", "Kim Jong-un", 1.0),  # no country: left to meaning
    ],
)
def test_a_country_answers_no_other_thing(head: str, phrase: str, fits: float) -> None:
    c = Candidate(phrase, "name", 0, len(phrase))
    assert thing_fit(AnswerType("thing", head), c, 1.0, Weights()) == fits


# --- Acronyms -------------------------------------------------------------------------------


def test_a_sentence_that_spells_out_an_acronym_of_the_question_covers_it() -> None:
    from rag.answer.evidence import acronyms_of, spelled_out

    def spelled(question: str, sentence: str) -> frozenset[str]:
        return spelled_out(acronyms_of(question), sentence)

    text = "Leaders met at the Asia-Pacific Economic Cooperation summit in San Francisco."
    assert spelled("Where was the APEC summit held?", text) == frozenset({"apec"})
    assert spelled("What did the FBI say?", "The Federal Bureau of Investigation said.") == (
        frozenset({"fbi"})
    )
    assert spelled("Which US state sued?", "Judges of the United States Supreme Court") == (
        frozenset({"us"})
    )
    # a stop word or a sentence's first word that opens a run spells out nothing
    assert spelled("Which AI firm was fined?", "After Israel struck Gaza.") == frozenset()
    assert spelled("Which US state sued?", "Unlike Sunak, Starmer spoke.") == frozenset()
    assert spelled("Which US state sued?", "The United States sued.") == frozenset({"us"})
    # the acronym opens the run's initials: "Attorney General Ursula Smith" is no "US"
    assert spelled("Which US state sued?", "Attorney General Ursula Smith sued.") == (frozenset())
    assert spelled("Where was the summit held?", text) == frozenset()  # no acronym asked


def test_coverage_counts_an_acronym_spelled_out() -> None:
    from rag.answer.evidence import candidate_sentences
    from rag.answer.sentence_rank import SentenceScorer

    text = (
        "Delegates will attend the Asia-Pacific Economic Cooperation summit in San Francisco. "
        "A summit of fishing ministers was held in Ardley last week."
    )
    passage = Passage(chunk_id="a:0", doc_id="a", text=text, score=0.8, metadata={})
    apec, ardley = candidate_sentences([passage])
    info = analyse("Where will the APEC summit be held?")
    assert info.terms == ("apec", "summit", "held")
    SentenceScorer(NearEmbedder()).score(info, [apec, ardley])
    # idf over the two sentences: "apec" and "held" in one each, "summit" in both
    rare, common = math.log(3 / 1.5), math.log(3 / 2.5)
    assert apec.coverage == pytest.approx((rare + common) / (2 * rare + common))
    assert ardley.coverage == pytest.approx((rare + common) / (2 * rare + common))


# --- What kind of ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "head", "phrases"),
    [
        ("What if North Korea puts an operational spy satellite into orbit?", "satellite",
         ["operational spy satellite"]),
        ("It would face pressure against its efforts to penetrate the European market.",
         "market", ["European market"]),
        ("Russia is trying to build an ‘anti-American camp’ with them.", "camp",
         ["anti-American camp"]),
        ("They ban quantum computing services and other services.", "services",
         ["quantum computing services"]),
        # a verb, an owner, a number, a function word or a date word says no kind
        ("Russia is using North Korea to supply conventional weapons.", "weapons",
         ["conventional weapons"]),
        ("China’s market grew, and the 2023 market and the May market did not.", "market",
         []),
        ("The council approved three ferries and many boats.", "ferries", []),
        ("Engineers built a 500-tonne satellite.", "satellite", []),
        ("China launched a dozen satellites and 300 million doses.", "satellites", []),
        # a preposition ends the run; a second word in -ed is a verb; after "to", the word
        # next to the head may still say which kind
        ("Russia sent arms, including ballistic missiles.", "missiles", ["ballistic missiles"]),
        ("North Korea fired ballistic missiles on Monday.", "missiles", ["ballistic missiles"]),
        ("Germany is switching to renewable energy.", "energy", ["renewable energy"]),
        ("He attended the 80th anniversary parade.", "anniversary", []),
    ],
)  # fmt: skip
def test_the_head_with_the_words_that_say_which_kind(
    sentence: str, head: str, phrases: list[str]
) -> None:
    assert [c.text for c in modified_heads(sentence, head)] == phrases


def test_a_word_of_the_question_says_no_kind() -> None:
    # "What kind of weapons did Russia buy?": "buy" is the question's verb, not a kind
    asked = {"kind", "weapon", "russia", "buy"}
    found = modified_heads("Russia would buy conventional weapons.", "weapons", asked)
    assert [c.text for c in found] == ["conventional weapons"]


def test_a_kind_of_the_head_fits_and_is_new_to_the_question() -> None:
    question = "What kind of satellite did Kang say North Korea might launch?"
    tokens = set(tokenize(question))
    atype = expected_type(question)
    assert atype == AnswerType("thing", "satellite", sort=True)
    spy = Candidate("spy satellite", "noun", 0, 13)
    assert new_to_question(spy, tokens, atype) is True
    assert thing_fit(atype, spy, 0.0, Weights()) == 1.0  # by its words, not its meaning
    # the head alone, or with a word of the question, says nothing new
    assert new_to_question(Candidate("satellite", "noun", 0, 9), tokens, atype) is False
    assert new_to_question(Candidate("North satellite", "noun", 0, 15), tokens, atype) is False
    # without the head: new unless it shares a word with the question
    assert new_to_question(Candidate("orbit", "noun", 0, 5), tokens, atype) is True
    assert new_to_question(Candidate("launch pad", "noun", 0, 10), tokens, atype) is False
    # "Which satellite ...?" asks for one satellite, by its name: the head says nothing new
    which = expected_type("Which satellite did North Korea launch?")
    assert which == AnswerType("thing", "satellite")
    assert new_to_question(spy, tokens, which) is False
    assert thing_fit(which, spy, 0.0, Weights()) == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "What type of fuel will the ferry burn?",
        "What kinds of weapons did Russia buy?",
        "Microplastics were found in which kind of organ?",
        "Which kind of services did the controls ban?",
        "What sort of weapons is Russia getting?",
    ],
)
def test_questions_that_ask_for_a_kind(question: str) -> None:
    atype = expected_type(question)
    assert atype.sort is True
    assert atype.head not in ("type", "types", "kind", "kinds", "sort", "sorts")


def test_a_kind_asked_of_something_else_is_no_kind_question() -> None:
    # the question's own wh-word asks for a company
    assert expected_type("Which company said what kind of chips it would sell?").sort is False


@pytest.mark.slow
def test_what_kind_of_is_answered_with_the_kind(news_assistant: Any) -> None:
    article = {
        "id": "port",
        "title": "Glenmoor weighs new ferry",
        "outlet": "Glenmoor Gazette",
        "published": "2024-10-01",
        "text": "The Glenmoor council met on Monday to discuss the harbour. Councillors said "
        "the town would buy an electric ferry next year to replace the old diesel boats. The "
        "harbour master welcomed the decision.",
    }
    assistant = news_assistant(article)
    answer = assistant.ask("What kind of ferry will the Glenmoor council buy?")
    assert answer.abstained is False
    assert answer.short == "electric ferry"
    assert [c.doc_id for c in answer.citations] == ["port"]


# --- Headlines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "headline"),
    [
        ("Xi-Putin Summit Follows SCO; Attention on Possible North Korea-China-Russia Summit",
         True),
        ("Kim Visits Beijing for Victory Day Parade", True),
        # a sentence full of names still has words in lower case
        ("Chinese President Xi Jinping (left) poses for a photo with Russian President "
         "Vladimir Putin in Samarkand, Uzbekistan.", False),
        ("Putin Arrives", False),  # too short to tell
        ("Vladimir Putin met Xi Jinping in Beijing on Tuesday.", False),  # "met"
    ],
)  # fmt: skip
def test_headline_case(sentence: str, headline: bool) -> None:
    assert headline_case(sentence) is headline


def test_a_headline_capital_makes_no_name() -> None:
    headline = "Xi-Putin Summit Follows SCO; Attention on Possible Summit in Beijing"
    body = (
        "North Korea experts are paying attention to the summit. Putin travelled to Beijing by car."
    )
    passage = Passage(chunk_id="a:0", doc_id="a", text=f"{headline}\n\n{body}", score=0.8,
                      metadata={})  # fmt: skip
    s = SimpleNamespace(text=headline, score=0.8, passage=passage, mentions=[])
    names = [c.text for c in sentence_candidates(s, AnswerType("org", "newspaper"))]
    # "Attention" is a common word (lower case in the body); "Beijing" a name there too;
    # "Follows" never stands as a name inside a sentence of the passage
    assert "Attention" not in names
    assert "Follows" not in names
    assert "Beijing" in names
    # a run of capitals stays one phrase, as in any sentence (a known limit in headlines)
    assert names == ["Xi-Putin Summit Follows SCO", "Possible Summit", "Beijing"]


def test_a_passage_that_is_only_its_headline_keeps_its_words() -> None:
    headline = "Putin Arrives in Beijing, Meets Xi"
    passage = Passage(chunk_id="a:0", doc_id="a", text=headline, score=0.8, metadata={})
    s = SimpleNamespace(text=headline, score=0.8, passage=passage, mentions=[])
    names = [c.text for c in sentence_candidates(s, AnswerType("city", "city"))]
    assert "Beijing" in names
