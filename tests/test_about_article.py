"""Questions about the articles themselves, answered from their metadata."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rag.answer.about import about_article, metadata_answer
from rag.types import Passage


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who wrote the Hankyoreh report on China's top diplomat?", "author"),
        ("Who is the author of the article about the Vostochny summit?", "author"),
        ("Which outlet reported that Kim visited China?", "outlet"),
        ("What newspaper published the story on the parade?", "outlet"),
        ("Who published the article on the SCO summit?", "outlet"),
        ("When was the article about Putin's visit to Pyongyang published?", "published"),
        ("What date was the Korea Herald report posted?", "published"),
        ("Who wrote the novel War and Peace?", None),  # not an article of the collection
        ("Who wrote to Kim Jong-un?", None),
        ("When did Kim last visit China?", None),
        ("Which country reported the most cases?", None),
    ],
)
def test_about_article(question: str, kind: str | None) -> None:
    assert about_article(question) == kind


def passage(**meta: Any) -> Passage:
    return Passage(
        chunk_id="d:1",
        doc_id="d",
        text="Text.",
        score=1.0,
        title="Harbour budget approved",
        outlet="Bay News",
        published=dt.date(2024, 1, 17),
        metadata=meta,
    )


def test_metadata_answer() -> None:
    author = metadata_answer("author", passage(author="Ada Moor"), 1)
    assert author is not None
    assert author.value == "Ada Moor"
    assert author.text == "Ada Moor [1] (“Harbour budget approved”, Bay News, 17 January 2024)."
    outlet = metadata_answer("outlet", passage(author="Ada Moor"), 2)
    assert outlet is not None
    assert outlet.text == (
        "Bay News [2] (“Harbour budget approved”, 17 January 2024, by Ada Moor)."
    )
    published = metadata_answer("published", passage(), 1)
    assert published is not None
    assert (published.value, published.text) == (
        "17 January 2024",
        "17 January 2024 [1] (“Harbour budget approved”, Bay News).",
    )
    assert metadata_answer("author", passage(), 1) is None  # unknown stays unknown


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "short", "doc_id"),
    [
        (
            "Who wrote the Hankyoreh report on China sending its top diplomat to Moscow?",
            "Choi Hyun-june",
            "001_8bacbee5ccb4060f",
        ),
        (
            "Which outlet reported that Kim visited China for the first time in six years?",
            "The Asia Business Daily",
            "000_075620075a1fb010",
        ),
        (
            "When was the article about Putin's visit to Pyongyang published?",
            "19 June 2024",
            "004_6c2af2daa34679c7",
        ),
    ],
)
def test_answers_from_the_bundled_articles(
    assistant: Any, question: str, short: str, doc_id: str
) -> None:
    answer = assistant.ask(question)
    assert answer.abstained is False
    assert answer.short == short
    assert answer.text.startswith(f"{short} [1] (“")
    assert [c.doc_id for c in answer.citations] == [doc_id]
    assert answer.citations[0].sentence in answer.citations[0].text


@pytest.mark.slow
def test_an_unknown_author_is_not_invented(assistant: Any) -> None:
    # The Asia Business Daily article has no author in its metadata.
    answer = assistant.ask("Who wrote the Asia Business Daily article on the Xi-Putin summit?")
    assert answer.abstained is True
    assert answer.short is None
