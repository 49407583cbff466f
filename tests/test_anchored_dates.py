"""Dates anchored on an event ("a day before the summit"): found, dated from the article, used."""

from __future__ import annotations

from typing import Any

import pytest

from rag.temporal.anchored import find_anchored, resolve_anchored


@pytest.mark.parametrize(
    ("text", "expression", "offset", "event"),
    [
        (
            "A day before the Kim-Putin summit, Seoul held talks.",
            "A day before the Kim-Putin summit",
            -1,
            "the Kim-Putin summit",
        ),
        (
            "Two days after the runoff election, he resigned.",
            "Two days after the runoff election",
            2,
            "the runoff election",
        ),
        (
            "On the eve of the ocean summit, activists marched.",
            "On the eve of the ocean summit",
            -1,
            "the ocean summit",
        ),
        (
            "Protests began on the day Xi and Putin met.",
            "on the day Xi and Putin met",
            0,
            "Xi and Putin met",
        ),
        (
            "Three weeks ahead of the vote, polls narrowed.",
            "Three weeks ahead of the vote",
            -21,
            "the vote",
        ),
    ],
)
def test_find_anchored(text: str, expression: str, offset: int, event: str) -> None:
    (found,) = find_anchored(text)
    assert (found.text, found.offset_days, found.event) == (expression, offset, event)
    assert text[found.start : found.end] == expression


def test_plain_relative_dates_are_not_event_anchored() -> None:
    assert find_anchored("He left a week before. Two days later he returned.") == []


def test_resolve_needs_the_events_words_and_otherwise_stays_undated() -> None:
    (found,) = find_anchored("A day before the Kim-Putin summit, Seoul held talks.")
    dated = [
        ("The last inter-Korean summit was held in 2018.", "2018-04-27"),
        ("Putin arrived in Pyongyang on Wednesday for talks with Kim Jong Un.", "2024-06-19"),
    ]
    assert resolve_anchored(found, dated) == ("2024-06-18", dated[1][0])
    assert resolve_anchored(found, dated[:1]) is None  # "summit" alone is not enough
    assert resolve_anchored(found, []) is None


def _fjord_post(doc_id: str, title: str, published: str, text: str) -> dict[str, str]:
    """A made article of the Fjord Post (the JSONL article format)."""
    return {
        "id": doc_id,
        "title": title,
        "outlet": "Fjord Post",
        "published": published,
        "text": text,
    }


@pytest.mark.slow
def test_question_about_an_event_anchored_day_is_answered_with_its_date(
    news_assistant: Any,
) -> None:
    article = {
        "id": "ocean",
        "title": "Ocean summit opens in Lisbon",
        "outlet": "Harbour Herald",
        "published": "2025-03-12",
        "text": "The Global Ocean Summit opened in Lisbon on Monday with delegates from "
        "forty countries.\n\nOn the eve of the ocean summit, fishing crews staged a flotilla "
        "on the Tagus river to demand quotas be kept.\n\nThe talks are due to end on Friday "
        "with a declaration on deep-sea mining.",
    }
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "When did fishing crews stage a flotilla on the Tagus?", as_of="2025-03-20"
    )
    assert answer.short == "9 March 2025"  # the Sunday before Monday 10 March
    assert "On the eve of the ocean summit" in answer.text
    cited = answer.citations[0]
    assert cited.sentence is not None and "flotilla" in cited.sentence


@pytest.mark.slow
def test_before_an_anchor_the_last_occurrence_of_the_asked_event(news_assistant: Any) -> None:
    article = _fjord_post(
        "holt",
        "Mayor Holt back in Oslo",
        "2024-05-10",
        "Mayor Lena Holt arrived in Oslo on Monday for the 2024 harbour summit.\n\n"
        "It is her first visit to Oslo since March 2021, her office said.\n\n"
        "In June 2023, Holt attended a ferry conference in Bergen.\n\n"
        "The 2022 harbour summit was held in Tromsø in May 2022.",
    )
    assistant = news_assistant(article, abstention="never")
    for question in (
        # the anchor is dated by its words ...
        "Before the 2024 harbour summit, when had Lena Holt last visited Oslo?",
        # ... or by its own year, when its words ("her visit") date nothing
        "Before her 2024 visit, when had Lena Holt last been to Oslo?",
    ):
        answer = assistant.ask(question, as_of="2024-05-20")
        # Not the nearest earlier date (June 2023, Bergen): the last earlier *visit to Oslo*.
        assert answer.short == "March 2021", question
        assert "6 May 2024" in answer.text  # the anchor's own date: Monday before 10 May


@pytest.mark.slow
def test_before_a_bare_year_nothing_inside_that_year_counts(news_assistant: Any) -> None:
    article = _fjord_post(
        "holt2",
        "Holt returns to Oslo",
        "2024-05-10",
        "Lena Holt visited Oslo again on Monday for the 2024 harbour festival.\n\n"
        "In February, Holt visited Oslo to open the ferry terminal.\n\n"
        "Before that, Holt had last visited Oslo in March 2021.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask("Before 2024, when had Lena Holt last visited Oslo?", as_of="2024-05-20")
    assert answer.short == "March 2021"


@pytest.mark.slow
def test_an_anchor_dated_by_its_year_keeps_that_years_earlier_events(news_assistant: Any) -> None:
    """ "the 2024 harbour festival" only dates the anchor: a visit earlier in 2024 is before
    it ("Before 2024, ..." above is a bound, and keeps March 2021)."""
    article = _fjord_post(
        "holt3",
        "Holt returns to Oslo",
        "2024-05-10",
        "Lena Holt visited Oslo again on Monday for the 2024 harbour festival.\n\n"
        "In February, Holt visited Oslo to open the ferry terminal.\n\n"
        "Before that, Holt had last visited Oslo in March 2021.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "Before the 2024 harbour festival, when had Lena Holt last visited Oslo?",
        as_of="2024-05-20",
    )
    assert answer.short == "February 2024"
    assert "6 May 2024" in answer.text  # the anchor: the Monday before 10 May


@pytest.mark.slow
def test_the_anchors_sentence_may_date_the_asked_event_too(news_assistant: Any) -> None:
    """One sentence dates both: the festival (Monday) and the meeting after it (Thursday)."""
    article = _fjord_post(
        "holt4",
        "Holt in Oslo",
        "2024-05-10",
        "Lena Holt opened the 2024 harbour festival in Oslo on Monday, and her office "
        "said that she will meet the governor in Bergen next Thursday.\n\n"
        "The ferry terminal opened in March.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "On what date was Lena Holt to meet the governor in Bergen after the 2024 harbour "
        "festival?",
        as_of="2024-05-20",
    )
    assert answer.text.startswith("After the 2024 harbour festival (6 May 2024")
    assert answer.short == "16 May 2024"


@pytest.mark.slow
def test_the_day_something_was_said_is_not_the_event_after_the_anchor(
    news_assistant: Any,
) -> None:
    """ "said on Friday" (10 May) is nearer the festival than "next Thursday" (16 May), but
    it dates the report; asked when something was said, it is the answer."""
    article = _fjord_post(
        "holt7",
        "Holt in Oslo",
        "2024-05-10",
        "Lena Holt opened the 2024 harbour festival in Oslo on Monday, and her office "
        "said on Friday that she will meet the governor in Bergen next Thursday.\n\n"
        "The ferry terminal opened in March.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "On what date was Lena Holt to meet the governor in Bergen after the 2024 harbour "
        "festival?",
        as_of="2024-05-20",
    )
    assert answer.short == "16 May 2024"
    said = assistant.ask(
        "After the 2024 harbour festival, when did Holt's office say she would meet the governor?",
        as_of="2024-05-20",
    )
    assert said.short == "10 May 2024"


@pytest.mark.slow
def test_the_anchors_date_words_do_not_choose_its_sentence(news_assistant: Any) -> None:
    """A caption's "May 2023" shares the question's "2023" and scores better, but dates the
    festival only to the month; the report's "the 17th" dates it to the day, and so what
    came just before it."""
    article = _fjord_post(
        "holt5",
        "Oslo harbour festival",
        "2023-05-18",
        "Lena Holt poses at the harbour festival in Oslo in May 2023.\n\n"
        "The harbour festival opened in Oslo on the 17th.\n\n"
        "Holt met the governor in Bergen on the 16th.\n\n"
        "In April, Holt met the governor in Bergen too.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "When did Lena Holt meet the governor in Bergen just before the 2023 harbour festival?",
        as_of="2023-05-20",
    )
    assert answer.short == "16 May 2023"
    assert answer.text.startswith("Before the 2023 harbour festival (17 May 2023")


@pytest.mark.slow
def test_an_anchor_dated_to_a_month_takes_a_day_from_a_sentence_that_names_it(
    news_assistant: Any,
) -> None:
    """A month cannot order what happened inside it: the caption names the festival best
    ("May 2023"), the report dates it to the 17th, and the meeting the day before is
    before it."""
    article = _fjord_post(
        "holt6",
        "Oslo harbour festival",
        "2023-05-18",
        "Lena Holt opens the Oslo harbour festival, May 2023.\n\n"
        "The harbour festival began in Oslo on the 17th.\n\n"
        "Holt met the governor in Bergen on the 16th.\n\n"
        "In April, Holt met the governor in Bergen too.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "When did Lena Holt meet the governor in Bergen just before she opened the Oslo "
        "harbour festival?",
        as_of="2023-05-20",
    )
    assert answer.short == "16 May 2023"
    assert "(17 May 2023" in answer.text.split(":")[0]


@pytest.mark.slow
def test_an_anchor_named_at_length_takes_its_day_from_a_sentence_sharing_most_of_its_words(
    news_assistant: Any,
) -> None:
    """The caption names all six words of the anchor ("Holt flew in for the third Oslo
    harbour festival") but dates it to the month; the report shares four of them and dates
    it to the 17th: enough, so the meeting the day before is the 16th."""
    article = _fjord_post(
        "holt7",
        "Oslo harbour festival",
        "2023-05-18",
        "Lena Holt flew in for the third Oslo harbour festival, May 2023.\n\n"
        "The harbour festival began in Oslo on the 17th, with Holt arriving by plane.\n\n"
        "Holt met the governor in Bergen on the 16th.\n\n"
        "In April, Holt met the governor in Bergen too.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "On what date did Holt meet the governor in Bergen, the day before Holt flew in for "
        "the third Oslo harbour festival?",
        as_of="2023-05-20",
    )
    assert answer.short == "16 May 2023"
    assert "(17 May 2023" in answer.text.split(":")[0]


@pytest.mark.slow
def test_the_previous_occasion_is_read_from_the_first_since_said_of_the_anchor(
    news_assistant: Any,
) -> None:
    """ "the first meeting ... since <occasion>", said in the report of the anchor event,
    names the occasion before it; before another event it names nothing."""
    summit = _fjord_post(
        "holt8",
        "Mayors meet at the Oslo harbour summit",
        "2023-05-18",
        "Mayor Lena Holt and Mayor Per Berg met at the Oslo harbour summit on Wednesday.\n\n"
        "It was the first meeting between the two mayors since the opening of the Bergen "
        "ferry terminal in early March.",
    )
    later = _fjord_post(
        "holt9",
        "Tromsø fishing forum opens",
        "2024-02-02",
        "The Tromsø fishing forum opened on Thursday with ministers from four countries.",
    )
    assistant = news_assistant(summit, later)
    answer = assistant.ask(
        "At what event had Holt and Berg met before the Oslo harbour summit?", as_of="2024-03-01"
    )
    assert answer.short == "the opening of the Bergen ferry terminal"
    assert [c.doc_id for c in answer.citations] == ["holt8"]
    other = assistant.ask(
        "At what event had Holt and Berg met before the Tromsø fishing forum?",
        as_of="2024-03-01",
    )
    assert other.short != "the opening of the Bergen ferry terminal"
    assert "Bergen ferry terminal" not in (other.withheld or other.text)


@pytest.mark.slow
def test_a_first_since_said_of_the_anchor_itself_does_not_date_the_asked_event(
    news_assistant: Any,
) -> None:
    """ "the first in-person harbour summit since 2019" says when the last summit was, not
    when Holt and Berg last met."""
    article = _fjord_post(
        "holt10",
        "Oslo harbour summit opens",
        "2023-05-18",
        "The Oslo harbour summit opened on Wednesday, the first in-person harbour summit "
        "since 2019.\n\n"
        "Holt and Berg met in Bergen on 4 February 2023 to prepare it.",
    )
    assistant = news_assistant(article, abstention="never")
    answer = assistant.ask(
        "When had Holt and Berg last met before the Oslo harbour summit?", as_of="2023-05-20"
    )
    assert answer.short == "4 February 2023"
