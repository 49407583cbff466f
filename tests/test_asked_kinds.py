"""Kinds of question with their own answer rules: "How often ...?" (a frequency), "What is
the name of ...?" (a name, not a common phrase), and "thing" heads a country does not
answer."""

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
from rag.answer.shortform import Weights, pick_shorts, thing_fit
from rag.types import Passage

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
