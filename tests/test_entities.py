"""Names typed by an entity recogniser (spaCy) for short answers, beside the rules."""

from __future__ import annotations

from typing import Any

import pytest

from rag.answer.candidates import Candidate, find_candidates, with_entities
from rag.answer.entities import SpacyEntities
from rag.answer.qtype import AnswerType
from rag.answer.shortform import fit
from rag.errors import ConfigError

SENTENCE = "In Houston, Texas, BP said on Thursday it will cut 4,700 jobs."


def test_with_entities_labels_names_and_adds_the_missed_ones() -> None:
    found = find_candidates(SENTENCE)
    spans = [(3, 10, "place"), (12, 17, "place"), (19, 21, "org"), (44, 49, "number")]
    labelled = with_entities(SENTENCE, found, spans)
    names = {c.text: c.entity for c in labelled if c.kind == "name"}
    assert names == {"Houston": "place", "Texas": "place", "BP": "org"}
    assert [c for c in labelled if c.kind != "name"] == [c for c in found if c.kind != "name"]
    # An entity the rules did not find becomes a name of its own.
    extra = with_entities("the pope met leaders", [], [(4, 8, "person")])
    assert extra == []  # lower-case spans are no names
    added = with_entities("Talks with Hamas went on", [], [(11, 16, "org")])
    assert added == [Candidate("Hamas", "name", 11, 16, None, "org")]


def test_fit_follows_the_entity_label() -> None:
    org = AnswerType("org", "giant")
    assert fit(org, Candidate("BP", "name", 19, 21, None, "org"), SENTENCE) == 1.0
    assert fit(org, Candidate("Texas", "name", 12, 17, None, "place"), SENTENCE) == 0.3
    person = AnswerType("person", "actor")
    assert fit(person, Candidate("BP", "name", 19, 21, None, "org"), SENTENCE) == 0.2
    city = AnswerType("city", "city")
    assert fit(city, Candidate("Houston", "name", 3, 10, None, "place"), SENTENCE) == 1.0
    assert fit(city, Candidate("France", "name", 0, 6, None, "place"), "France") == 0.0


def test_spacy_pipeline_finds_people_organisations_and_places() -> None:
    text = (
        "Russian President Vladimir Putin met Kim Jong Un in Pyongyang, the Korean "
        "Central News Agency said."
    )
    spans = SpacyEntities().entities(text)
    got = {text[s:e]: kind for s, e, kind in spans}
    assert got["Vladimir Putin"] == "person"
    assert got["Kim Jong Un"] == "person"
    assert got["Pyongyang"] == "place"
    assert got["the Korean Central News Agency"] == "org"


def test_missing_pipeline_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not installed"):
        SpacyEntities("no_such_pipeline_xx").entities("Hello there.")


@pytest.mark.slow
def test_spacy_entities_pick_the_organisation_the_question_asks_for(news_assistant: Any) -> None:
    article = {
        "id": "oil",
        "title": "Oil major to cut jobs",
        "outlet": "Energy Wire",
        "published": "2025-01-16",
        "text": "BP said on Thursday it will cut 4,700 jobs in Aberdeen, where the oil giant "
        "employs thousands.\n\nAnalysts expect other producers to follow.",
    }
    question = "Which oil giant plans to cut 4,700 jobs?"
    shorts = {}
    for entities in ("rules", "spacy"):
        assistant = news_assistant(article, entities=entities, abstention="never")
        shorts[entities] = assistant.ask(question, as_of="2025-01-20").short
    # The rules take the name nearest "oil giant"; the recogniser knows Aberdeen is a place.
    assert shorts == {"rules": "Aberdeen", "spacy": "BP"}
