"""Questions about the articles themselves, answered from their metadata."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rag.answer.about import about_article, first_reporter, metadata_answer, names_reporter
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


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Russian media outlet RBC reported that Putin's motorcade entered the guesthouse.", True),
        ("According to China’s state-run Xinhua News Agency, the two leaders met.", True),
        ("Yuri Ushakov told TASS, “We are considering a meeting.”", True),
        ("The Nihon Keizai Shimbun (Nikkei) reported on the summit.", True),
        ("Japan's Kyodo news agency reported the launch.", True),
        ("This marks Kim's first visit to China in six years.", False),
        ("Kang said the talks would weaken China's influence.", False),
        # the subject reports, but is no outlet: the article's outlet is still the answer
        ("It reported that the deal was signed.", False),
        ("Apple reported record revenue.", False),
        ("Police reported three deaths.", False),
        ("According to Putin, the talks were useful.", False),
        ("He told Xi that the talks were useful.", False),
        ("According to US officials, the leaders met.", False),
        ("He told the UN General Assembly the talks were useful.", False),
        ("The FBI reported the arrest.", False),
        ("He was told to leave.", False),
    ],
)
def test_names_reporter(sentence: str, named: bool) -> None:
    assert names_reporter("Which news agency reported that the leaders met?", sentence) is named


def test_a_question_about_the_article_keeps_its_metadata() -> None:
    sentence = "According to China’s state-run Xinhua News Agency, the two leaders met."
    question = "Which newspaper published the article on the leaders' meeting?"
    assert names_reporter(question, sentence) is False


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


@pytest.mark.slow
def test_an_agency_named_in_the_sentence_answers(assistant: Any) -> None:
    # The sentence names the agency that reported it: its words answer, not the metadata of
    # the article that carries it (The Asia Business Daily).
    answer = assistant.ask(
        "Which news agency reported that Putin's motorcade entered the Diaoyutai State Guesthouse?"
    )
    assert answer.abstained is False
    assert answer.short == "RBC"
    assert answer.text.startswith("RBC [1]. “Russian media outlet RBC reported that")
    assert [c.doc_id for c in answer.citations] == ["000_075620075a1fb010"]


@pytest.mark.parametrize(
    ("question", "sentences", "found"),
    [
        (
            "Which newspaper first reported the merger?",
            ["The merger was approved.", "Since the Bergen Tribune broke the news on Monday"],
            (1, "Bergen Tribune"),
        ),
        ("Which outlet broke the story?", ["Yonhap first reported the deal."], (0, "Yonhap")),
        # not asked who was first; no outlet said to be first
        ("Which newspaper reported the merger?", ["The Bergen Tribune broke the news."], None),
        ("Which newspaper first reported it?", ["The Bergen Tribune reported it."], None),
        ("Which newspaper first reported it?", ["Apple first reported record revenue."], None),
    ],
)
def test_first_reporter(question: str, sentences: list[str], found: Any) -> None:
    assert first_reporter(question, sentences) == found


@pytest.mark.slow
def test_the_outlet_that_broke_the_news_answers_who_first_reported_it(
    news_assistant: Any,
) -> None:
    """The article's own outlet (Fjord Post) carried the story; the one it says broke the
    news answers, though the best sentence names no outlet."""
    article = {
        "id": "fjord2",
        "title": "Ferry companies to merge",
        "outlet": "Fjord Post",
        "published": "2024-03-08",
        "text": "Two ferry companies in Bergen agreed to merge, officials said on Friday.\n\n"
        "Since the Bergen Tribune broke the news of the ferry merger on Monday, the city "
        "council has kept silent.",
    }
    assistant = news_assistant(article)
    answer = assistant.ask("Which newspaper first reported the ferry merger?", as_of="2024-03-09")
    assert answer.short == "the Bergen Tribune"  # as the sentence writes it
    assert answer.text.startswith("the Bergen Tribune [1]. “Since the Bergen Tribune broke")
